import type { ShowbackRow } from '@internal/plugin-gpu-pool-common';
import { totalsByPeriod, totalsOf } from './aggregate';

function row(p: Partial<ShowbackRow>): ShowbackRow {
  return {
    team: 'group:default/ml-team',
    pool: 'h100',
    cluster: 'c1',
    period: 'day',
    periodStart: '2026-11-30',
    grantedGpuHours: 0,
    reclaimedGpuHours: 0,
    grants: 0,
    ...p,
  };
}

describe('showback totals', () => {
  it('sums hours, weights the wait by grants and never counts missing busy hours as 0', () => {
    const rows = [
      row({
        grantedGpuHours: 10,
        busyGpuHours: 4,
        reclaimedGpuHours: 1,
        grants: 1,
        meanQueueWaitSeconds: 3600,
      }),
      row({
        pool: 'l40s',
        grantedGpuHours: 6,
        busyGpuHours: 2,
        grants: 3,
        meanQueueWaitSeconds: 0,
      }),
      row({
        periodStart: '2026-11-29',
        grantedGpuHours: 2,
        busyMissing: 'no-metrics',
      }),
    ];
    expect(totalsOf(rows.slice(0, 2))).toEqual({
      granted: 16,
      busy: 6,
      reclaimed: 1,
      grants: 4,
      meanWaitSeconds: 900,
    });
    expect(totalsOf(rows).busy).toBeUndefined();
    expect(
      totalsByPeriod(rows).map(p => [p.period, p.granted, p.busy]),
    ).toEqual([
      ['2026-11-29', 2, undefined],
      ['2026-11-30', 16, 6],
    ]);
    expect(totalsOf([]).meanWaitSeconds).toBeUndefined();
  });
});
