import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { startLabFleet, LabFleet } from '@internal/lab-cluster';
import request from 'supertest';
import { gpuPoolPlugin } from '../plugin';
import { labConfig, sinks, userInfoFactory } from '../testing/fixtures';

// An in-memory SQLite from TestDatabases, closed after the file: the test
// backend's default database never closes its clients, whose pool timers keep
// the jest worker alive.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

jest.setTimeout(60_000);

const ml = mockCredentials.user.header('user:default/jiwoo.kim');

describe('GET /api/gpu-pool/workloads', () => {
  let lab: LabFleet;
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    const backend = await startTestBackend({
      features: [
        gpuPoolPlugin,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({ data: labConfig(lab) }),
        userInfoFactory,
        // Requests without a token stay anonymous, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        ...sinks().factories,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    await lab?.stop();
  });

  it("answers with the lab's ML workloads in the spec's shape", async () => {
    const res = await request(server)
      .get('/api/gpu-pool/workloads?cluster=lab-main&namespace=ml-training')
      .set('Authorization', ml);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([]);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const w of res.body.items) {
      expect(w).toMatchObject({
        cluster: 'lab-main',
        namespace: 'ml-training',
        team: 'group:default/ml-team',
        state: expect.stringMatching(
          /^(pending|admitted|running|finished|evicted|inactive)$/,
        ),
        conditions: expect.any(Array),
        gpus: expect.any(Object),
        flavors: expect.any(Object),
      });
    }
  });

  it('refuses a bad query with 400 naming the field, and anonymous callers with 401', async () => {
    const bad = await request(server)
      .get('/api/gpu-pool/workloads?namespace=Not_A_Label')
      .set('Authorization', ml);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^request\/query\/namespace must match pattern/,
    );
    const unknown = await request(server)
      .get('/api/gpu-pool/workloads?color=red')
      .set('Authorization', ml);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /Unknown query parameter 'color'/,
    );
    expect((await request(server).get('/api/gpu-pool/workloads')).status).toBe(
      401,
    );
  });

  it('is a 503 naming the cluster when the cluster is down', async () => {
    await lab.cluster('lab-main').faults.set({ status: 500 });
    try {
      const res = await request(server)
        .get('/api/gpu-pool/workloads?cluster=lab-main')
        .set('Authorization', ml);
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(/^cluster lab-main: /);
    } finally {
      await lab.cluster('lab-main').faults.clear();
    }
  });
});
