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

/** @public */
export type GpuRequestStatus = (typeof gpuRequestStatuses)[number];

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
export interface GpuAmount {
  pool: string;
  count: number;
}

/**
 * One recorded change of a request's status: its audit trail.
 *
 * @public
 */
export interface GpuRequestTransition {
  from?: GpuRequestStatus;
  to: GpuRequestStatus;
  actor: string;
  reason: string;
  at: string;
}

/**
 * A request for GPUs (or only a namespace) as the API returns it.
 *
 * @public
 */
export interface GpuRequest {
  id: string;
  team: string;
  cluster: string;
  namespace: string;
  gpus: GpuAmount[];
  cpu: string;
  memory: string;
  duration?: string;
  justification: string;
  ephemeral: boolean;
  priority: number;
  /**
   * The namespace existed and the portal had not created it: granting the
   * request adopts it, which needs the platform team's approval.
   */
  adoptsNamespace: boolean;
  /** The portal created the namespace for this request (and may delete it). */
  createdNamespace: boolean;
  status: GpuRequestStatus;
  requestedBy: string;
  decidedBy?: string;
  createdAt: string;
  updatedAt: string;
  grantedAt?: string;
  expiresAt?: string;
  /** The last error the reconciler hit, while provisioning. */
  lastError?: string;
  /** 1-based position in the queue, while queued. */
  queuePosition?: number;
  /** Present on `GET /requests/{id}`. */
  history?: GpuRequestTransition[];
}

/**
 * One pool as `GET /pools` returns it.
 *
 * @public
 */
export interface GpuPoolSummary {
  id: string;
  cluster: string;
  title: string;
  resource: string;
  model: string;
  /**
   * The `nvidia.com/gpu.product` node label of a whole-GPU pool; a Job that
   * names it in its nodeSelector runs only on this pool's GPU model.
   */
  product?: string;
  /** Live capacity from node allocatable, minus the reserve. */
  capacity: number;
  allocated: number;
  available: number;
  /** GPUs requested by approved requests waiting in the queue. */
  queued: number;
  reserve: number;
  maxPerRequest: number;
  maxDuration: string;
  defaultDuration: string;
  /** Guaranteed GPUs per team (entity ref). */
  allowances: Record<string, number>;
  /** GPUs each team holds or has approved in the queue. */
  usage: Record<string, number>;
  /**
   * GPUs of the pool held by bound pods on healthy nodes that no active
   * grant covers (pods outside portal namespaces, or beyond a namespace's
   * grant); they are not available.
   */
  outsideGrants?: number;
  /** Whether capacity was read from the cluster just now (false: last known). */
  live: boolean;
  /** Allocation samples, when asked for with `?history=`. */
  history?: Array<{
    at: string;
    allocated: number;
    capacity: number;
    queued: number;
  }>;
}

/**
 * A pod holding GPUs of a pool that no active grant covers.
 *
 * @public
 */
export interface GpuHolderOutsideGrants {
  cluster: string;
  pool: string;
  namespace: string;
  pod: string;
  node: string;
  gpus: number;
}

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
export interface GpuPoolAuditVerification {
  ok: boolean;
  /** Entries checked. */
  checked: number;
  /** Id of the first entry whose hash or link does not match. */
  firstBrokenId?: number;
  /** What is wrong, when not ok. */
  reason?: string;
}
