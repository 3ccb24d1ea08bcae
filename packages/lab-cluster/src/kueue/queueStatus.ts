// The status Kueue keeps on ClusterQueues and LocalQueues: workload counts,
// flavor usage and the Active condition, recomputed on every pass.
import { LabClock, labTimestamp } from '../controllers/clock';
import { ObjectWriter, setCondition } from '../controllers/objectWriter';
import {
  Snapshot,
  clusterQueueOf,
  missingFlavors,
  reservedUsage,
  stopPolicy,
} from './queueSnapshot';
import { usageOf } from './quotaModel';
import {
  admittedUsage,
  isAdmitted,
  isPending,
  isReserving,
  quantity,
} from './workloadState';

/** The ClusterQueue's Active condition, worded as Kueue's. */
function clusterQueueActive(policy: string, missing: string[]) {
  if (policy !== 'None')
    return {
      status: 'False',
      reason: 'Stopped',
      message: "Can't admit new workloads: is stopped.",
    };
  if (missing.length)
    return {
      status: 'False',
      reason: 'FlavorNotFound',
      message: `Can't admit new workloads: references missing ResourceFlavor(s): ${missing.join(
        ',',
      )}.`,
    };
  return {
    status: 'True',
    reason: 'Ready',
    message: 'Can admit new workloads',
  };
}

/** The LocalQueue's Active condition, worded as Kueue's. */
function localQueueActive(policy: string, clusterQueueExists: boolean) {
  if (policy !== 'None')
    return {
      status: 'False',
      reason: 'Stopped',
      message: 'LocalQueue is stopped',
    };
  if (!clusterQueueExists)
    return {
      status: 'False',
      reason: 'ClusterQueueDoesNotExist',
      message: "Can't submit new workloads to clusterQueue",
    };
  return {
    status: 'True',
    reason: 'Ready',
    message: 'Can submit new workloads to localQueue',
  };
}

/** Writes the status of every queue whose computed status changed. */
export function writeQueueStatus(
  s: Snapshot,
  clock: LabClock,
  writer: ObjectWriter,
): void {
  const now = labTimestamp(clock);
  const usage = reservedUsage(s);
  const counts = (match: (wl: any) => boolean) => ({
    pendingWorkloads: s.workloads.filter(w => match(w) && isPending(w)).length,
    reservingWorkloads: s.workloads.filter(w => match(w) && isReserving(w))
      .length,
    admittedWorkloads: s.workloads.filter(w => match(w) && isAdmitted(w))
      .length,
  });
  for (const cq of s.cqs.values()) {
    const name = cq.metadata.name;
    const model = s.models.get(name);
    const flavorsUsage = (model?.groups ?? []).flatMap(g =>
      g.flavors.map(f => ({
        name: f.name,
        resources: g.covered.map(r => {
          const used = usageOf(usage, name, f.name, r);
          const nominal = f.quotas.get(r)?.nominal ?? 0;
          return {
            name: r,
            total: quantity(used, r),
            borrowed: quantity(Math.max(0, used - nominal), r),
          };
        }),
      })),
    );
    const active = clusterQueueActive(stopPolicy(cq), missingFlavors(s, cq));
    const status = {
      ...cq.status,
      ...counts(w => clusterQueueOf(s, w) === name),
      flavorsReservation: flavorsUsage,
      flavorsUsage,
      conditions: setCondition(
        cq.status?.conditions,
        { type: 'Active', ...active },
        now,
        { observedGeneration: cq.metadata.generation },
      ),
    };
    if (JSON.stringify(status) !== JSON.stringify(cq.status ?? {}))
      writer.update({ ...cq, status }, 'status');
  }
  for (const lq of s.lqs.values()) {
    const key = `${lq.metadata.namespace}/${lq.metadata.name}`;
    const inQueue = (w: any) =>
      `${w.metadata.namespace}/${w.spec?.queueName}` === key;
    const byFlavor = new Map<string, Map<string, number>>();
    for (const w of s.workloads) {
      if (!inQueue(w) || !isReserving(w)) continue;
      for (const u of admittedUsage(w)) {
        const m = byFlavor.get(u.flavor) ?? new Map<string, number>();
        m.set(u.resource, (m.get(u.resource) ?? 0) + u.value);
        byFlavor.set(u.flavor, m);
      }
    }
    const flavorsUsage = [...byFlavor].map(([name, m]) => ({
      name,
      resources: [...m].map(([r, v]) => ({ name: r, total: quantity(v, r) })),
    }));
    const active = localQueueActive(
      stopPolicy(lq),
      s.cqs.has(lq.spec?.clusterQueue),
    );
    const status = {
      ...lq.status,
      ...counts(inQueue),
      flavorsReservation: flavorsUsage,
      flavorsUsage,
      conditions: setCondition(
        lq.status?.conditions,
        { type: 'Active', ...active },
        now,
        { observedGeneration: lq.metadata.generation },
      ),
    };
    if (JSON.stringify(status) !== JSON.stringify(lq.status ?? {}))
      writer.update({ ...lq, status }, 'status');
  }
}
