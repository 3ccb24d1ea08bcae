// One consistent read of the Kueue objects a controller pass works on, and
// the questions every part of the pass asks of it.
import { ObjectStore } from '../store/store';
import {
  CLUSTER_QUEUE_KEY,
  FLAVOR_KEY,
  LOCAL_QUEUE_KEY,
  WORKLOAD_KEY,
} from './names';
import {
  FlavorInfo,
  QueueModel,
  Usage,
  addUsage,
  queueModel,
} from './quotaModel';
import { admittedUsage, isReserving } from './workloadState';

export interface Snapshot {
  flavors: Map<string, FlavorInfo>;
  cqs: Map<string, any>;
  lqs: Map<string, any>;
  workloads: any[];
  models: Map<string, QueueModel>;
}

export function takeSnapshot(store: ObjectStore): Snapshot {
  const flavors = new Map<string, FlavorInfo>(
    store.list(FLAVOR_KEY).map(e => [
      e.obj.metadata.name,
      {
        nodeLabels: e.obj.spec?.nodeLabels ?? {},
        nodeTaints: e.obj.spec?.nodeTaints ?? [],
        tolerations: e.obj.spec?.tolerations ?? [],
      },
    ]),
  );
  const cqs = new Map(
    store.list(CLUSTER_QUEUE_KEY).map(e => [e.obj.metadata.name, e.obj]),
  );
  const lqs = new Map(
    store
      .list(LOCAL_QUEUE_KEY)
      .map(e => [`${e.obj.metadata.namespace}/${e.obj.metadata.name}`, e.obj]),
  );
  const workloads = store.list(WORKLOAD_KEY).map(e => e.obj);
  const models = new Map(
    [...cqs.values()]
      .filter(cq => !cq.metadata.deletionTimestamp)
      .map(cq => [cq.metadata.name, queueModel(cq)]),
  );
  return { flavors, cqs, lqs, workloads, models };
}

/** A queue's stopPolicy (None, Hold, HoldAndDrain). */
export function stopPolicy(obj: any): string {
  return obj?.spec?.stopPolicy ?? 'None';
}

export function localQueueOf(s: Snapshot, wl: any): any | undefined {
  return s.lqs.get(`${wl.metadata.namespace}/${wl.spec?.queueName}`);
}

/** The ClusterQueue a workload is in: its admission's, else its LocalQueue's. */
export function clusterQueueOf(s: Snapshot, wl: any): string | undefined {
  if (isReserving(wl)) return wl.status.admission.clusterQueue;
  return localQueueOf(s, wl)?.spec?.clusterQueue;
}

/** The ResourceFlavors a ClusterQueue names that do not exist. */
export function missingFlavors(s: Snapshot, cq: any): string[] {
  const names = (cq.spec?.resourceGroups ?? []).flatMap((g: any) =>
    (g.flavors ?? []).map((f: any) => f.name as string),
  );
  return names.filter((n: string) => !s.flavors.has(n));
}

/** Quota reserved per ClusterQueue, flavor and resource. */
export function reservedUsage(s: Snapshot): Usage {
  const usage: Usage = new Map();
  for (const wl of s.workloads) {
    if (!isReserving(wl)) continue;
    for (const u of admittedUsage(wl))
      addUsage(
        usage,
        wl.status.admission.clusterQueue,
        u.flavor,
        u.resource,
        u.value,
      );
  }
  return usage;
}
