import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import type { GpuMetrics } from '@internal/plugin-kubernetes-access-node';
import { readGpuPoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { newNamespacesOnly } from '../../testing/newNamespacesOnly';
import { CapacityService } from '../Capacity/CapacityService';
import { DefaultGpuPoolService } from '../GpuPool/DefaultGpuPoolService';
import { GpuPoolUser } from '../GpuPool/types';
import { periodsBetween } from './periods';
import { showbackCsv } from './showbackCsv';
import { ShowbackService } from './ShowbackService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const HOUR = 3_600_000;
const START = Date.parse('2026-11-02T06:00:00Z'); // a Monday

const config = readGpuPoolConfig(
  new ConfigReader({
    gpuPool: {
      pools: [
        {
          id: 'h100',
          cluster: 'c1',
          resource: 'nvidia.com/gpu',
          maxDuration: 'P30D',
        },
        {
          id: 'l40s',
          cluster: 'c2',
          resource: 'nvidia.com/gpu',
          maxDuration: 'P30D',
        },
      ],
      allowances: ['a', 'b'].flatMap(t => [
        { team: `group:default/${t}`, pool: 'h100', gpus: 4 },
        { team: `group:default/${t}`, pool: 'l40s', gpus: 4 },
      ]),
    },
  }),
);

/** Busy time: a fixed fraction of the asked interval per namespace. */
class FractionMetrics implements GpuMetrics {
  fraction = new Map<string, number>([
    ['a-1', 0.5],
    ['b-1', 0.25],
  ]);
  down = false;
  isConfigured = (cluster: string) => cluster === 'c1';
  async gpuActivity() {
    return [];
  }
  async busyGpuSeconds(
    cluster: string,
    o: { namespace: string; start: Date; end: Date },
  ) {
    if (this.down)
      throw new ServiceUnavailableError(
        `Prometheus of ${cluster} did not answer`,
      );
    return (
      ((this.fraction.get(o.namespace) ?? 0) *
        (o.end.getTime() - o.start.getTime())) /
      1000
    );
  }
}

function user(team: string): GpuPoolUser {
  return {
    credentials: {} as any,
    userEntityRef: `user:default/${team}-dev`,
    ownershipEntityRefs: [`group:default/${team}`],
    isPlatformTeam: false,
  };
}

describe.each(databases.eachSupportedId())('showback on %p', databaseId => {
  it('sums granted, busy and reclaimed GPU-hours and queue wait equal to the request history', async () => {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex };
    const store = await GpuPoolStore.create({ database });
    let now = START;
    const clock = { now: () => now };
    const capacity: CapacityService = {
      getCapacities: async () =>
        new Map([
          ['h100', { capacity: 4, live: true }],
          ['l40s', { capacity: 4, live: true }],
        ]),
    };
    const service = await DefaultGpuPoolService.create({
      store,
      config,
      capacity,
      kubernetes: newNamespacesOnly(['c1', 'c2']),
      logger: mockServices.logger.mock(),
      clock,
    });
    const metrics = new FractionMetrics();
    const showback = await ShowbackService.create({
      database,
      metrics,
      logger: mockServices.logger.mock(),
      clock,
    });
    const ask = (
      team: string,
      ns: string,
      pool: string,
      count: number,
      duration: string,
    ) =>
      service.createRequest(
        {
          team: `group:default/${team}`,
          cluster: pool === 'h100' ? 'c1' : 'c2',
          namespace: ns,
          gpus: [{ pool, count }],
          duration,
          justification: '',
        },
        user(team),
      );

    // a-1: 3 H100 for 30 h, released by its owner after 30 h.
    const a1 = await ask('a', 'a-1', 'h100', 3, 'P3D');
    // b-1: 2 H100, queued behind a-1 until it ends (capacity 4).
    const b1 = await ask('b', 'b-1', 'h100', 2, 'P2D');
    expect(b1.status).toBe('queued');
    // b-2: 4 L40S on a cluster without GPU metrics, ended as idle after 10 h of a 2-day lease.
    const b2 = await ask('b', 'b-2', 'l40s', 4, 'P2D');
    now += 10 * HOUR;
    await service.releaseBySystem(b2.id, 'reclaimed-idle: test');
    now += 20 * HOUR;
    await service.release(a1.id, user('a'), 'done');
    expect((await service.getRequest(b1.id)).status).toBe('provisioning');
    now += 40 * HOUR; // b-1 runs 40 h of its 48 h, still holding

    const report = await showback.report({
      teams: ['group:default/a', 'group:default/b'],
      period: 'day',
      from: '2026-11-01',
      to: '2026-11-10',
    });

    // Independently from the requests' history (the API's timeline):
    // granted = GPUs × (end − grant), per team and pool.
    const expected = new Map<string, number>();
    for (const id of [a1.id, b1.id, b2.id]) {
      const r = await service.getRequest(id);
      const granted = r.history!.find(h => h.to === 'provisioning')!;
      const ended = r.history!.find(h =>
        ['released', 'expired', 'failed'].includes(h.to),
      );
      const end = ended ? Date.parse(ended.at) : now;
      const key = `${r.team}/${r.gpus[0].pool}`;
      expected.set(
        key,
        (expected.get(key) ?? 0) +
          (r.gpus[0].count * (end - Date.parse(granted.at))) / HOUR,
      );
    }
    const sum = (
      team: string,
      pool: string,
      f: (r: (typeof report.rows)[number]) => number,
    ) =>
      report.rows
        .filter(r => r.team === team && r.pool === pool)
        .reduce((s, r) => s + f(r), 0);
    for (const [key, hours] of expected) {
      const [team, pool] = key.split(/\/(?=[^/]+$)/);
      expect(sum(team, pool, r => r.grantedGpuHours)).toBeCloseTo(hours, 6);
    }
    expect(expected.get('group:default/a/h100')).toBe(90);
    expect(expected.get('group:default/b/h100')).toBe(80);
    expect(expected.get('group:default/b/l40s')).toBe(40);
    // The grants table agrees with the history.
    const grants = await store.read.grantIntervals();
    const fromGrants = grants.reduce(
      (s, g) => s + (g.count * ((g.releasedAt ?? now) - g.grantedAt)) / HOUR,
      0,
    );
    expect(report.rows.reduce((s, r) => s + r.grantedGpuHours, 0)).toBeCloseTo(
      fromGrants,
      6,
    );

    // Busy from the metrics: half of a-1's, a quarter of b-1's.
    expect(sum('group:default/a', 'h100', r => r.busyGpuHours!)).toBeCloseTo(
      30 * 0.5,
      6,
    );
    expect(sum('group:default/b', 'h100', r => r.busyGpuHours!)).toBeCloseTo(
      40 * 0.25,
      6,
    );
    // c2 has no GPU metrics: shown as such, never as 0.
    const l40s = report.rows.filter(r => r.pool === 'l40s');
    expect(l40s.length).toBeGreaterThan(0);
    for (const r of l40s) {
      expect(r.busyGpuHours).toBeUndefined();
      expect(r.busyMissing).toBe('no-metrics');
    }
    expect(report.metrics).toEqual({ c1: 'ok', c2: 'no-metrics' });
    // Reclaimed: 4 GPUs × the 38 h the lease had left.
    expect(
      sum('group:default/b', 'l40s', r => r.reclaimedGpuHours),
    ).toBeCloseTo(4 * 38, 6);
    expect(sum('group:default/a', 'h100', r => r.reclaimedGpuHours)).toBe(0);
    // Queue wait: b-1 waited 30 h, the others 0; grants in the day they were granted.
    const b1Day = report.rows.find(
      r => r.team === 'group:default/b' && r.pool === 'h100' && r.grants === 1,
    )!;
    expect(b1Day.periodStart).toBe('2026-11-03');
    expect(b1Day.meanQueueWaitSeconds).toBe(30 * 3600);
    expect(
      report.rows.find(r => r.team === 'group:default/a' && r.grants === 1)!
        .meanQueueWaitSeconds,
    ).toBe(0);

    // The same sums per week and per month.
    for (const period of ['week', 'month'] as const) {
      const r2 = await showback.report({
        teams: ['group:default/a', 'group:default/b'],
        period,
        from: '2026-11-01',
        to: '2026-11-10',
      });
      expect(r2.rows.reduce((s, r) => s + r.grantedGpuHours, 0)).toBeCloseTo(
        210,
        6,
      );
    }
    // A team sees only its own rows.
    const onlyA = await showback.report({
      teams: ['group:default/a'],
      period: 'week',
      from: '2026-11-01',
      to: '2026-11-10',
    });
    expect(new Set(onlyA.rows.map(r => r.team))).toEqual(
      new Set(['group:default/a']),
    );

    // Prometheus down: busy is "unavailable", granted stays.
    metrics.down = true;
    const down = await showback.report({
      teams: ['group:default/a'],
      period: 'month',
      from: '2026-11-01',
      to: '2026-11-10',
    });
    expect(down.metrics.c1).toBe('metrics-unavailable');
    expect(down.rows[0]).toMatchObject({
      grantedGpuHours: 90,
      busyMissing: 'metrics-unavailable',
    });
    expect(down.rows[0].busyGpuHours).toBeUndefined();
    const csv = showbackCsv(down).split('\r\n');
    expect(csv[0]).toBe(
      'period,period_start,team,pool,cluster,granted_gpu_hours,busy_gpu_hours,busy_missing,reclaimed_gpu_hours,grants,mean_queue_wait_seconds',
    );
    expect(csv[1]).toBe(
      'month,2026-11-01,group:default/a,h100,c1,90,,metrics-unavailable,0,1,0',
    );
  });
});

describe('periodsBetween', () => {
  it('starts weeks on Monday and months on the 1st, in UTC', () => {
    const now = Date.parse('2026-11-30T23:00:00Z');
    expect(
      periodsBetween('week', now, '2026-11-04', '2026-11-18').map(p => p.label),
    ).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    expect(periodsBetween('month', now).map(p => p.label)).toEqual([
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
    ]);
    expect(periodsBetween('day', now)).toHaveLength(14);
    expect(() =>
      periodsBetween('day', now, '2026-11-10', '2026-11-01'),
    ).toThrow('from: is after to');
    expect(() => periodsBetween('day', now, '2020-01-01')).toThrow(
      /more than 400 days/,
    );
  });
});
