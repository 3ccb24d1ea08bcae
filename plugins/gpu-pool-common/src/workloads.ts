import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';
import { GPU_POOL_TEAM_RESOURCE_TYPE } from './permissions';
import type { components } from './generated/openapi';
import type { Exactly } from './exactly';

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

/**
 * A workload's state; the compiler holds {@link gpuWorkloadStates} to the
 * spec's `Workload.state` enum.
 *
 * @public
 */
export type GpuWorkloadState = Exactly<
  (typeof gpuWorkloadStates)[number],
  components['schemas']['Workload']['state']
>;

/**
 * A Workload condition as Kueue stores it.
 *
 * @public
 */
export type GpuWorkloadCondition = components['schemas']['WorkloadCondition'];

/**
 * One Kueue Workload of a team with its Job, as `GET /workloads` returns it.
 *
 * @public
 */
export type GpuWorkload = components['schemas']['Workload'];

/**
 * Answer of `GET /workloads`: the workloads of the clusters that answered,
 * and one error per cluster that did not (only when no cluster was named).
 *
 * @public
 */
export type GpuWorkloadList = components['schemas']['WorkloadList'];

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
