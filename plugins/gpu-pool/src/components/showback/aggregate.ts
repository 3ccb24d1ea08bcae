import type { ShowbackRow } from '@internal/plugin-gpu-pool-common';

/** Sums of showback rows: one period, or the whole range. */
export interface ShowbackTotals {
  granted: number;
  /** Undefined when any row's busy hours are missing (never counted as 0). */
  busy?: number;
  reclaimed: number;
  grants: number;
  /** Mean queue wait over the grants, seconds; undefined without grants. */
  meanWaitSeconds?: number;
}

/** Sums rows; the mean wait is weighted by each row's grants. */
export function totalsOf(rows: ShowbackRow[]): ShowbackTotals {
  let granted = 0;
  let busy: number | undefined = 0;
  let reclaimed = 0;
  let grants = 0;
  let waitSum = 0;
  for (const r of rows) {
    granted += r.grantedGpuHours;
    reclaimed += r.reclaimedGpuHours;
    if (r.busyGpuHours === undefined || busy === undefined) busy = undefined;
    else busy += r.busyGpuHours;
    grants += r.grants;
    waitSum += (r.meanQueueWaitSeconds ?? 0) * r.grants;
  }
  return {
    granted,
    busy,
    reclaimed,
    grants,
    meanWaitSeconds: grants ? waitSum / grants : undefined,
  };
}

/** Per period, in order: the chart's data. */
export function totalsByPeriod(
  rows: ShowbackRow[],
): Array<ShowbackTotals & { period: string }> {
  const byPeriod = new Map<string, ShowbackRow[]>();
  for (const r of rows) {
    byPeriod.set(r.periodStart, [...(byPeriod.get(r.periodStart) ?? []), r]);
  }
  return [...byPeriod.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, list]) => ({ period, ...totalsOf(list) }));
}
