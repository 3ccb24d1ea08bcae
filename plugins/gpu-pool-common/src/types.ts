import type { components } from './generated/openapi';
import type { Exactly } from './exactly';

// The wire shapes below are the backend's OpenAPI spec
// (plugins/gpu-pool-backend/src/schema/openapi.yaml), whose responses the
// contract tests check; these names only keep the package's vocabulary.
type Schemas = components['schemas'];

/**
 * Every status a GPU or namespace request can be in.
 *
 * @public
 */
export const gpuRequestStatuses = [
  'pending-approval',
  'queued',
  'provisioning',
  'active',
  'expiring',
  'released',
  'expired',
  'rejected',
  'failed',
] as const;

/**
 * A request's status; the compiler holds {@link gpuRequestStatuses} to the
 * spec's `Status` enum.
 *
 * @public
 */
export type GpuRequestStatus = Exactly<
  (typeof gpuRequestStatuses)[number],
  Schemas['Status']
>;

/**
 * Statuses in which the request holds GPUs.
 *
 * @public
 */
export const holdingStatuses: readonly GpuRequestStatus[] = [
  'provisioning',
  'active',
  'expiring',
];

/**
 * Statuses after which nothing changes any more.
 *
 * @public
 */
export const finalStatuses: readonly GpuRequestStatus[] = [
  'released',
  'expired',
  'rejected',
  'failed',
];

/** @public */
export type GpuAmount = Schemas['GpuAmount'];

/**
 * One recorded change of a request's status: its audit trail.
 *
 * @public
 */
export type GpuRequestTransition = Schemas['Transition'];

/**
 * A request for GPUs (or only a namespace) as the API returns it.
 *
 * @public
 */
export type GpuRequest = Schemas['Request'];

/**
 * One pool as `GET /pools` returns it.
 *
 * @public
 */
export type GpuPoolSummary = Schemas['Pool'];

/**
 * A pod holding GPUs of a pool that no active grant covers.
 *
 * @public
 */
export type GpuHolderOutsideGrants = Schemas['OutsideGrant'];

/**
 * What happens to a request right after it is submitted.
 *
 * @public
 */
export type GpuRequestOutcome = 'immediate' | 'approval' | 'queue';

/**
 * Predicts, from the pools as listed, whether a request will be granted at
 * once, wait for the platform team, or wait in the queue. The backend makes
 * the same decision in its transaction; this is the preview the form shows.
 *
 * @public
 */
export function predictOutcome(
  pools: GpuPoolSummary[],
  team: string,
  gpus: GpuAmount[],
): GpuRequestOutcome {
  let queue = false;
  for (const { pool: poolId, count } of gpus) {
    const pool = pools.find(p => p.id === poolId);
    if (!pool) {
      continue;
    }
    const allowance = pool.allowances[team] ?? 0;
    if ((pool.usage[team] ?? 0) + count > allowance) {
      return 'approval';
    }
    if (pool.queued > 0 || pool.available < count) {
      queue = true;
    }
  }
  return queue ? 'queue' : 'immediate';
}

/**
 * Result of `GET /audit/verify`: whether the hash chain of the GPU pool's
 * history is intact, and the first entry where it is not.
 *
 * @public
 */
export type GpuPoolAuditVerification = Schemas['AuditVerification'];
