import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { startLabFleet, LabFleet } from '@internal/lab-cluster';
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

const body = {
  team: 'group:default/ml-team',
  cluster: 'lab-main',
  namespace: 'ml-exp',
  gpus: [{ pool: 'lab-main-h100', count: 2 }],
  cpu: '8',
  memory: '64Gi',
  duration: 'P2D',
  justification: 'fine-tuning',
  ephemeral: false,
};

describe.each(databases.eachSupportedId())(
  'gpu-pool backend on %p',
  databaseId => {
    let lab: LabFleet;
    let server: any;
    let stopBackend: () => Promise<void>;
    let captured: ReturnType<typeof sinks>;

    beforeAll(async () => {
      lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    });
    afterAll(async () => {
      await lab?.stop();
    });

    beforeEach(async () => {
      const knex = await databases.init(databaseId);
      captured = sinks();
      const scheduler = intervalScheduler();
      const backend = await startTestBackend({
        features: [
          gpuPoolPlugin,
          mockServices.rootConfig.factory({ data: labConfig(lab) }),
          mockServices.database.factory({ knex }),
          userInfoFactory,
          scheduler.factory,
          ...captured.factories,
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

    async function waitFor(id: string, status: string) {
      return eventually(async () => {
        const res = await request(server)
          .get(`/api/gpu-pool/requests/${id}`)
          .set('Authorization', ml);
        return res.body.status === status ? res.body : undefined;
      });
    }

    async function kube(kind: string, namespace: string, name: string) {
      const cluster = lab.clusters.find(c => c.name === 'lab-main')!;
      const paths: Record<string, string> = {
        Namespace: `/api/v1/namespaces/${name}`,
        ResourceQuota: `/api/v1/namespaces/${namespace}/resourcequotas/${name}`,
        LimitRange: `/api/v1/namespaces/${namespace}/limitranges/${name}`,
        NetworkPolicy: `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/${name}`,
        RoleBinding: `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/${name}`,
        ClusterQueue: `/apis/kueue.x-k8s.io/v1beta2/clusterqueues/${name}`,
        LocalQueue: `/apis/kueue.x-k8s.io/v1beta2/namespaces/${namespace}/localqueues/${name}`,
        ResourceFlavor: `/apis/kueue.x-k8s.io/v1beta2/resourceflavors/${name}`,
      };
      const res = await fetch(`${cluster.url}${paths[kind]}`, {
        headers: { authorization: `Bearer ${cluster.token}` },
      });
      return res.status === 200 ? res.json() : undefined;
    }

    it('lists pools with live capacity from the lab nodes', async () => {
      const res = await request(server)
        .get('/api/gpu-pool/pools')
        .set('Authorization', ml);
      expect(res.status).toBe(200);
      const byId = Object.fromEntries(
        res.body.items.map((p: any) => [p.id, p]),
      );
      // gpu-h100-3 is NotReady, gpu-a100-2 under memory pressure, gpu-l40s-2 cordoned.
      // The fixture's running pods outside any grant hold 1 A100
      // (finetune-bert-0), 6 H100 (train-llama-0/1) and 2 L40S
      // (llm-serve-0/1): not available.
      expect(byId['lab-main-h100']).toMatchObject({
        capacity: 16,
        allocated: 0,
        outsideGrants: 6,
        available: 10,
        queued: 0,
        live: true,
      });
      expect(byId['lab-main-a100']).toMatchObject({
        outsideGrants: 1,
        available: 15,
      });
      expect(byId['lab-main-l40s']).toMatchObject({
        outsideGrants: 2,
        available: 2,
      });

      // Who holds them: the platform team's view; developers get 403.
      const outside = await request(server)
        .get('/api/gpu-pool/pools/outside-grants')
        .set('Authorization', platform);
      expect(outside.status).toBe(200);
      expect(
        outside.body.items
          .filter((h: any) => h.pool === 'lab-main-h100')
          .map((h: any) => `${h.namespace}/${h.pod}:${h.gpus}`)
          .sort(),
      ).toEqual(['ml-training/train-llama-0:4', 'ml-training/train-llama-1:2']);
      expect(outside.body.items[0]).toEqual(
        expect.objectContaining({
          cluster: 'lab-main',
          node: expect.any(String),
        }),
      );
      const refused = await request(server)
        .get('/api/gpu-pool/pools/outside-grants')
        .set('Authorization', ml);
      expect(refused.status).toBe(403);
      expect(byId['lab-main-a100'].capacity).toBe(16);
      expect(byId['lab-main-l40s'].capacity).toBe(4);
      expect(byId['lab-main-mig-1g-10gb'].capacity).toBe(28);
      expect(byId['lab-edge-l40s'].capacity).toBe(4);
    });

    it('grants within the allowance at once and provisions the namespace', async () => {
      const res = await request(server)
        .post('/api/gpu-pool/requests')
        .set('Authorization', ml)
        .send(body);
      expect(res.status).toBe(201);
      expect(['provisioning', 'active']).toContain(res.body.status);
      const active = await waitFor(res.body.id, 'active');
      expect(active.history.map((h: any) => h.to)).toEqual([
        'queued',
        'provisioning',
        'active',
      ]);
      expect(active.history[0].actor).toBe('user:default/jiwoo.kim');

      const nsObj = await kube('Namespace', '', 'ml-exp');
      expect(nsObj.metadata.labels).toMatchObject({
        'portal.cloud-smart.io/owner': 'ml-team',
        'portal.cloud-smart.io/gpu-request': res.body.id,
        'pod-security.kubernetes.io/enforce': 'restricted',
      });
      // lab-main enforces through Kueue: the team's ClusterQueue guarantees
      // its allowance (4 H100; the 2-GPU lease is within it), the namespace
      // submits through its LocalQueue, and the quota is only a backstop at
      // what the cohort could ever admit (A100 4 + H100 4 + L40S 2 allowed).
      const cq = await kube('ClusterQueue', '', 'portal-ml-team');
      expect(cq.spec.cohortName).toBe('portal-gpu-pool');
      const h100 = cq.spec.resourceGroups
        .flatMap((g: any) => g.flavors)
        .find((f: any) => f.name === 'lab-main-h100');
      expect(h100.resources).toEqual([
        { name: 'nvidia.com/gpu', nominalQuota: '4' },
      ]);
      expect(
        (await kube('ResourceFlavor', '', 'lab-main-h100')).spec.nodeLabels,
      ).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
      expect(
        (await kube('LocalQueue', 'ml-exp', 'portal-gpu-pool')).spec,
      ).toEqual({ clusterQueue: 'portal-ml-team', stopPolicy: 'None' });
      const quota = await kube('ResourceQuota', 'ml-exp', 'portal-gpu-pool');
      expect(quota.spec.hard).toMatchObject({
        'requests.nvidia.com/gpu': '10',
        'requests.nvidia.com/mig-1g.10gb': '7',
        'requests.cpu': '8',
        'requests.memory': '64Gi',
      });
      expect(
        await kube('LimitRange', 'ml-exp', 'portal-gpu-pool'),
      ).toBeDefined();
      const netpol = await kube('NetworkPolicy', 'ml-exp', 'portal-gpu-pool');
      expect(netpol.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const rb = await kube('RoleBinding', 'ml-exp', 'portal-gpu-pool');
      expect(rb.roleRef.name).toBe('edit');
      expect(rb.subjects[0]).toMatchObject({ kind: 'Group', name: 'ml-team' });
      expect(
        captured.signals.some(
          s =>
            s.message.requestId === res.body.id &&
            s.message.status === 'active',
        ),
      ).toBe(true);

      const pools = await request(server)
        .get('/api/gpu-pool/pools')
        .set('Authorization', ml);
      expect(
        pools.body.items.find((p: any) => p.id === 'lab-main-h100'),
      ).toMatchObject({ allocated: 2, outsideGrants: 6, available: 8 });

      // Release: nothing remains in the namespace, so after the grace
      // period (none here) its LocalQueue drains; the namespace stays.
      const released = await request(server)
        .post(`/api/gpu-pool/requests/${res.body.id}/release`)
        .set('Authorization', ml)
        .send({});
      expect(released.status).toBe(200);
      expect(released.body.status).toBe('released');
      await eventually(
        async () =>
          (
            await kube('LocalQueue', 'ml-exp', 'portal-gpu-pool')
          )?.spec.stopPolicy === 'HoldAndDrain',
      );
      expect(await kube('Namespace', '', 'ml-exp')).toBeDefined();
      const timeline = await eventually(async () => {
        const r = await request(server)
          .get(`/api/gpu-pool/requests/${res.body.id}`)
          .set('Authorization', ml);
        return r.body.history.some((h: any) => /HoldAndDrain/.test(h.reason))
          ? r.body.history
          : undefined;
      });
      expect(timeline[timeline.length - 1]).toMatchObject({
        from: 'released',
        to: 'released',
        actor: 'system:gpu-pool',
      });
    });

    it('repairs a quota edited by hand', async () => {
      const res = await request(server)
        .post('/api/gpu-pool/requests')
        .set('Authorization', ml)
        .send({ ...body, namespace: 'ml-drift' });
      await waitFor(res.body.id, 'active');
      const cluster = lab.clusters.find(c => c.name === 'lab-main')!;
      const patched = await fetch(
        `${cluster.url}/api/v1/namespaces/ml-drift/resourcequotas/portal-gpu-pool?fieldManager=kubectl-edit`,
        {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${cluster.token}`,
            'content-type': 'application/merge-patch+json',
          },
          body: JSON.stringify({
            spec: { hard: { 'requests.nvidia.com/gpu': '8' } },
          }),
        },
      );
      expect(patched.status).toBe(200);
      expect((await patched.json()).spec.hard['requests.nvidia.com/gpu']).toBe(
        '8',
      );
      await eventually(
        async () =>
          (
            await kube('ResourceQuota', 'ml-drift', 'portal-gpu-pool')
          ).spec.hard['requests.nvidia.com/gpu'] === '10',
      );
    });

    it('refuses a request while the namespace owner cannot be verified (503 naming the cluster)', async () => {
      const cluster = lab.cluster('lab-main');
      // Capacity is cached for a moment; read it first so only the ownership check meets the fault.
      await request(server).get('/api/gpu-pool/pools').set('Authorization', ml);
      cluster.faults.set({ status: 503 });
      try {
        const res = await request(server)
          .post('/api/gpu-pool/requests')
          .set('Authorization', ml)
          .send({ ...body, namespace: 'ml-outage' });
        expect(res.status).toBe(503);
        expect(res.body.error.message).toContain('lab-main');
        expect(res.body.error.message).toContain('ml-outage');
      } finally {
        cluster.faults.clear();
      }
      const list = await request(server)
        .get('/api/gpu-pool/requests?scope=all')
        .set('Authorization', ml);
      expect(list.body.items).toEqual([]);
      expect(await kube('Namespace', '', 'ml-outage')).toBeUndefined();
    });

    it('stays provisioning while the cluster refuses writes and converges after', async () => {
      const cluster = lab.cluster('lab-main');
      cluster.faults.set({ conflictOnWrite: true });
      try {
        const res = await request(server)
          .post('/api/gpu-pool/requests')
          .set('Authorization', ml)
          .send({ ...body, namespace: 'ml-outage' });
        expect(res.status).toBe(201);
        await eventually(async () => {
          const r = await request(server)
            .get(`/api/gpu-pool/requests/${res.body.id}`)
            .set('Authorization', ml);
          return r.body.status === 'provisioning' && r.body.lastError;
        });
        cluster.faults.clear();
        await waitFor(res.body.id, 'active');
        expect(await kube('Namespace', '', 'ml-outage')).toBeDefined();
      } finally {
        cluster.faults.clear();
      }
    });

    it('sends requests above the allowance to the platform team, who approve others', async () => {
      const res = await request(server)
        .post('/api/gpu-pool/requests')
        .set('Authorization', platform)
        .send({
          ...body,
          team: 'group:default/platform-team',
          namespace: 'plat-exp',
          gpus: [{ pool: 'lab-main-h100', count: 6 }],
        });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('pending-approval');

      const own = await request(server)
        .post(`/api/gpu-pool/requests/${res.body.id}/approve`)
        .set('Authorization', platform)
        .send({});
      expect(own.status).toBe(403);
      const notPlatform = await request(server)
        .post(`/api/gpu-pool/requests/${res.body.id}/approve`)
        .set('Authorization', ml)
        .send({});
      expect(notPlatform.status).toBe(403);

      const inbox = await request(server)
        .get('/api/gpu-pool/requests?scope=all&status=pending-approval')
        .set('Authorization', platform2);
      expect(inbox.body.items.map((r: any) => r.id)).toContain(res.body.id);

      const ok = await request(server)
        .post(`/api/gpu-pool/requests/${res.body.id}/approve`)
        .set('Authorization', platform2)
        .send({ reason: 'benchmark week' });
      expect(ok.status).toBe(200);
      expect(['provisioning', 'active']).toContain(ok.body.status);
      const done = await waitFor(res.body.id, 'active');
      expect(done.history[1]).toMatchObject({
        from: 'pending-approval',
        to: 'queued',
        actor: 'user:default/minji.lee',
        reason: 'benchmark week',
      });
    });

    it('queues when the pool is full and admits on release', async () => {
      const big = await request(server)
        .post('/api/gpu-pool/requests')
        .set('Authorization', platform)
        .send({
          ...body,
          team: 'group:default/platform-team',
          namespace: 'plat-big',
          // 4 L40S, 2 held by llm-serve-0/1 outside any grant: 2 grantable.
          gpus: [{ pool: 'lab-main-l40s', count: 2 }],
        });
      await request(server)
        .post(`/api/gpu-pool/requests/${big.body.id}/approve`)
        .set('Authorization', platform2)
        .send({});
      await waitFor(big.body.id, 'active');

      const waiting = await request(server)
        .post('/api/gpu-pool/requests')
        .set('Authorization', payments)
        .send({
          ...body,
          team: 'group:default/payments-team',
          namespace: 'pay-ml',
          gpus: [{ pool: 'lab-main-l40s', count: 2 }],
        });
      expect(waiting.body.status).toBe('queued');
      expect(waiting.body.queuePosition).toBe(1);

      // Only the owning team (or the platform team) releases.
      const foreign = await request(server)
        .post(`/api/gpu-pool/requests/${big.body.id}/release`)
        .set('Authorization', payments)
        .send({});
      expect(foreign.status).toBe(403);
      await request(server)
        .post(`/api/gpu-pool/requests/${big.body.id}/release`)
        .set('Authorization', platform)
        .send({});
      const admitted = await waitFor(waiting.body.id, 'active');
      expect(admitted.queuePosition).toBeUndefined();
    });

    it('extends a lease and refuses one past the maximum', async () => {
      const res = await request(server)
        .post('/api/gpu-pool/requests')
        .set('Authorization', ml)
        .send({
          ...body,
          namespace: 'ml-ext',
          gpus: [{ pool: 'lab-main-a100', count: 1 }],
        });
      const active = await waitFor(res.body.id, 'active');
      const ext = await request(server)
        .post(`/api/gpu-pool/requests/${res.body.id}/extend`)
        .set('Authorization', ml)
        .send({ duration: 'P1D' });
      expect(ext.status).toBe(200);
      expect(
        Date.parse(ext.body.expiresAt) - Date.parse(active.expiresAt),
      ).toBe(86400_000);
      const tooLong = await request(server)
        .post(`/api/gpu-pool/requests/${res.body.id}/extend`)
        .set('Authorization', ml)
        .send({ duration: 'P10D' });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toContain('duration');
    });

    it.each([
      [{ cluster: 'nowhere' }, 'cluster'],
      [{ gpus: [{ pool: 'nope', count: 1 }] }, 'gpus[0].pool'],
      [{ gpus: [{ pool: 'lab-main-h100', count: 0 }] }, 'gpus[0].count'],
      [{ gpus: [{ pool: 'lab-main-h100', count: -1 }] }, 'gpus[0].count'],
      [{ gpus: [{ pool: 'lab-main-h100', count: 1.5 }] }, 'gpus[0].count'],
      [{ gpus: [{ pool: 'lab-main-h100', count: 9 }] }, 'gpus[0].count'],
      [{ duration: '2 days' }, 'duration'],
      [{ duration: 'P30D' }, 'duration'],
      [{ namespace: 'Not_DNS' }, 'namespace'],
      [{ namespace: 'kube-system' }, 'namespace'],
      [{ team: 'group:default/payments-team' }, 'team'],
      [
        { gpus: [{ pool: 'lab-main-h100', count: 6 }], justification: '' },
        'justification',
      ],
    ])(
      'rejects %j with a 400 naming %s, storing and creating nothing',
      async (patch, field) => {
        const res = await request(server)
          .post('/api/gpu-pool/requests')
          .set('Authorization', ml)
          .send({ ...body, namespace: 'ml-bad', ...patch });
        expect(res.status).toBe(400);
        // What the spec refuses, its validator names as a path (gpus/0/count).
        const named = [
          field,
          `request/body/${field.replace(/\[(\d+)\]\./g, '/$1/')}`,
        ];
        expect(named.some(f => res.body.error.message.includes(f))).toBe(true);
        const list = await request(server)
          .get('/api/gpu-pool/requests?scope=all')
          .set('Authorization', ml);
        expect(list.body.items).toEqual([]);
        expect(await kube('Namespace', '', 'ml-bad')).toBeUndefined();
      },
    );
  },
);
