// Names and keys of the Kueue emulation, as Kueue v1beta2 spells them.
import { createHash } from 'node:crypto';
import { resourceKey } from '../api/resources';

export const KUEUE_GROUP = 'kueue.x-k8s.io';
export const KUEUE_VERSION = 'v1beta2';
export const VISIBILITY_GROUP = 'visibility.kueue.x-k8s.io';
export const QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';
export const JOB_UID_LABEL = 'kueue.x-k8s.io/job-uid';

export const WORKLOAD_KEY = resourceKey(KUEUE_GROUP, 'workloads');
export const CLUSTER_QUEUE_KEY = resourceKey(KUEUE_GROUP, 'clusterqueues');
export const LOCAL_QUEUE_KEY = resourceKey(KUEUE_GROUP, 'localqueues');
export const FLAVOR_KEY = resourceKey(KUEUE_GROUP, 'resourceflavors');
export const JOB_KEY = resourceKey('batch', 'jobs');

/**
 * Kueue's jobframework name for an owner's Workload:
 * `<kind>-<owner name>-<first 5 hex of sha1(kind, group, name, uid)>`.
 */
export function workloadNameFor(
  ownerName: string,
  ownerUid: string,
  kind = 'Job',
  group = 'batch',
): string {
  const hash = createHash('sha1')
    .update(`${kind}\n${group}\n${ownerName}\n${ownerUid}`)
    .digest('hex')
    .slice(0, 5);
  const prefix = `${kind.toLowerCase()}-${ownerName}`.slice(0, 253 - 1 - 5);
  return `${prefix}-${hash}`;
}

/** The queue a Job asks for: the label, or the older annotation. */
export function queueNameOf(obj: any): string | undefined {
  return (
    obj?.metadata?.labels?.[QUEUE_NAME_LABEL] ??
    obj?.metadata?.annotations?.[QUEUE_NAME_LABEL]
  );
}
