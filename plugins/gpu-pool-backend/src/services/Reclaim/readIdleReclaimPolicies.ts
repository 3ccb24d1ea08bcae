import { Config } from '@backstage/config';
import { IdlePolicy } from './decideIdle';

/** Default of `idleReclaim.keepMinutes`: "keep" holds for 12 hours. */
export const DEFAULT_KEEP_MINUTES = 12 * 60;

function positive(config: Config, key: string, prefix: string) {
  const value = config.getOptional(key);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(
      `${prefix}.${key} must be a positive number, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

/**
 * Reads `gpuPool.pools[].idleReclaim` into a policy per pool id. A pool
 * without it is never reclaimed. Errors name the key.
 */
export function readIdleReclaimPolicies(root: Config): Map<string, IdlePolicy> {
  const policies = new Map<string, IdlePolicy>();
  const pools = root.getOptionalConfigArray('gpuPool.pools') ?? [];
  for (const [i, pool] of pools.entries()) {
    const section = pool.getOptionalConfig('idleReclaim');
    if (!section) continue;
    const prefix = `gpuPool.pools[${i}].idleReclaim`;
    const thresholdPercent = positive(section, 'thresholdPercent', prefix);
    if (thresholdPercent > 100) {
      throw new Error(
        `${prefix}.thresholdPercent must be at most 100, got ${thresholdPercent}`,
      );
    }
    policies.set(pool.getString('id'), {
      thresholdPercent,
      idleMinutes: positive(section, 'idleMinutes', prefix),
      graceMinutes: positive(section, 'graceMinutes', prefix),
      keepMinutes: section.has('keepMinutes')
        ? positive(section, 'keepMinutes', prefix)
        : DEFAULT_KEEP_MINUTES,
    });
  }
  return policies;
}

/**
 * The policy of a lease over several pools: it is watched when any of its
 * pools has a policy, under the most lenient one (lowest threshold, longest
 * idle time, grace and keep), so that no pool's owners get less than they
 * were promised.
 */
export function leasePolicy(
  pools: string[],
  policies: Map<string, IdlePolicy>,
): IdlePolicy | undefined {
  const found = pools
    .map(p => policies.get(p))
    .filter((p): p is IdlePolicy => p !== undefined);
  if (found.length === 0) return undefined;
  return {
    thresholdPercent: Math.min(...found.map(p => p.thresholdPercent)),
    idleMinutes: Math.max(...found.map(p => p.idleMinutes)),
    graceMinutes: Math.max(...found.map(p => p.graceMinutes)),
    keepMinutes: Math.max(...found.map(p => p.keepMinutes)),
  };
}
