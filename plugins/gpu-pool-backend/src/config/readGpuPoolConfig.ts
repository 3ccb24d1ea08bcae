import { Config } from '@backstage/config';
import {
  BUILT_IN_PROTECTED_NAMESPACES,
  parseDuration,
} from '@internal/plugin-gpu-pool-common';
import { parseQuantityNumber } from '@internal/kubernetes-quantity';

/** CPU cores and memory bytes. */
export interface ComputeAmount {
  cpu: number;
  memory: number;
}

/** One configured pool. */
export interface PoolConfig {
  id: string;
  cluster: string;
  title: string;
  resource: string;
  product?: string;
  reserve: number;
  maxPerRequest?: number;
  maxDuration: string;
  maxDurationMs: number;
  defaultDuration: string;
  defaultDurationMs: number;
  /** Kueue: GPUs a team's ClusterQueue may borrow in this pool's flavor (none: no limit). */
  borrowingLimit?: number;
  /** Kueue: unused guaranteed GPUs a team's ClusterQueue may lend (none: no limit). */
  lendingLimit?: number;
}

/** How grants are made true in a cluster. */
export type Enforcement = 'kueue' | 'quota';

/** The `gpuPool` section, validated. */
export interface GpuPoolConfig {
  pools: PoolConfig[];
  /** team ref → pool id → GPUs */
  allowances: Map<string, Map<string, number>>;
  notifyBeforeExpiryMs: number;
  reconcileIntervalSeconds: number;
  reconcileTimeoutSeconds: number;
  pods: number;
  platformTeam: string;
  /** Built-in and configured patterns of namespaces never touched. */
  protectedNamespaces: string[];
  computeMaxPerRequest: ComputeAmount;
  computeDefaultAllowance: ComputeAmount;
  /** team ref → CPU and memory it may hold before approval */
  computeAllowances: Map<string, ComputeAmount>;
  namespaceDefaultDurationMs: number;
  namespaceMaxDurationMs: number;
  namespaceMaxPerTeam: number;
  /** cluster name → enforcement; clusters not listed use `kueue`. */
  enforcement: Map<string, Enforcement>;
  /** Notice owners get before workloads beyond an ended grant stop. */
  stopGracePeriodMs: number;
}

/** The enforcement of a cluster: `kueue` unless configured otherwise. */
export function enforcementOf(config: GpuPoolConfig, cluster: string) {
  return config.enforcement.get(cluster) ?? 'kueue';
}

function readQuantity(
  config: Config | undefined,
  key: string,
  fallback: string,
  prefix: string,
) {
  // YAML reads `cpu: 8` as a number: accept it like "8".
  const raw = config?.getOptional(key);
  const value = raw === undefined ? fallback : String(raw);
  const parsed = parseQuantityNumber(value);
  if (parsed === undefined || parsed <= 0) {
    throw new Error(
      `${prefix}.${key} must be a positive Kubernetes quantity, got "${value}"`,
    );
  }
  return parsed;
}

function readDuration(config: Config, key: string, fallback: string) {
  const value = config.getOptionalString(key) ?? fallback;
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new Error(`${key} must be an ISO 8601 duration, got "${value}"`);
  }
  return { value, ms };
}

function readLimit(pool: Config, key: string, prefix: string) {
  const value = pool.getOptionalNumber(key);
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new Error(
      `${prefix}.${key} must be a whole number of GPUs, 0 or more, got ${value}`,
    );
  }
  return value;
}

/**
 * Reads `gpuPool.clusters`. Quota mode cannot tell two pools on one
 * resource name apart (a ResourceQuota counts `requests.nvidia.com/gpu`
 * whatever the GPU model), so such a configuration is refused, naming the
 * pools.
 */
function readEnforcement(config: Config | undefined, pools: PoolConfig[]) {
  const enforcement = new Map<string, Enforcement>();
  for (const [i, c] of (
    config?.getOptionalConfigArray('clusters') ?? []
  ).entries()) {
    const prefix = `gpuPool.clusters[${i}]`;
    const name = c.getString('name');
    const mode = c.getOptionalString('enforcement') ?? 'kueue';
    if (mode !== 'kueue' && mode !== 'quota') {
      throw new Error(
        `${prefix}.enforcement must be "kueue" or "quota", got "${mode}"`,
      );
    }
    if (enforcement.has(name)) {
      throw new Error(`${prefix}.name "${name}" is listed twice`);
    }
    enforcement.set(name, mode);
  }
  for (const [cluster, mode] of enforcement) {
    if (mode !== 'quota') continue;
    const byResource = new Map<string, string[]>();
    for (const p of pools.filter(x => x.cluster === cluster)) {
      byResource.set(p.resource, [...(byResource.get(p.resource) ?? []), p.id]);
    }
    for (const [resource, ids] of byResource) {
      if (ids.length > 1) {
        throw new Error(
          `gpuPool.clusters: cluster ${cluster} uses enforcement "quota", which cannot tell apart pools ${ids.join(
            ', ',
          )} on one resource ${resource}; use enforcement "kueue" (GPU models as Kueue ResourceFlavors) or one pool per resource`,
        );
      }
    }
  }
  return enforcement;
}

/** The stop grace period; `PT0S` (stop at once) is allowed here. */
function readGracePeriod(config: Config | undefined) {
  const value = config?.getOptionalString('stopGracePeriod') ?? 'PT5M';
  if (/^PT?0+[SMHDW]?$/.test(value) || value === 'PT0S') return 0;
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new Error(
      `gpuPool.stopGracePeriod must be an ISO 8601 duration, got "${value}"`,
    );
  }
  return ms;
}

