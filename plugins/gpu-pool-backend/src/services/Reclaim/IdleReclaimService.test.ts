import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  GpuActivity,
  GpuMetrics,
} from '@internal/plugin-kubernetes-access-node';
import { readGpuPoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import { newNamespacesOnly } from '../../testing/newNamespacesOnly';
import { CapacityService } from '../Capacity/CapacityService';
import { DefaultGpuPoolService } from '../GpuPool/DefaultGpuPoolService';
import { GpuPoolUser } from '../GpuPool/types';
import {
  gpuPoolReleasePath,
  IdleReclaimService,
  RECLAIMED_IDLE,
} from './IdleReclaimService';
import { readIdleReclaimPolicies } from './readIdleReclaimPolicies';
import { ReclaimStore } from './ReclaimStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const MIN = 60_000;

const root = new ConfigReader({
  gpuPool: {
    pools: [
      {
        id: 'p',
        cluster: 'c1',
        resource: 'nvidia.com/gpu',
        idleReclaim: {
          thresholdPercent: 5,
          idleMinutes: 10,
          graceMinutes: 20,
          keepMinutes: 60,
        },
      },
      { id: 'q', cluster: 'c2', resource: 'nvidia.com/gpu' },
    ],
    allowances: ['a', 'b', 'c'].flatMap(t => [
      { team: `group:default/${t}`, pool: 'p', gpus: 4 },
      { team: `group:default/${t}`, pool: 'q', gpus: 4 },
    ]),
  },
});

/** GPU metrics kept in memory: activity per (cluster, namespace). */
class MemoryGpuMetrics implements GpuMetrics {
  configured = new Set(['c1']);
  down = new Set<string>();
  activity = new Map<string, GpuActivity[]>();
  calls: string[] = [];
  isConfigured(cluster: string) {
    return this.configured.has(cluster);
  }
  set(namespace: string, ...max: number[]) {
    this.activity.set(
      namespace,
      max.map((m, i) => ({
        node: 'n1',
        gpu: String(i),
        uuid: `GPU-${namespace}-${i}`,
        modelName: 'NVIDIA H100 80GB HBM3',
        namespace,
        pod: `${namespace}-0`,
        maxEngineActive: m,
        meanEngineActive: m,
        samples: 60,
      })),
    );
  }
  async gpuActivity(
    cluster: string,
    o: { windowSeconds: number; namespace?: string },
  ) {
    this.calls.push(`${cluster}/${o.namespace}/${o.windowSeconds}`);
    if (this.down.has(cluster)) {
      throw new ServiceUnavailableError(
        `Prometheus of ${cluster} did not answer`,
      );
    }
    return this.activity.get(o.namespace ?? '') ?? [];
  }
  async busyGpuSeconds() {
    return 0;
  }
}

function user(team: string): GpuPoolUser {
  return {
    credentials: {} as any,
    userEntityRef: `user:default/${team}-dev`,
    ownershipEntityRefs: [`user:default/${team}-dev`, `group:default/${team}`],
    isPlatformTeam: false,
  };
}

const platform: GpuPoolUser = {
  credentials: {} as any,
  userEntityRef: 'user:default/ops',
  ownershipEntityRefs: ['user:default/ops', 'group:default/platform-team'],
  isPlatformTeam: true,
};

describe.each(databases.eachSupportedId())('idle reclaim on %p', databaseId => {
  async function setUp() {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex };
    const store = await GpuPoolStore.create({ database });
    let now = Date.parse('2026-11-30T09:00:00Z');
    const clock = { now: () => now };
    const capacity: CapacityService = {
      getCapacities: async () =>
        new Map([
          ['p', { capacity: 2, live: true }],
          ['q', { capacity: 2, live: true }],
        ]),
    };
    const config = readGpuPoolConfig(root);
    const audited: string[] = [];
    const auditor = mockServices.auditor.mock();
    auditor.createEvent.mockImplementation(async (e: any) => {
      audited.push(e.eventId);
      return { success: async () => {}, fail: async () => {} };
    });
    const audit = GpuPoolAudit.create({
      auditor,
      logger: mockServices.logger.mock(),
    });
    const service = await DefaultGpuPoolService.create({
      store,
      config,
      capacity,
      kubernetes: newNamespacesOnly(['c1', 'c2']),
      logger: mockServices.logger.mock(),
      clock,
      audit,
    });
    const metrics = new MemoryGpuMetrics();
    const notifications: any[] = [];
    const reclaim = IdleReclaimService.create({
      store,
      reclaimStore: await ReclaimStore.create({ database }),
      policies: readIdleReclaimPolicies(root),
      metrics,
      release: gpuPoolReleasePath(service),
      audit,
      logger: mockServices.logger.mock(),
      notifications: {
        send: async (n: any) => void notifications.push(n),
      } as any,
      clock,
    });
    /** A running lease of `team` in `namespace`. */
    async function lease(
      team: string,
      namespace: string,
      pool = 'p',
      count = 2,
    ) {
      const r = await service.createRequest(
        {
          team: `group:default/${team}`,
          cluster: pool === 'p' ? 'c1' : 'c2',
          namespace,
          gpus: [{ pool, count }],
          duration: 'PT8H',
          justification: '',
        },
        user(team),
      );
      if (r.status === 'provisioning') {
        await store.transaction(tx =>
          tx.changeStatus(r.id, 'provisioning', 'active', {
            actor: 'test',
            reason: 'ready',
            at: now,
          }),
        );
      }
      return r.id;
    }
    return {
      store,
      service,
      metrics,
      notifications,
      audited,
      reclaim,
      lease,
      advance: (ms: number) => {
        now += ms;
      },
      status: async (id: string) => (await store.read.getRequest(id))!.status,
      history: async (id: string) => (await service.getRequest(id)).history!,
    };
  }

  it('nudges an idle lease, reclaims it after the grace and admits the next request', async () => {
    const t = await setUp();
    const a = await t.lease('a', 'a-ns');
    const b = await t.lease('b', 'b-ns');
    expect(await t.status(b)).toBe('queued');
    t.metrics.set('a-ns', 0.01, 0.03);

    t.advance(5 * MIN);
    expect((await t.reclaim.runOnce()).untouched['too-young']).toEqual([a]);

    t.advance(6 * MIN);
    expect((await t.reclaim.runOnce()).nudged).toEqual([a]);
    expect(t.notifications).toHaveLength(1);
    const notice = t.notifications[0];
    expect(notice.recipients.entityRef).toEqual([
      'group:default/a',
      'user:default/a-dev',
    ]);
    // Korean only by default, the reclaim time (09:31 UTC) in Seoul time.
    expect(notice.payload.title).toBe(
      'a-ns의 GPU가 유휴 상태입니다: 2026. 11. 30. 오후 6:31 (GMT+9)에 회수됩니다',
    );
    expect(notice.payload.description).toContain(
      `/gpu-pool/requests/${a}?reclaim=keep`,
    );
    expect(notice.payload.description).toContain(
      `/gpu-pool/requests/${a}?reclaim=release`,
    );
    expect((await t.reclaim.status(a)).phase).toBe('nudged');

    t.advance(19 * MIN);
    expect((await t.reclaim.runOnce()).untouched.grace).toEqual([a]);
    expect(await t.status(a)).toBe('active');

    t.advance(1 * MIN);
    expect((await t.reclaim.runOnce()).reclaimed).toEqual([a]);
    expect(await t.status(a)).toBe('released');
    expect(await t.status(b)).toBe('provisioning');
    const history = await t.history(a);
    expect(history.map(h => h.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^idle: every GPU stayed below 5% for 10 min \(max 3%\)/,
        ),
        expect.stringMatching(
          new RegExp(`^${RECLAIMED_IDLE}: no answer within 20 min`),
        ),
      ]),
    );
    expect(history.at(-1)).toMatchObject({
      to: 'released',
      actor: 'system:gpu-pool',
    });
    const s = await t.reclaim.status(a);
    expect(s.phase).toBe('reclaimed');
    expect(t.audited).toEqual(
      expect.arrayContaining(['idle-nudge', 'idle-reclaim', 'request-release']),
    );
    expect(t.notifications.map(n => n.payload.title)).toEqual([
      expect.stringContaining('a-ns의 GPU가 유휴 상태입니다'),
      'a-ns의 유휴 GPU가 회수되었습니다',
    ]);
  });

  it('never touches a busy lease, and withdraws the notice when activity resumes', async () => {
    const t = await setUp();
    const a = await t.lease('a', 'a-ns');
    t.metrics.set('a-ns', 0.02, 0.8);
    for (let i = 0; i < 12; i++) {
      t.advance(10 * MIN);
      const run = await t.reclaim.runOnce();
      expect(run.untouched.busy).toEqual([a]);
    }
    expect(t.notifications).toHaveLength(0);
    t.metrics.set('a-ns', 0.02, 0.01);
    expect((await t.reclaim.runOnce()).nudged).toEqual([a]);
    t.metrics.set('a-ns', 0.02, 0.05);
    t.advance(30 * MIN);
    expect((await t.reclaim.runOnce()).withdrawn).toEqual([a]);
    t.advance(30 * MIN);
    await t.reclaim.runOnce();
    expect(await t.status(a)).toBe('active');
    expect((await t.reclaim.status(a)).phase).toBe('watching');
  });

  it('never reclaims on missing metrics: unconfigured, unavailable or without samples', async () => {
    const t = await setUp();
    const a = await t.lease('a', 'a-ns');
    const unwatched = await t.lease('c', 'c-ns', 'q');
    t.metrics.set('a-ns', 0);
    t.advance(11 * MIN);
    expect((await t.reclaim.runOnce()).nudged).toEqual([a]);
    t.advance(60 * MIN);

    t.metrics.down.add('c1');
    expect(
      (await t.reclaim.runOnce()).untouched['metrics-unavailable'],
    ).toEqual([a]);
    t.metrics.down.clear();
    t.metrics.configured.clear();
    expect((await t.reclaim.runOnce()).untouched['no-metrics']).toEqual([a]);
    t.metrics.configured.add('c1');
    t.metrics.activity.set('a-ns', []);
    expect((await t.reclaim.runOnce()).untouched['no-samples']).toEqual([a]);
    t.metrics.set('a-ns', 0);
    t.metrics.activity.get('a-ns')![0].samples = 0;
    expect((await t.reclaim.runOnce()).untouched['no-samples']).toEqual([a]);
    expect(await t.status(a)).toBe('active');
    expect((await t.reclaim.status(a)).lastOutcome).toBe('no-samples');
    // A pool without a policy is never even read.
    expect(t.metrics.calls.some(c => c.startsWith('c2/'))).toBe(false);
    expect(await t.status(unwatched)).toBe('active');
  });

  it('keeps a lease for keepMinutes, and exempted leases stay', async () => {
    const t = await setUp();
    const a = await t.lease('a', 'a-ns', 'p', 1);
    const b = await t.lease('b', 'b-ns', 'p', 1);
    t.metrics.set('a-ns', 0);
    t.metrics.set('b-ns', 0);
    t.advance(11 * MIN);
    expect((await t.reclaim.runOnce()).nudged.sort()).toEqual([a, b].sort());

    const kept = await t.reclaim.keep(a, user('a'), 'demo tomorrow');
    expect(kept.phase).toBe('kept');
    expect(kept.keptUntil).toBe(
      new Date(Date.parse('2026-11-30T09:11:00Z') + 60 * MIN).toISOString(),
    );
    expect(
      (await t.reclaim.exempt(a, platform, 'benchmark for the board')).phase,
    ).toBe('exempt');
    t.advance(25 * MIN);
    const run = await t.reclaim.runOnce();
    expect(run.reclaimed).toEqual([b]);
    expect(run.untouched.exempt).toEqual([a]);
    t.advance(600 * MIN);
    await t.reclaim.runOnce();
    expect(await t.status(a)).toBe('active');
    const reasons = (await t.history(a)).map(h => `${h.actor}: ${h.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^user:default\/a-dev: idle reclaim: kept until .*: demo tomorrow$/,
        ),
        expect.stringMatching(
          /^user:default\/ops: idle reclaim: exempted by the platform team/,
        ),
      ]),
    );
    expect(t.audited).toEqual(
      expect.arrayContaining(['idle-keep', 'idle-exempt']),
    );
  });

  it('lets the owner release an idle lease in one click, on the release path', async () => {
    const t = await setUp();
    const a = await t.lease('a', 'a-ns');
    const status = await t.reclaim.release(a, user('a'));
    expect(status.phase).toBe('reclaimed');
    expect(await t.status(a)).toBe('released');
    expect((await t.history(a)).at(-1)).toMatchObject({
      actor: 'user:default/a-dev',
      reason: `${RECLAIMED_IDLE}: released by the owner from the idle notice`,
    });
    await expect(t.reclaim.keep(a, user('a'))).rejects.toThrow(
      /released, not a running lease/,
    );
  });
});

describe('readIdleReclaimPolicies', () => {
  it('names the field of a bad value', () => {
    expect(() =>
      readIdleReclaimPolicies(
        new ConfigReader({
          gpuPool: {
            pools: [
              {
                id: 'x',
                idleReclaim: {
                  thresholdPercent: 5,
                  idleMinutes: 'soon',
                  graceMinutes: 1,
                },
              },
            ],
          },
        }),
      ),
    ).toThrow(
      'gpuPool.pools[0].idleReclaim.idleMinutes must be a positive number, got "soon"',
    );
    expect(() =>
      readIdleReclaimPolicies(
        new ConfigReader({
          gpuPool: {
            pools: [
              {
                id: 'x',
                idleReclaim: {
                  thresholdPercent: 150,
                  idleMinutes: 1,
                  graceMinutes: 1,
                },
              },
            ],
          },
        }),
      ),
    ).toThrow(
      'gpuPool.pools[0].idleReclaim.thresholdPercent must be at most 100',
    );
    expect(
      readIdleReclaimPolicies(
        new ConfigReader({
          gpuPool: {
            pools: [
              {
                id: 'x',
                idleReclaim: {
                  thresholdPercent: 5,
                  idleMinutes: 0.25,
                  graceMinutes: 0.1,
                },
              },
            ],
          },
        }),
      ).get('x'),
    ).toEqual({
      thresholdPercent: 5,
      idleMinutes: 0.25,
      graceMinutes: 0.1,
      keepMinutes: 720,
    });
  });
});
