import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';
import { GPU_POOL_TEAM_RESOURCE_TYPE } from './permissions';

/**
 * Label that hands a Job to Kueue: the name of the LocalQueue in the Job's
 * namespace.
 *
 * @public
 */
export const KUEUE_QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';

/**
 * Name of the LocalQueue the portal keeps in every team namespace it manages;
 * the training job template sets it as the Job's queue name.
 *
 * @public
 */
export const GPU_POOL_LOCAL_QUEUE_NAME = 'portal-gpu-pool';

/**
 * Annotation with the run time the job's owner expects, an ISO 8601 duration
 * such as `PT4H`. The portal estimates queued jobs' start times from the
 * expected ends of the running ones; the training job template sets it.
 *
 * @public
 */
export const EXPECTED_DURATION_ANNOTATION =
  'portal.cloud-smart.io/expected-duration';

/**
 * Lab cluster only: a pod with this annotation finishes after that many
 * seconds. Read as the expected duration when nothing else says.
 *
 * @public
 */
export const LAB_RUN_SECONDS_ANNOTATION = 'lab.cloud-smart.io/run-seconds';

/**
 * Signal channel on which the backend announces that a team's workloads
 * changed; the message names the team, cluster and namespace.
 *
 * @public
 */
export const GPU_POOL_WORKLOADS_CHANNEL = 'gpu-pool:workloads';

/**
 * Message published on {@link GPU_POOL_WORKLOADS_CHANNEL}.
 *
 * @public
 */
export interface GpuWorkloadsSignal {
  team: string;
  cluster: string;
  namespace: string;
}

/**
 * Read a team's Kueue workloads (jobs queued or running on its GPUs).
 *
 * @public
 */
export const gpuPoolWorkloadReadPermission = createPermission({
  name: 'gpu-pool.workload.read',
  attributes: { action: 'read' },
  resourceType: GPU_POOL_TEAM_RESOURCE_TYPE,
});

/**
 * Where a workload is in its life, derived from its Workload conditions:
 *
 * - `pending`: waiting in its queue for quota;
 * - `admitted`: quota reserved and admission checks passed, pods not ready yet;
 * - `running`: admitted and its pods are ready;
 * - `finished`: the job succeeded or failed (`Finished`);
 * - `evicted`: was admitted and is back in the queue (preempted, stopped queue);
 * - `inactive`: `spec.active: false`, never admitted until reactivated.
 *
 * @public
 */
export const gpuWorkloadStates = [
  'pending',
  'admitted',
  'running',
  'finished',
  'evicted',
  'inactive',
] as const;

/** @public */
export type GpuWorkloadState = (typeof gpuWorkloadStates)[number];

/**
 * A Workload condition as Kueue stores it.
 *
 * @public
 */
export interface GpuWorkloadCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * One Kueue Workload of a team with its Job, as `GET /workloads` returns it.
 *
 * @public
 */
export interface GpuWorkload {
  cluster: string;
  namespace: string;
  /** Owning team's entity ref, from the portal's claim on the namespace. */
  team: string;
  /** The Workload object's name. */
  name: string;
  /** The Job the Workload belongs to, when it is owned by one. */
  job?: { kind: string; name: string };
  localQueue?: string;
  clusterQueue?: string;
  state: GpuWorkloadState;
  /** Reason and message of the condition that decided the state. */
  reason?: string;
  message?: string;
  conditions: GpuWorkloadCondition[];
  /**
   * Positions from Kueue's visibility API as it gives them (0 is next),
   * pending workloads only; the page shows them 1-based.
   */
  positionInLocalQueue?: number;
  positionInClusterQueue?: number;
  /** GPUs (or MIG slices) the workload asks for, by resource name. */
  gpus: Record<string, number>;
  /** Flavor Kueue assigned to each GPU resource, once quota is reserved. */
  flavors: Record<string, string>;
  createdAt?: string;
  admittedAt?: string;
  finishedAt?: string;
  /** Expected run time in seconds, when the Job states it. */
  expectedDurationSeconds?: number;
  /** Running workloads: when they are expected to end. */
  expectedEnd?: string;
  /**
   * Pending workloads: when they can start, from the expected ends of the
   * running workloads of the same ClusterQueue; undefined when unknown.
   */
  estimatedStart?: string;
}

/**
 * Answer of `GET /workloads`: the workloads of the clusters that answered,
 * and one error per cluster that did not (only when no cluster was named).
 *
 * @public
 */
export interface GpuWorkloadList {
  items: GpuWorkload[];
  errors: Array<{ cluster: string; message: string }>;
}

/**
 * Query of `GET /workloads`.
 *
 * @public
 */
export const listWorkloadsQuerySchema = z
  .object({
    cluster: z.string().min(1, 'must not be empty').optional(),
    namespace: z
      .string()
      .regex(
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        'must be a DNS-1123 label (lower case letters, digits and "-")',
      )
      .optional(),
  })
  .strict();

/** @public */
export type ListWorkloadsQuery = z.infer<typeof listWorkloadsQuerySchema>;
