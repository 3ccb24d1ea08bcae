import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { startLabFleet, LabFleet } from '@internal/lab-cluster';
import {
  servedRoutes,
  specRoutes,
  startSpecProxy,
  SpecProxy,
} from '@internal/lab-cluster/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { gpuPoolPlugin } from '../plugin';
import { spec } from '../schema/openapi/generated/router';
import {
  eventually,
  intervalScheduler,
  labConfig,
  labPools,
  sinks,
  userInfoFactory,
} from '../testing/fixtures';

// An in-memory SQLite from TestDatabases, closed after the file: the test
// backend's default database never closes its clients, whose pool timers keep
// the jest worker alive.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

jest.setTimeout(90_000);

const ml = mockCredentials.user.header('user:default/jiwoo.kim');
const payments = mockCredentials.user.header('user:default/jisoo.han');
const platform = mockCredentials.user.header('user:default/hyunwoo.park');
const API = '/api/gpu-pool';

/**
 * Every route of the spec, through Backstage's validating proxy: a response
 * (or a request) that does not match `schema/openapi.yaml` fails the test.
 */
describe('the GPU pool API against its spec', () => {
  let lab: LabFleet;
  let backend: Server;
  let proxy: SpecProxy;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    const scheduler = intervalScheduler();
    const config = labConfig(lab, {
      // Idle reclaim watches the A100 pool but never acts during the test.
      idleReclaimIntervalSeconds: 3600,
      pools: labPools.map(p =>
        p.id === 'lab-main-a100'
          ? {
              ...p,
              idleReclaim: {
                thresholdPercent: 5,
                idleMinutes: 600,
                graceMinutes: 60,
                keepMinutes: 60,
              },
            }
          : p,
      ),
    });
    const started = await startTestBackend({
      features: [
        gpuPoolPlugin,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({ data: config }),
        userInfoFactory,
        scheduler.factory,
        // Requests without a token stay anonymous, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        ...sinks().factories,
      ],
    });
    backend = started.server;
    // Requests without a token stay anonymous: the spec is read as a service.
    proxy = await startSpecProxy({
      backend,
      pluginId: 'gpu-pool',
      specAuthorization: mockCredentials.service.header(),
    });
    stop = async () => {
      scheduler.stop();
      await started.stop();
    };
  });

  afterAll(async () => {
    await stop?.();
    await lab?.stop();
  });

  afterEach(() => proxy.settle());

  /** Status and error message: a failing expectation shows both. */
  function answer(res: request.Response) {
    return `${res.status} ${res.body?.error?.message ?? ''}`;
  }

  function get(path: string, auth?: string) {
    const r = request(proxy.server).get(`${API}${path}`);
    return auth ? r.set('Authorization', auth) : r;
  }
  function post(path: string, auth: string, body?: object) {
    const r = request(proxy.server)
      .post(`${API}${path}`)
      .set('Authorization', auth);
    return body ? r.send(body) : r;
  }

  const namespaceBody = (namespace: string, gpus: object[] = []) => ({
    team: 'group:default/ml-team',
    cluster: 'lab-main',
    namespace,
    gpus,
    duration: 'P1D',
    justification: 'spec test',
  });

  async function active(id: string) {
    return eventually(async () => {
      const res = await get(`/requests/${id}`, ml);
      return res.body.status === 'active' ? res.body : undefined;
    }, 30_000);
  }

  it('pools and outside grants', async () => {
    const pools = await get('/pools', ml);
    expect(answer(pools)).toMatch(/^200 /);
    expect(pools.body.items).toHaveLength(labPools.length);
    const withHistory = await get('/pools?history=P1D', ml);
    expect(answer(withHistory)).toMatch(/^200 /);
    expect(withHistory.body.items[0].history).toEqual(expect.any(Array));

    const badHistory = await get('/pools?history=soon', ml);
    expect(answer(badHistory)).toMatch(/^400 /);
    expect(badHistory.body.error.message).toMatch(/^history /);
    const unknownQuery = await get('/pools?color=red', ml);
    expect(answer(unknownQuery)).toMatch(/^400 /);
    expect(unknownQuery.body.error.message).toMatch(/color/);
    expect((await get('/pools')).status).toBe(401);

    const outside = await get('/pools/outside-grants', platform);
    expect(answer(outside)).toMatch(/^200 /);
    expect(outside.body.items).toEqual(expect.any(Array));
    expect((await get('/pools/outside-grants', ml)).status).toBe(403);
  });

  it('requests: create, list, read, extend, release', async () => {
    const created = await post(
      '/requests',
      ml,
      namespaceBody('ml-spec-a', [{ pool: 'lab-main-a100', count: 1 }]),
    );
    expect(answer(created)).toMatch(/^201 /);
    const id = created.body.id as string;
    const granted = await active(id);
    expect(granted.history.length).toBeGreaterThan(0);

    const mine = await get('/requests?scope=team&status=active,queued', ml);
    expect(answer(mine)).toMatch(/^200 /);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(id);
    const badStatus = await get('/requests?status=sleeping', ml);
    expect(answer(badStatus)).toMatch(/^400 /);
    expect(badStatus.body.error.message).toMatch(/^status: "sleeping"/);
    const badScope = await get('/requests?scope=everyone', ml);
    expect(answer(badScope)).toMatch(/^400 /);
    expect(badScope.body.error.message).toMatch(/scope/);
    expect((await get('/requests/no-such-request', ml)).status).toBe(404);

    const extended = await post(`/requests/${id}/extend`, ml, {
      duration: 'P1D',
      justification: 'one more day',
    });
    expect(answer(extended)).toMatch(/^200 /);
    expect(extended.body.expiresAt > granted.expiresAt).toBe(true);
    const tooLong = await post(`/requests/${id}/extend`, ml, {
      duration: 'P30D',
    });
    expect(answer(tooLong)).toMatch(/^400 /);
    expect(tooLong.body.error.message).toMatch(/^duration: /);
    const noDuration = await post(`/requests/${id}/extend`, ml, {});
    expect(answer(noDuration)).toMatch(/^400 /);
    expect(noDuration.body.error.message).toMatch(/duration/);

    const released = await post(`/requests/${id}/release`, ml, {
      reason: 'done',
    });
    expect(answer(released)).toMatch(/^200 /);
    expect(released.body.status).toBe('released');
    expect((await post(`/requests/${id}/release`, ml, {})).status).toBe(409);
    expect(
      (await post('/requests/no-such-request/release', ml, {})).status,
    ).toBe(404);
  });

  it('requests: the spec refuses malformed bodies with 400 naming the field', async () => {
    const badNamespace = await post(
      '/requests',
      ml,
      namespaceBody('Not_A_Label'),
    );
    expect(answer(badNamespace)).toMatch(/^400 /);
    expect(badNamespace.body.error.name).toBe('InputError');
    expect(badNamespace.body.error.message).toMatch(/namespace/);

    const { team: _team, ...noTeam } = namespaceBody('ml-spec-x');
    const missing = await post('/requests', ml, noTeam);
    expect(answer(missing)).toMatch(/^400 /);
    expect(missing.body.error.message).toMatch(/team/);

    const badCount = await post(
      '/requests',
      ml,
      namespaceBody('ml-spec-x', [{ pool: 'lab-main-a100', count: 'two' }]),
    );
    expect(answer(badCount)).toMatch(/^400 /);
    expect(badCount.body.error.message).toMatch(/gpus\/0\/count/);

    const unknownField = await post('/requests', ml, {
      ...namespaceBody('ml-spec-x'),
      color: 'red',
    });
    expect(answer(unknownField)).toMatch(/^400 /);
    // A closed object's extra field is named, at the top and nested.
    expect(unknownField.body.error.message).toBe(
      "request/body must NOT have additional properties: 'color'",
    );
    const nestedUnknown = await post(
      '/requests',
      ml,
      namespaceBody('ml-spec-x', [
        { pool: 'lab-main-a100', count: 1, gpuz: 2 },
      ]),
    );
    expect(answer(nestedUnknown)).toBe(
      "400 request/body/gpus/0 must NOT have additional properties: 'gpuz'",
    );

    // Rules the spec cannot say stay with the service, with their messages.
    const priority = await post('/requests', ml, {
      ...namespaceBody('ml-spec-x'),
      priority: 5,
    });
    expect(answer(priority)).toMatch(/^400 /);
    expect(priority.body.error.message).toMatch(/^priority: /);
    const twice = await post(
      '/requests',
      ml,
      namespaceBody('ml-spec-x', [
        { pool: 'lab-main-a100', count: 1 },
        { pool: 'lab-main-a100', count: 1 },
      ]),
    );
    expect(answer(twice)).toMatch(/^400 /);
    expect(twice.body.error.message).toMatch(/^gpus names a pool twice/);
    const anonymous = await request(proxy.server)
      .post(`${API}/requests`)
      .send(namespaceBody('ml-spec-x'));
    expect(anonymous.status).toBe(401);
  });

  it('requests: 409 for a namespace of another team, 503 naming a cluster that is down', async () => {
    const mine = await post('/requests', ml, namespaceBody('ml-spec-f'));
    expect(answer(mine)).toMatch(/^201 /);
    const taken = await post('/requests', payments, {
      ...namespaceBody('ml-spec-f'),
      team: 'group:default/payments-team',
    });
    expect(answer(taken)).toMatch(/^409 /);
    await post(`/requests/${mine.body.id}/release`, ml, {});

    await lab.cluster('lab-main').faults.set({ status: 500 });
    try {
      const down = await post('/requests', ml, namespaceBody('ml-spec-down'));
      expect(answer(down)).toMatch(/^503 /);
      expect(down.body.error.message).toMatch(/lab-main/);
    } finally {
      await lab.cluster('lab-main').faults.clear();
    }
  });

  it('approvals: approve, reject, and who may', async () => {
    const above = (namespace: string) =>
      post(
        '/requests',
        ml,
        namespaceBody(namespace, [{ pool: 'lab-main-h100', count: 5 }]),
      );
    const first = await above('ml-spec-b');
    expect(answer(first)).toMatch(/^201 /);
    expect(first.body.status).toBe('pending-approval');
    const second = await above('ml-spec-c');
    expect(second.body.status).toBe('pending-approval');

    expect(
      (await post(`/requests/${first.body.id}/approve`, ml, {})).status,
    ).toBe(403);
    const unknown = await post(`/requests/${first.body.id}/approve`, platform, {
      reason: 'ok',
      color: 'red',
    });
    expect(answer(unknown)).toMatch(/^400 /);
    expect(unknown.body.error.message).toMatch(/^request\/body /);
    const approved = await post(
      `/requests/${first.body.id}/approve`,
      platform,
      {
        reason: 'fine-tuning run',
      },
    );
    expect(answer(approved)).toMatch(/^200 /);
    expect(approved.body.decidedBy).toBe('user:default/hyunwoo.park');
    expect(
      (await post(`/requests/${first.body.id}/approve`, platform, {})).status,
    ).toBe(409);

    const rejected = await post(
      `/requests/${second.body.id}/reject`,
      platform,
      {},
    );
    expect(answer(rejected)).toMatch(/^200 /);
    expect(rejected.body.status).toBe('rejected');
    expect(
      (await post('/requests/no-such-request/reject', platform, {})).status,
    ).toBe(404);
    await post(`/requests/${first.body.id}/release`, ml, {});
  });

  it('the audit trail', async () => {
    const verified = await get('/audit/verify', platform);
    expect(answer(verified)).toMatch(/^200 /);
    expect(verified.body.ok).toBe(true);
    expect((await get('/audit/verify', ml)).status).toBe(403);
  });

  it('workloads', async () => {
    const listed = await get(
      '/workloads?cluster=lab-main&namespace=ml-training',
      ml,
    );
    expect(answer(listed)).toMatch(/^200 /);
    expect(listed.body.items.length).toBeGreaterThan(0);
    expect((await get('/workloads', ml)).status).toBe(200);
    const badNamespace = await get('/workloads?namespace=Not_A_Label', ml);
    expect(answer(badNamespace)).toMatch(/^400 /);
    expect(badNamespace.body.error.message).toMatch(/namespace/);
    expect((await get('/workloads?cluster=nowhere', ml)).status).toBe(404);
    expect((await get('/workloads')).status).toBe(401);
    await lab.cluster('lab-main').faults.set({ status: 500 });
    try {
      const down = await get('/workloads?cluster=lab-main', ml);
      expect(answer(down)).toMatch(/^503 /);
      expect(down.body.error.message).toMatch(/^cluster lab-main: /);
    } finally {
      await lab.cluster('lab-main').faults.clear();
    }
  });

  it('idle reclaim', async () => {
    const watched = await post(
      '/requests',
      ml,
      namespaceBody('ml-spec-d', [{ pool: 'lab-main-a100', count: 1 }]),
    );
    const other = await post(
      '/requests',
      ml,
      namespaceBody('ml-spec-e', [{ pool: 'lab-main-h100', count: 1 }]),
    );
    await active(watched.body.id);
    await active(other.body.id);

    const status = await get(`/reclaim/requests/${watched.body.id}`, ml);
    expect(answer(status)).toMatch(/^200 /);
    expect(status.body.phase).toBe('watching');
    expect(status.body.policy.idleMinutes).toBe(600);
    expect(
      (await get(`/reclaim/requests/${other.body.id}`, ml)).body.phase,
    ).toBe('off');
    expect((await get('/reclaim/requests/no-such-request', ml)).status).toBe(
      404,
    );

    const kept = await post(`/reclaim/requests/${watched.body.id}/keep`, ml, {
      reason: 'evaluation tonight',
    });
    expect(answer(kept)).toMatch(/^200 /);
    expect(kept.body.phase).toBe('kept');
    const long = await post(`/reclaim/requests/${watched.body.id}/keep`, ml, {
      reason: 'x'.repeat(501),
    });
    expect(answer(long)).toMatch(/^400 /);
    expect(long.body.error.message).toMatch(/reason/);
    expect(
      (await post(`/reclaim/requests/${other.body.id}/keep`, ml, {})).status,
    ).toBe(409);

    const noReason = await post(
      `/reclaim/requests/${watched.body.id}/exempt`,
      platform,
      {},
    );
    expect(answer(noReason)).toMatch(/^400 /);
    expect(noReason.body.error.message).toMatch(/reason/);
    const blank = await post(
      `/reclaim/requests/${watched.body.id}/exempt`,
      platform,
      { reason: '   ' },
    );
    expect(answer(blank)).toMatch(/^400 /);
    expect(blank.body.error.message).toMatch(/^reason is required/);
    const exempt = await post(
      `/reclaim/requests/${watched.body.id}/exempt`,
      platform,
      { reason: 'benchmark baseline' },
    );
    expect(answer(exempt)).toMatch(/^200 /);
    expect(exempt.body).toMatchObject({
      phase: 'exempt',
      exemptReason: 'benchmark baseline',
    });

    const released = await post(
      `/reclaim/requests/${watched.body.id}/release`,
      ml,
      {},
    );
    expect(answer(released)).toMatch(/^200 /);
    expect(
      (await post(`/reclaim/requests/${watched.body.id}/release`, ml, {}))
        .status,
    ).toBe(409);
    await post(`/requests/${other.body.id}/release`, ml, {});
  });

  it('showback, and its CSV (served as text/csv, checked without the proxy)', async () => {
    const report = await get('/showback?period=week', ml);
    expect(answer(report)).toMatch(/^200 /);
    expect(report.body.period).toBe('week');
    expect(report.body.teams).toContain('group:default/ml-team');
    const badPeriod = await get('/showback?period=year', ml);
    expect(answer(badPeriod)).toMatch(/^400 /);
    expect(badPeriod.body.error.message).toMatch(/period/);
    const badDate = await get('/showback?from=yesterday', ml);
    expect(answer(badDate)).toMatch(/^400 /);
    expect(badDate.body.error.message).toMatch(/from/);
    const reversed = await get('/showback?from=2026-02-01&to=2026-01-01', ml);
    expect(answer(reversed)).toMatch(/^400 /);
    expect((await get('/showback')).status).toBe(401);

    // The proxy checks JSON bodies only.
    const csv = await request(backend)
      .get(`${API}/showback.csv?period=day`)
      .set('Authorization', ml);
    expect(answer(csv)).toMatch(/^200 /);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toMatch(/^period,period_start,team/);
    const badCsv = await request(backend)
      .get(`${API}/showback.csv?period=year`)
      .set('Authorization', ml);
    expect(answer(badCsv)).toMatch(/^400 /);
  });

  it('serves every operation of the spec, and no other route, through one validating router', () => {
    const served = servedRoutes(backend.listeners('request')[0]);
    expect(served.routers).toBe(1);
    expect(served.routes).toEqual(specRoutes(spec));
    expect(served.routes.length).toBeGreaterThan(15);
  });
});
