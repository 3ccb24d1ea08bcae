import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { startLabFleet, LabFleet } from '@internal/lab-cluster';
import { Knex } from 'knex';
import request from 'supertest';
import { gpuPoolPlugin } from './plugin';
import {
  eventually,
  intervalScheduler,
  labConfig,
  sinks,
  userInfoFactory,
} from './testing/fixtures';

jest.setTimeout(60_000);

const ml = mockCredentials.user.header('user:default/jiwoo.kim');
const payments = mockCredentials.user.header('user:default/jisoo.han');
const platform = mockCredentials.user.header('user:default/hyunwoo.park');
const platform2 = mockCredentials.user.header('user:default/minji.lee');

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const nsOnly = {
  team: 'group:default/ml-team',
  cluster: 'lab-main',
  gpus: [],
};

/** Records what the plugin sends to the auditor. */
function auditorSink() {
  const events: Array<{ eventId: string; status: string; meta: any }> = [];
  const factory = createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => ({
      async createEvent(options: any) {
        events.push({ ...options, status: 'initiated' });
        return {
          success: async (p?: any) =>
            void events.push({
              ...options,
              meta: { ...options.meta, ...p?.meta },
              status: 'succeeded',
            }),
          fail: async (p: any) =>
            void events.push({
              ...options,
              meta: { ...options.meta, ...p?.meta, error: p.error.message },
              status: 'failed',
            }),
        };
      },
    }),
  });
  return { events, factory };
}

