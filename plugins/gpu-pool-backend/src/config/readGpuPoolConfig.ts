import { Config } from '@backstage/config';
import { parseDuration } from '@internal/plugin-gpu-pool-common';

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
  return {
    pools,
    allowances,
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