/** Reads and validates the `gpuPool` section; errors name the key. */
export function readGpuPoolConfig(root: Config): GpuPoolConfig {
  const config = root.getOptionalConfig('gpuPool');
  const pools: PoolConfig[] = [];
  for (const [i, pool] of (
    config?.getOptionalConfigArray('pools') ?? []
  ).entries()) {
    const prefix = `gpuPool.pools[${i}]`;
    const id = pool.getString('id');
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id)) {
      throw new Error(`${prefix}.id must be a DNS-1123 label, got "${id}"`);
    }
    if (pools.some(p => p.id === id)) {
      throw new Error(`${prefix}.id "${id}" is used twice`);
    }
    const max = readDuration(pool, 'maxDuration', 'P7D');
    const def = readDuration(pool, 'defaultDuration', 'P1D');
    if (def.ms > max.ms) {
      throw new Error(`${prefix}.defaultDuration is longer than maxDuration`);
    }
    pools.push({
      id,
      cluster: pool.getString('cluster'),
      title: pool.getOptionalString('title') ?? id,
      resource: pool.getString('resource'),
      product: pool.getOptionalString('product'),
      reserve: pool.getOptionalNumber('reserve') ?? 0,
      maxPerRequest: pool.getOptionalNumber('maxPerRequest'),
      maxDuration: max.value,
      maxDurationMs: max.ms,
      defaultDuration: def.value,
      defaultDurationMs: def.ms,
      borrowingLimit: readLimit(pool, 'borrowingLimit', prefix),
      lendingLimit: readLimit(pool, 'lendingLimit', prefix),
    });
  }
  const enforcement = readEnforcement(config, pools);
  const allowances = new Map<string, Map<string, number>>();
  for (const [i, a] of (
    config?.getOptionalConfigArray('allowances') ?? []
  ).entries()) {
    const team = a.getString('team').toLocaleLowerCase('en-US');
    const pool = a.getString('pool');
    if (!pools.some(p => p.id === pool)) {
      throw new Error(
        `gpuPool.allowances[${i}].pool "${pool}" is not a configured pool`,
      );
    }
    if (!allowances.has(team)) {
      allowances.set(team, new Map());
    }
    allowances.get(team)!.set(pool, a.getNumber('gpus'));
  }
  const computeAllowances = new Map<string, ComputeAmount>();
  for (const [i, a] of (
    config?.getOptionalConfigArray('computeAllowances') ?? []
  ).entries()) {
    const prefix = `gpuPool.computeAllowances[${i}]`;
    computeAllowances.set(a.getString('team').toLocaleLowerCase('en-US'), {
      cpu: readQuantity(a, 'cpu', '', prefix),
      memory: readQuantity(a, 'memory', '', prefix),
    });
  }
  const compute = config?.getOptionalConfig('compute');
  const maxPerRequest = compute?.getOptionalConfig('maxPerRequest');
  const defaultAllowance = compute?.getOptionalConfig('defaultAllowance');
  const namespaces = config?.getOptionalConfig('namespaces');
  const nsMax = namespaces
    ? readDuration(namespaces, 'maxDuration', 'P90D')
    : { value: 'P90D', ms: parseDuration('P90D')! };
  const nsDefault = namespaces
    ? readDuration(namespaces, 'defaultDuration', 'P30D')
    : { value: 'P30D', ms: parseDuration('P30D')! };
  if (nsDefault.ms > nsMax.ms) {
    throw new Error(
      'gpuPool.namespaces.defaultDuration is longer than maxDuration',
    );
  }
  const protectedNamespaces = config?.getOptionalStringArray(
    'protectedNamespaces',
  );
  for (const [i, pattern] of (protectedNamespaces ?? []).entries()) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9-])?\*?$/.test(pattern)) {
      throw new Error(
        `gpuPool.protectedNamespaces[${i}] must be a namespace name, optionally ending in "*", got "${pattern}"`,
      );
    }
  }
  return {
    pools,
    allowances,
    protectedNamespaces: [
      ...BUILT_IN_PROTECTED_NAMESPACES,
      ...(protectedNamespaces ?? []),
    ],
    computeMaxPerRequest: {
      cpu: readQuantity(
        maxPerRequest,
        'cpu',
        '64',
        'gpuPool.compute.maxPerRequest',
      ),
      memory: readQuantity(
        maxPerRequest,
        'memory',
        '512Gi',
        'gpuPool.compute.maxPerRequest',
      ),
    },
    computeDefaultAllowance: {
      cpu: readQuantity(
        defaultAllowance,
        'cpu',
        '32',
        'gpuPool.compute.defaultAllowance',
      ),
      memory: readQuantity(
        defaultAllowance,
        'memory',
        '256Gi',
        'gpuPool.compute.defaultAllowance',
      ),
    },
    computeAllowances,
    namespaceDefaultDurationMs: nsDefault.ms,
    namespaceMaxDurationMs: nsMax.ms,
    namespaceMaxPerTeam: namespaces?.getOptionalNumber('maxPerTeam') ?? 5,
    enforcement,
    stopGracePeriodMs: readGracePeriod(config),
    notifyBeforeExpiryMs: config
      ? readDuration(config, 'notifyBeforeExpiry', 'PT2H').ms
      : parseDuration('PT2H')!,
    reconcileIntervalSeconds:
      config?.getOptionalNumber('reconcileIntervalSeconds') ?? 5,
    reconcileTimeoutSeconds:
      config?.getOptionalNumber('reconcileTimeoutSeconds') ?? 120,
    pods: config?.getOptionalNumber('defaults.pods') ?? 50,
    platformTeam: (
      root.getOptionalString('portal.platformTeam') ??
      'group:default/platform-team'
    ).toLocaleLowerCase('en-US'),
  };
}
