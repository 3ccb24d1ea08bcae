import { Config } from '@backstage/config';
import {
  BUILT_IN_PROTECTED_NAMESPACES,
  parseDuration,
  parseQuantity,
} from '@internal/plugin-gpu-pool-common';

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
}

/** The `gpuPool` section, validated. */
export interface GpuPoolConfig {
  pools: PoolConfig[];
  /** team ref → pool id → GPUs */
  allowances: Map<string, Map<string, number>>;
  notifyBeforeExpiryMs: number;
  reconcileIntervalSeconds: number;
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
  const parsed = parseQuantity(value);
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
    });
  }
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
      cpu: readQuantity(maxPerRequest, 'cpu', '64', 'gpuPool.compute.maxPerRequest'),
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
    notifyBeforeExpiryMs: config
      ? readDuration(config, 'notifyBeforeExpiry', 'PT2H').ms
      : parseDuration('PT2H')!,
    reconcileIntervalSeconds:
      config?.getOptionalNumber('reconcileIntervalSeconds') ?? 5,
    pods: config?.getOptionalNumber('defaults.pods') ?? 50,
    platformTeam: (
      root.getOptionalString('portal.platformTeam') ??
      'group:default/platform-team'
    ).toLocaleLowerCase('en-US'),
  };
}