describe.each(databases.eachSupportedId())(
  'gpu-pool namespaces and audit on %p',
  databaseId => {
    let lab: LabFleet;
    let server: any;
    let knex: Knex;
    let audit: ReturnType<typeof auditorSink>;
    let stopBackend: () => Promise<void>;

    beforeAll(async () => {
      lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    });
    afterAll(async () => {
      await lab?.stop();
    });

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      audit = auditorSink();
      const scheduler = intervalScheduler();
      const backend = await startTestBackend({
        features: [
          gpuPoolPlugin,
          mockServices.rootConfig.factory({
            data: labConfig(lab, {
              protectedNamespaces: ['kueue-*'],
              compute: { maxPerRequest: { cpu: '32', memory: '256Gi' } },
              computeAllowances: [
                { team: 'group:default/ml-team', cpu: '16', memory: '128Gi' },
              ],
              namespaces: { defaultDuration: 'P2D', maxPerTeam: 2 },
            }),
          }),
          mockServices.database.factory({ knex }),
          userInfoFactory,
          scheduler.factory,
          audit.factory,
          ...sinks().factories,
        ],
      });
      server = backend.server;
      stopBackend = async () => {
        scheduler.stop();
        await backend.stop();
      };
    });
    afterEach(async () => {
      await stopBackend();
    });

    const post = (auth: string, route: string, body: object = {}) =>
      request(server)
        .post(`/api/gpu-pool${route}`)
        .set('Authorization', auth)
        .send(body);
    const get = (auth: string, route: string) =>
      request(server).get(`/api/gpu-pool${route}`).set('Authorization', auth);

    async function waitFor(id: string, status: string) {
      return eventually(async () => {
        const res = await get(ml, `/requests/${id}`);
        return res.body.status === status ? res.body : undefined;
      });
    }

    async function kube(path: string, init?: RequestInit) {
      const cluster = lab.clusters.find(c => c.name === 'lab-main')!;
      const res = await fetch(`${cluster.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${cluster.token}`,
          ...(init?.headers ?? {}),
        },
      });
      return { status: res.status, body: await res.json() };
    }
    const namespace = (name: string) => kube(`/api/v1/namespaces/${name}`);
    const quota = (ns: string) =>
      kube(`/api/v1/namespaces/${ns}/resourcequotas/portal-gpu-pool`);

    async function nothingStored() {
      const list = await get(platform, '/requests?scope=all');
      expect(list.body.items).toEqual([]);
    }

    it.each([
      'default',
      'kube-system',
      'kube-node-lease',
      'gpu-operator',
      'nvidia-gpu-operator',
      'backstage',
      'kueue-system',
    ])('refuses the protected namespace %s with a 400 naming namespace', async ns => {
      const before = await namespace(ns);
      const res = await post(ml, '/requests', { ...nsOnly, namespace: ns });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^namespace: .*protected/);
      // Even the platform team may not.
      const plat = await post(platform, '/requests', {
        ...nsOnly,
        team: 'group:default/platform-team',
        namespace: ns,
      });
      expect(plat.status).toBe(400);
      await nothingStored();
      expect((await namespace(ns)).body.metadata?.resourceVersion).toBe(
        before.body.metadata?.resourceVersion,
      );
    });

    it('refuses a priority from a developer, takes it from the platform team', async () => {
      const dev = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-prio',
        priority: 5,
      });
      expect(dev.status).toBe(400);
      expect(dev.body.error.message).toContain('priority');
      const zero = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-prio',
        priority: 0,
      });
      expect(zero.status).toBe(400);
      await nothingStored();
      const plat = await post(platform, '/requests', {
        ...nsOnly,
        team: 'group:default/platform-team',
        namespace: 'plat-prio',
        priority: 5,
      });
      expect(plat.status).toBe(201);
      expect(plat.body.priority).toBe(5);
    });

    it('limits CPU and memory like GPUs: per request refused, above the allowance approved by the platform team', async () => {
      for (const [patch, field] of [
        [{ cpu: '33' }, 'cpu'],
        [{ memory: '300Gi' }, 'memory'],
      ] as const) {
        const res = await post(ml, '/requests', {
          ...nsOnly,
          namespace: 'ml-big',
          ...patch,
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
      }
      await nothingStored();
      const first = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-cpu-a',
        cpu: '12',
      });
      expect(first.body.status).not.toBe('pending-approval');
      const noReason = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-cpu-b',
        cpu: '8',
      });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toContain('justification');
      const above = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-cpu-b',
        cpu: '8',
        justification: 'batch inference',
      });
      expect(above.status).toBe(201);
      expect(above.body.status).toBe('pending-approval');
      expect((await namespace('ml-cpu-b')).status).toBe(404);
    });

    it('gives namespace-only requests a lease and caps them per team', async () => {
      const a = await post(ml, '/requests', { ...nsOnly, namespace: 'ml-ns-a' });
      expect(a.status).toBe(201);
      const active = await waitFor(a.body.id, 'active');
      expect(active.duration).toBe('P2D');
      expect(
        Date.parse(active.expiresAt) - Date.parse(active.grantedAt),
      ).toBe(2 * 86400_000);
      const tooLong = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-ns-x',
        duration: 'P100D',
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toContain('duration');
      const b = await post(ml, '/requests', { ...nsOnly, namespace: 'ml-ns-b' });
      expect(b.status).toBe(201);
      const c = await post(ml, '/requests', { ...nsOnly, namespace: 'ml-ns-c' });
      expect(c.status).toBe(409);
      expect(c.body.error.message).toContain('namespace-only');
      expect((await namespace('ml-ns-c')).status).toBe(404);
    });

    it('does not delete an existing namespace the portal did not create: adopting needs approval, release leaves it', async () => {
      const before = await namespace('ml-inference');
      const res = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-inference',
        ephemeral: true,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'pending-approval',
        adoptsNamespace: true,
      });
      const released = await post(ml, `/requests/${res.body.id}/release`);
      expect(released.body.status).toBe('released');
      // Give the reconciler passes a chance to do harm.
      await new Promise(r => setTimeout(r, 2500));
      const after = await namespace('ml-inference');
      expect(after.status).toBe(200);
      expect(after.body.metadata.deletionTimestamp).toBeUndefined();
      expect(after.body.metadata.resourceVersion).toBe(
        before.body.metadata.resourceVersion,
      );
      const pods = await kube('/api/v1/namespaces/ml-inference/pods');
      expect(pods.body.items.length).toBeGreaterThan(0);
    });

    it('after an approved adoption removes only its own objects from a namespace it did not create', async () => {
      const res = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-training',
        ephemeral: true,
        justification: 'take over the training namespace',
      });
      expect(res.body.status).toBe('pending-approval');
      const ok = await post(platform2, `/requests/${res.body.id}/approve`);
      expect(ok.status).toBe(200);
      await waitFor(res.body.id, 'active');
      expect((await quota('ml-training')).status).toBe(200);
      await post(ml, `/requests/${res.body.id}/release`);
      await eventually(async () => (await quota('ml-training')).status === 404);
      const ns = await namespace('ml-training');
      expect(ns.status).toBe(200);
      expect(ns.body.metadata.deletionTimestamp).toBeUndefined();
      const gpuQuota = await kube(
        '/api/v1/namespaces/ml-training/resourcequotas',
      );
      expect(gpuQuota.body.items.length).toBeGreaterThan(0);
    });

    it('deletes on release only a namespace it created for that request', async () => {
      const first = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-eph',
        ephemeral: true,
      });
      await waitFor(first.body.id, 'active');
      const ns = await namespace('ml-eph');
      expect(
        ns.body.metadata.annotations['portal.cloud-smart.io/created-for-request'],
      ).toBe(first.body.id);
      expect((await get(ml, `/requests/${first.body.id}`)).body.createdNamespace).toBe(
        true,
      );
      await post(ml, `/requests/${first.body.id}/release`);
      await eventually(async () => {
        const gone = await namespace('ml-eph');
        return gone.status === 404 || gone.body.metadata.deletionTimestamp;
      });
      const events = audit.events.filter(
        e => e.eventId === 'namespace-delete' && e.status === 'succeeded',
      );
      expect(events[0].meta).toMatchObject({
        actor: 'system:gpu-pool',
        target: { namespace: 'ml-eph', requestId: first.body.id },
      });
    });

    it('keeps a namespace created for another request when an ephemeral one ends', async () => {
      const keeper = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-keep',
      });
      await waitFor(keeper.body.id, 'active');
      const eph = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'ml-keep',
        ephemeral: true,
      });
      expect(eph.body.adoptsNamespace).toBe(false);
      await waitFor(eph.body.id, 'active');
      await post(ml, `/requests/${keeper.body.id}/release`);
      await post(ml, `/requests/${eph.body.id}/release`);
      await eventually(async () => (await quota('ml-keep')).status === 404);
      const ns = await namespace('ml-keep');
      expect(ns.status).toBe(200);
      expect(ns.body.metadata.deletionTimestamp).toBeUndefined();
    });

    it('gives a namespace to one team: the other gets 409, also when both ask at once', async () => {
      const mine = await post(ml, '/requests', { ...nsOnly, namespace: 'taken' });
      expect(mine.status).toBe(201);
      const theirs = await post(payments, '/requests', {
        ...nsOnly,
        team: 'group:default/payments-team',
        namespace: 'taken',
      });
      expect(theirs.status).toBe(409);
      expect(theirs.body.error.message).toMatch(/^namespace: .*ml-team/);
      // Labelled for another team in the cluster: the same answer.
      const labelled = await post(ml, '/requests', {
        ...nsOnly,
        namespace: 'payments',
      });
      expect(labelled.status).toBe(409);
      expect(labelled.body.error.message).toContain('payments-team');
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all([
          post(ml, '/requests', { ...nsOnly, namespace: `both-${round}` }),
          post(payments, '/requests', {
            ...nsOnly,
            team: 'group:default/payments-team',
            namespace: `both-${round}`,
          }),
        ]);
        expect(results.map(r => r.status).sort()).toEqual([201, 409]);
      }
    });

    it('re-checks ownership before writing: a namespace relabelled for another team is not touched', async () => {
      const res = await post(ml, '/requests', { ...nsOnly, namespace: 'ml-moved' });
      await waitFor(res.body.id, 'active');
      const patched = await kube('/api/v1/namespaces/ml-moved', {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({
          metadata: { labels: { 'portal.cloud-smart.io/owner': 'payments-team' } },
        }),
      });
      expect(patched.status).toBe(200);
      const refusals = () =>
        audit.events.filter(
          e =>
            e.eventId === 'namespace-write' &&
            e.status === 'failed' &&
            e.meta.target.namespace === 'ml-moved' &&
            e.meta.outcome === 'refused',
        );
      const first = await eventually(async () => refusals()[0], 20_000);
      expect(first.meta.error).toContain('payments-team');
      expect(first.meta.actor).toBe('system:gpu-pool');
      const lastError = await eventually(
        async () => (await get(ml, `/requests/${res.body.id}`)).body.lastError,
      );
      expect(lastError).toContain('payments-team');
      // A hand edit of the quota is no longer repaired: the reconciler does not write.
      const edited = await kube(
        '/api/v1/namespaces/ml-moved/resourcequotas/portal-gpu-pool',
        {
          method: 'PATCH',
          headers: { 'content-type': 'application/merge-patch+json' },
          body: JSON.stringify({ spec: { hard: { pods: '7' } } }),
        },
      );
      const seen = refusals().length;
      await eventually(async () => refusals().length > seen, 20_000);
      const q = await quota('ml-moved');
      expect(edited.status).toBe(200);
      expect(q.body.spec.hard.pods).toBe('7');
    });

    it('audits changes with actor, target and outcome, and reports an edited history', async () => {
      const res = await post(ml, '/requests', { ...nsOnly, namespace: 'ml-audit' });
      await waitFor(res.body.id, 'active');
      await post(ml, `/requests/${res.body.id}/release`);
      const created = audit.events.find(
        e => e.eventId === 'request-create' && e.status === 'succeeded',
      );
      expect(created?.meta).toMatchObject({
        actor: 'user:default/jiwoo.kim',
        target: { requestId: res.body.id, namespace: 'ml-audit' },
        outcome: 'succeeded',
      });
      expect(['queued', 'provisioning', 'active']).toContain(created?.meta.status);
      expect(
        audit.events.find(
          e => e.eventId === 'request-release' && e.status === 'succeeded',
        )?.meta,
      ).toMatchObject({ actor: 'user:default/jiwoo.kim', status: 'released' });
      expect(
        audit.events.some(
          e => e.eventId === 'namespace-create' && e.status === 'succeeded',
        ),
      ).toBe(true);
      const refused = await post(ml, '/requests', { ...nsOnly, namespace: 'default' });
      expect(refused.status).toBe(400);
      expect(
        audit.events.find(
          e => e.eventId === 'request-create' && e.status === 'failed',
        )?.meta,
      ).toMatchObject({
        actor: 'user:default/jiwoo.kim',
        target: { namespace: 'default' },
        outcome: 'refused',
      });

      expect((await get(ml, '/audit/verify')).status).toBe(403);
      const ok = await get(platform, '/audit/verify');
      expect(ok.status).toBe(200);
      expect(ok.body.ok).toBe(true);
      expect(ok.body.checked).toBeGreaterThanOrEqual(4);

      // Someone with database access lifts the guard and rewrites a row.
      if (databaseId.startsWith('POSTGRES')) {
        await knex.raw(
          'DROP TRIGGER gpu_pool_transitions_no_update ON gpu_pool_transitions',
        );
      } else {
        await knex.raw('DROP TRIGGER gpu_pool_transitions_no_update');
      }
      const row = await knex('gpu_pool_transitions')
        .where({ request_id: res.body.id, to_status: 'released' })
        .first();
      await knex('gpu_pool_transitions')
        .where({ id: row.id })
        .update({ actor: 'user:default/hyunwoo.park' });
      const broken = await get(platform, '/audit/verify');
      expect(broken.body).toMatchObject({
        ok: false,
        firstBrokenId: Number(row.id),
      });
    });
  },
);
