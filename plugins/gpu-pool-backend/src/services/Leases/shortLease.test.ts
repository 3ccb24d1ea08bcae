// Regression for the admission latency benchmark's aborted N=20 run
// ("request … active: not within 30 s"): a lease shorter than
// gpuPool.notifyBeforeExpiry goes provisioning → active → expiring within
// one lease-clock tick, and `expiring` is as provisioned as `active` (its
// LocalQueue admits the team's Job, its pod binds on the pool's GPU model).
// A caller that waits for `active` alone can miss it. Also checks the
// capacity figures around a release: a running GPU pod is under its grant
// or, once the grant ended and during the grace period, outside grants;
// never both, never neither.
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import request from 'supertest';
import { gpuPoolPlugin } from '../../plugin';
import {
  eventually,
  intervalScheduler,
  labConfig,
  labPools,
  sinks,
  userInfoFactory,
} from '../../testing/fixtures';

jest.setTimeout(60_000);

const developer = mockCredentials.user.header('user:default/jiwoo.kim');
const POOL = 'lab-main-h100';
const PRODUCT = labPools.find(p => p.id === POOL)!.product!;
const NS = 'ml-short-lease';
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('a lease shorter than the expiry notice', () => {
  let lab: LabFleet;
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    const knex = await databases.init('SQLITE_3');
    const scheduler = intervalScheduler();
    const backend = await startTestBackend({
      features: [
        gpuPoolPlugin,
        mockServices.rootConfig.factory({
          // notifyBeforeExpiry PT1H (the fixture's) ≥ the PT1H lease below;
          // a grace period long enough to read the pool during it.
          data: labConfig(lab, { stopGracePeriod: 'PT1M' }),
        }),
        mockServices.database.factory({ knex }),
        userInfoFactory,
        scheduler.factory,
        ...sinks().factories,
      ],
    });
    server = backend.server;
    stop = async () => {
      scheduler.stop();
      await backend.stop();
    };
  });
  afterAll(async () => {
    await stop?.();
    await lab?.stop();
  });

  async function kube(method: string, path: string, body?: unknown) {
    const cluster = lab.clusters.find(c => c.name === 'lab-main')!;
    const res = await fetch(`${cluster.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${cluster.token}`,
        'content-type': 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok)
      throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  async function portal(
    method: 'get' | 'post',
    path: string,
    body?: object,
    who = developer,
  ) {
    const res = await request(server)
      [method](`/api/gpu-pool${path}`)
      .set('Authorization', who)
      .send(body);
    if (res.status >= 300) {
      throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    }
    return res.body;
  }

  async function pool() {
    const { items } = await portal('get', '/pools');
    return items.find((p: { id: string }) => p.id === POOL);
  }

  it('is provisioned while expiring, and its pod is counted once around the release', async () => {
    const before = await pool();
    const created = await portal('post', '/requests', {
      team: 'group:default/ml-team',
      cluster: 'lab-main',
      namespace: NS,
      gpus: [{ pool: POOL, count: 1 }],
      cpu: '8',
      memory: '32Gi',
      duration: 'PT1H',
      ephemeral: false,
      justification: 'short lease',
    });
    expect(created.status).toBe('provisioning');

    // Within a lease-clock tick of activation it is expiring, and its
    // history says it was active first: it never stays `active`.
    const expiring = await eventually(async () => {
      const r = await portal('get', `/requests/${created.id}`);
      return r.status === 'expiring' ? r : undefined;
    }, 15_000);
    expect(expiring.history.map((h: { to: string }) => h.to).slice(-3)).toEqual(
      ['provisioning', 'active', 'expiring'],
    );

    // Expiring, the namespace's LocalQueue is open and admits the team's Job.
    const queues = await kube(
      'GET',
      `/apis/kueue.x-k8s.io/v1beta2/namespaces/${NS}/localqueues`,
    );
    expect(queues.items).toHaveLength(1);
    expect(queues.items[0].spec.stopPolicy ?? 'None').toBe('None');
    await kube('POST', `/apis/batch/v1/namespaces/${NS}/jobs`, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'train',
        labels: { 'kueue.x-k8s.io/queue-name': queues.items[0].metadata.name },
      },
      spec: {
        suspend: true,
        template: {
          metadata: {
            annotations: { 'lab.cloud-smart.io/run-seconds': '600' },
          },
          spec: {
            restartPolicy: 'Never',
            nodeSelector: { 'nvidia.com/gpu.product': PRODUCT },
            containers: [
              {
                name: 'train',
                image: 'registry.local/ml/train:1',
                resources: {
                  requests: { cpu: '1', memory: '1Gi' },
                  limits: { 'nvidia.com/gpu': '1' },
                },
              },
            ],
          },
        },
      },
    });
    const pod = await eventually(async () => {
      const pods = await kube(
        'GET',
        `/api/v1/namespaces/${NS}/pods?labelSelector=job-name%3Dtrain`,
      );
      return pods.items.find((p: any) => p.spec.nodeName);
    }, 15_000);
    const node = await kube('GET', `/api/v1/nodes/${pod.spec.nodeName}`);
    expect(node.metadata.labels['nvidia.com/gpu.product']).toBe(PRODUCT);

    // Under its grant: allocated, not outside.
    const held = await eventually(async () => {
      const p = await pool();
      return p.allocated === before.allocated + 1 ? p : undefined;
    });
    expect(held.outsideGrants).toBe(before.outsideGrants);
    expect(held.available).toBe(before.available - 1);

    // Released, in the grace period the pod still runs: its GPU is no
    // longer allocated but held outside grants, so still not available.
    await portal('post', `/requests/${created.id}/release`, {});
    const ending = await eventually(async () => {
      const p = await pool();
      return p.allocated === before.allocated &&
        p.outsideGrants === before.outsideGrants + 1
        ? p
        : undefined;
    });
    expect(ending.available).toBe(before.available - 1);
    const stillRunning = await kube(
      'GET',
      `/api/v1/namespaces/${NS}/pods/${pod.metadata.name}`,
    );
    expect(stillRunning.status.phase).toBe('Running');
  });

  it('says why a queued request waits', async () => {
    const l40s = 'lab-main-l40s';
    const before = (await portal('get', '/pools')).items.find(
      (p: { id: string }) => p.id === l40s,
    );
    // One more than the pool can grant now (within maxPerRequest 4).
    const count = before.available + 1;
    expect(count).toBeLessThanOrEqual(4);
    const payments = mockCredentials.user.header('user:default/jisoo.han');
    const platform = mockCredentials.user.header('user:default/hyunwoo.park');
    const created = await portal(
      'post',
      '/requests',
      {
        team: 'group:default/payments-team',
        cluster: 'lab-main',
        namespace: 'pay-waits',
        gpus: [{ pool: l40s, count }],
        cpu: '2',
        memory: '8Gi',
        duration: 'PT2H',
        ephemeral: false,
        justification: 'more than the pool has free',
      },
      payments,
    );
    if (created.status === 'pending-approval') {
      await portal('post', `/requests/${created.id}/approve`, {}, platform);
    }
    const waiting = await eventually(async () => {
      const r = await portal(
        'get',
        `/requests/${created.id}`,
        undefined,
        payments,
      );
      return r.status === 'queued' && r.lastError ? r : undefined;
    });
    expect(waiting.lastError).toBe(
      `waits for GPUs: pool ${l40s} has ${before.available} free of ${
        before.capacity
      } (${before.allocated} granted${
        before.outsideGrants
          ? `, ${before.outsideGrants} held by pods outside any grant`
          : ''
      }), ${count} needed`,
    );
    // Withdrawn, it leaves the queue: nothing holds it silently either.
    await portal('post', `/requests/${created.id}/release`, {}, payments);
    const ended = await portal(
      'get',
      `/requests/${created.id}`,
      undefined,
      payments,
    );
    expect(ended.status).toBe('released');
  });
});
