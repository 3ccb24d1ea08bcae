// Kueue's eviction of admitted Workloads: deactivated (spec.active=false),
// or in a LocalQueue or ClusterQueue with stopPolicy HoldAndDrain.
import { LabClock, labTimestamp } from '../controllers/clock';
import { ObjectWriter, setCondition } from '../controllers/objectWriter';
import { Snapshot, localQueueOf, stopPolicy } from './queueSnapshot';
import { isActive, isReserving } from './workloadState';

/** Evicts every admitted Workload the emulation manages that must stop. */
export function evictStopped(
  s: Snapshot,
  clock: LabClock,
  writer: ObjectWriter,
  manages: (wl: any) => boolean,
): void {
  for (const wl of s.workloads) {
    if (!isReserving(wl) || !manages(wl)) continue;
    const lq = localQueueOf(s, wl);
    const cq = s.cqs.get(wl.status.admission.clusterQueue);
    if (!isActive(wl))
      evictOne(clock, writer, wl, 'Deactivated', 'The workload is deactivated');
    else if (stopPolicy(lq) === 'HoldAndDrain')
      evictOne(
        clock,
        writer,
        wl,
        'LocalQueueStopped',
        'The LocalQueue is stopped',
      );
    else if (stopPolicy(cq) === 'HoldAndDrain')
      evictOne(
        clock,
        writer,
        wl,
        'ClusterQueueStopped',
        'The ClusterQueue is stopped',
      );
  }
}

function evictOne(
  clock: LabClock,
  writer: ObjectWriter,
  wl: any,
  reason: string,
  message: string,
): void {
  const now = labTimestamp(clock);
  const gen = { observedGeneration: wl.metadata.generation };
  let conditions = setCondition(
    wl.status?.conditions,
    { type: 'Evicted', status: 'True', reason, message },
    now,
    gen,
  );
  conditions = setCondition(
    conditions,
    { type: 'QuotaReserved', status: 'False', reason: 'Pending', message },
    now,
    gen,
  );
  conditions = setCondition(
    conditions,
    {
      type: 'Admitted',
      status: 'False',
      reason: 'NoReservation',
      message: 'The workload has no reservation',
    },
    now,
    gen,
  );
  conditions = setCondition(
    conditions,
    reason === 'Deactivated'
      ? { type: 'Requeued', status: 'False', reason, message }
      : { type: 'Requeued', status: 'True', reason, message },
    now,
    gen,
  );
  const evictions: any[] = [...(wl.status?.schedulingStats?.evictions ?? [])];
  const i = evictions.findIndex(x => x.reason === reason);
  if (i >= 0) evictions[i] = { ...evictions[i], count: evictions[i].count + 1 };
  else evictions.push({ reason, underlyingCause: '', count: 1 });
  const { admission: _a, ...rest } = wl.status ?? {};
  writer.update(
    {
      ...wl,
      status: { ...rest, conditions, schedulingStats: { evictions } },
    },
    'status',
  );
}
