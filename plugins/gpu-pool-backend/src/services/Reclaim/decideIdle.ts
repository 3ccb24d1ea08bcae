/**
 * The idle-reclaim rule, free of I/O so that the service and the benchmark
 * (bench/gpu-pool) apply the same rule.
 */

/** A pool's idle-reclaim policy (`gpuPool.pools[].idleReclaim`). */
export interface IdlePolicy {
  /** A GPU is idle while its engine activity stays below this, in percent. */
  thresholdPercent: number;
  /** How long all GPUs of a lease must stay idle before the owners are nudged. */
  idleMinutes: number;
  /** How long the owners have to answer before the lease is reclaimed. */
  graceMinutes: number;
  /** How long "keep" stops the reclaim. */
  keepMinutes: number;
}

/** The part of a GPU's activity the rule reads (a `GpuActivity` fits). */
export interface IdleGpuActivity {
  uuid: string;
  /** Highest engine activity in the window, 0..1. */
  maxEngineActive: number;
  /** Samples seen in the window; 0 means no data. */
  samples: number;
}

/**
 * What the metrics say about a lease over the last `idleMinutes`:
 * the activity of the GPUs its namespace's pods hold, or why it is missing.
 */
export type IdleEvidence =
  | { kind: 'activity'; gpus: IdleGpuActivity[] }
  | { kind: 'missing'; reason: 'no-metrics' | 'metrics-unavailable' };

/** What the service remembers of a lease between checks (epoch ms). */
export interface IdleState {
  /** When the lease's GPUs were granted. */
  grantedAt: number;
  nudgedAt?: number;
  keptUntil?: number;
  exempt?: boolean;
}

/** What to do with a lease now. */
export type IdleDecision =
  | {
      action: 'none';
      reason:
        | 'exempt'
        | 'no-metrics'
        | 'metrics-unavailable'
        | 'no-samples'
        | 'busy'
        | 'too-young'
        | 'kept'
        | 'grace';
      maxEngineActive?: number;
    }
  /** Activity resumed after a nudge: the nudge is withdrawn. */
  | { action: 'clear'; reason: 'busy'; maxEngineActive: number }
  /** Idle for the whole window: tell the owners, reclaim after the grace. */
  | {
      action: 'nudge';
      reason: 'idle';
      maxEngineActive: number;
      reclaimAt: number;
    }
  /** Nudged, no answer within the grace, still idle: end the lease. */
  | { action: 'reclaim'; reason: 'idle'; maxEngineActive: number };

const MINUTE = 60_000;

/**
 * Decides what idle reclaim does with one lease.
 *
 * A lease is idle when every GPU its pods hold reported samples in the last
 * `idleMinutes` and stayed below `thresholdPercent` engine activity in all of
 * them, and the lease is at least `idleMinutes` old (the window lies within
 * the lease). Missing evidence never reclaims: metrics not configured or not
 * reachable, no GPU series for the namespace, or a GPU without samples, all
 * decide `none` — also for a lease already nudged, whose grace then waits for
 * evidence again. Exempt leases are never touched; kept leases are not
 * nudged again before `keptUntil`. Activity at or above the threshold
 * withdraws a pending nudge.
 */
export function decideIdle(
  evidence: IdleEvidence,
  policy: IdlePolicy,
  now: number,
  state: IdleState,
): IdleDecision {
  if (state.exempt) return { action: 'none', reason: 'exempt' };
  if (evidence.kind === 'missing') {
    return { action: 'none', reason: evidence.reason };
  }
  const { gpus } = evidence;
  if (gpus.length === 0 || gpus.some(g => !(g.samples > 0))) {
    return { action: 'none', reason: 'no-samples' };
  }
  const maxEngineActive = Math.max(...gpus.map(g => g.maxEngineActive));
  if (!Number.isFinite(maxEngineActive)) {
    return { action: 'none', reason: 'no-samples' };
  }
  if (maxEngineActive * 100 >= policy.thresholdPercent) {
    return state.nudgedAt !== undefined
      ? { action: 'clear', reason: 'busy', maxEngineActive }
      : { action: 'none', reason: 'busy', maxEngineActive };
  }
  if (state.keptUntil !== undefined && now < state.keptUntil) {
    return { action: 'none', reason: 'kept', maxEngineActive };
  }
  if (now - state.grantedAt < policy.idleMinutes * MINUTE) {
    return { action: 'none', reason: 'too-young', maxEngineActive };
  }
  if (state.nudgedAt === undefined) {
    return {
      action: 'nudge',
      reason: 'idle',
      maxEngineActive,
      reclaimAt: now + policy.graceMinutes * MINUTE,
    };
  }
  if (now >= state.nudgedAt + policy.graceMinutes * MINUTE) {
    return { action: 'reclaim', reason: 'idle', maxEngineActive };
  }
  return { action: 'none', reason: 'grace', maxEngineActive };
}
