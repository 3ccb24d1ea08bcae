import type { GpuWorkload } from '@internal/plugin-gpu-pool-common';

/**
 * Estimates when pending workloads start: Kueue admits a ClusterQueue's
 * pending workloads in order as quota frees up, so the n-th pending workload
 * starts once the running workloads that end first have freed the GPUs it
 * and every workload ahead of it ask for. Per ClusterQueue and GPU resource;
 * running workloads without an expected end never free anything here, so a
 * queue that waits on them gets no estimate. Borrowing from the cohort can
 * only make starts earlier. Sets `estimatedStart` in place.
 */
export function estimateStarts(
  workloads: GpuWorkload[],
  clusterQueueOf: (w: GpuWorkload) => string | undefined,
  now: number,
): void {
  const groups = new Map<string, GpuWorkload[]>();
  for (const w of workloads) {
    const cq = clusterQueueOf(w);
    if (!cq) continue;
    const key = `${w.cluster}/${cq}`;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  for (const group of groups.values()) {
    const ends = group
      .filter(w => (w.state === 'running' || w.state === 'admitted') && w.expectedEnd)
      .map(w => ({ at: Date.parse(w.expectedEnd!), gpus: w.gpus }))
      .sort((a, b) => a.at - b.at);
    const pending = group
      .filter(w => w.state === 'pending' || w.state === 'evicted')
      .sort(
        (a, b) =>
          (a.positionInClusterQueue ?? Number.MAX_SAFE_INTEGER) -
            (b.positionInClusterQueue ?? Number.MAX_SAFE_INTEGER) ||
          (a.createdAt ?? '').localeCompare(b.createdAt ?? ''),
      );
    const demand: Record<string, number> = {};
    for (const w of pending) {
      let start = now;
      let known = true;
      for (const [resource, count] of Object.entries(w.gpus)) {
        demand[resource] = (demand[resource] ?? 0) + count;
        let freed = 0;
        const end = ends.find(e => {
          freed += e.gpus[resource] ?? 0;
          return freed >= demand[resource];
        });
        if (!end) {
          known = false;
          break;
        }
        start = Math.max(start, end.at);
      }
      if (known && Object.keys(w.gpus).length > 0) {
        w.estimatedStart = new Date(start).toISOString();
      }
    }
  }
}
