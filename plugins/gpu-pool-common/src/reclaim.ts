import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';
import type { components } from './generated/openapi';

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
export type IdleReclaimPhase = IdleReclaimStatus['phase'];

/**
 * Why the last check did or did not act.
 *
 * @public
 */
export type IdleCheckOutcome = NonNullable<IdleReclaimStatus['lastOutcome']>;

/**
 * The idle-reclaim state of one lease, as `GET /reclaim/requests/{id}` returns it.
 *
 * @public
 */
export type IdleReclaimStatus = components['schemas']['IdleReclaimStatus'];

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
