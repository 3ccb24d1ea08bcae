import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';

/**
 * Exempt an approved lease from idle reclaim (platform team).
 *
 * @public
 */
export const gpuPoolReclaimExemptPermission = createPermission({
  name: 'gpu-pool.reclaim.exempt',
  attributes: { action: 'update' },
});

/**
 * Where a lease stands in idle reclaim.
 *
 * - `off`: the lease's pool has no `idleReclaim` policy.
 * - `watching`: the policy applies and nothing is pending.
 * - `nudged`: the owners were told the lease is idle; it is reclaimed at
 *   `reclaimAt` unless they keep it or it gets busy.
 * - `kept`: the owners chose to keep it; not reclaimed before `keptUntil`.
 * - `exempt`: the platform team exempted it.
 * - `reclaimed`: it was ended as idle.
 *
 * @public
 */
export type IdleReclaimPhase =
  | 'off'
  | 'watching'
  | 'nudged'
  | 'kept'
  | 'exempt'
  | 'reclaimed';

/**
 * Why the last check did or did not act.
 *
 * @public
 */
export type IdleCheckOutcome =
  | 'busy'
  | 'idle'
  | 'no-metrics'
  | 'metrics-unavailable'
  | 'no-samples'
  | 'too-young'
  | 'kept'
  | 'exempt'
  | 'grace'
  | 'nudged'
  | 'reclaimed';

/**
 * The idle-reclaim state of one lease, as `GET /reclaim/requests/{id}` returns it.
 *
 * @public
 */
export interface IdleReclaimStatus {
  requestId: string;
  phase: IdleReclaimPhase;
  policy?: {
    thresholdPercent: number;
    idleMinutes: number;
    graceMinutes: number;
    keepMinutes: number;
  };
  nudgedAt?: string;
  /** When the lease is reclaimed unless kept (nudgedAt + grace). */
  reclaimAt?: string;
  keptUntil?: string;
  keptBy?: string;
  exemptBy?: string;
  exemptReason?: string;
  reclaimedAt?: string;
  /** The last check: when, and what it found (e.g. `no-metrics`). */
  lastCheckAt?: string;
  lastOutcome?: IdleCheckOutcome;
  /** Highest engine activity of the lease's GPUs in the last window, 0..1. */
  lastMaxEngineActive?: number;
}

/**
 * Body of `POST /reclaim/requests/{id}/exempt`.
 *
 * @public
 */
export const reclaimExemptSchema = z.object({
  reason: z
    .string({ required_error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(500, 'must be at most 500 characters')
    .describe('Why the lease may stay idle'),
});

/**
 * Body of `POST /reclaim/requests/{id}/keep` and `/release`.
 *
 * @public
 */
export const reclaimAnswerSchema = z.object({
  reason: z
    .string()
    .max(500, 'must be at most 500 characters')
    .optional()
    .describe('Optional note for the timeline'),
});
