// Kueue enforcement against the lab's Kueue emulation and scheduler, with
// the real plugin: flavors keep GPU models apart, and an ended grant stops
// what exceeds it after the grace period while the next team's job starts.
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import request from 'supertest';
import { gpuPoolPlugin } from './plugin';
import {
  eventually,
  intervalScheduler,
  labConfig,
  sinks,
  userInfoFactory,
} from './testing/fixtures';

jest.setTimeout(90_000);

const ml = mockCredentials.user.header('user:default/jiwoo.kim');
const payments = mockCredentials.user.header('user:default/jisoo.han');
const platform = mockCredentials.user.header('user:default/hyunwoo.park');

const L40S = 'NVIDIA-L40S';
const H100 = 'NVIDIA-H100-80GB-HBM3';
const GRACE_MS = 3000;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A Kueue-managed Job as the GPU training template makes it. */
function job(ns: string, name: string, gpus: number, product: string) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: ns,
      labels: { 'kueue.x-k8s.io/queue-name': 'portal-gpu-pool' },
    },
    spec: {
      suspend: true,
      template: {
        metadata: { annotations: { 'lab.cloud-smart.io/run-seconds': '3600' } },
        spec: {
          restartPolicy: 'Never',
          nodeSelector: { 'nvidia.com/gpu.product': product },
          containers: [
            {
              name: 'train',
              image: 'registry.cloud-smart.io/ml/train:1',
              resources: {
                requests: { cpu: '1', memory: '1Gi' },
                limits: { 'nvidia.com/gpu': String(gpus) },
              },
            },
          ],
        },
      },
    },
  };
}

describe.each(databases.eachSupportedId())(
  'Kueue enforcement on %p',
  databaseId => {
    let lab: LabFleet;
    let server: any;
    let stopBackend: () => Promise<void>;
    let captured: ReturnType<typeof sinks>;

    beforeAll(async () => {
      lab = await startLabFleet({ basePort: 0, adminPort: 0 });
      const knex = await databases.init(databaseId);
      captured = sinks();
      const scheduler = intervalScheduler();
      const backend = await startTestBackend({
        features: [
          gpuPoolPlugin,
          mockServices.rootConfig.factory({
            data: labConfig(lab, {
              stopGracePeriod: `PT${GRACE_MS / 1000}S`,
              // Every L40S and H100 grant here is the platform team's
              // decision, so nominal quotas are exactly the grants.
              allowances: [
                {
                  team: 'group:default/ml-team',
                  pool: 'lab-main-h100',
                  gpus: 2,
                },
              ],
            }),
          }),
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
    afterAll(async () => {
      await stopBackend?.();
      await lab?.stop();
    });

    async function kube(
      method: string,
      path: string,
      body?: unknown,
      clusterName = 'lab-main',
    ) {
      const cluster = lab.clusters.find(c => c.name === clusterName)!;
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

    async function grant(
      who: string,
      team: string,
      namespace: string,
      gpus: Array<{ pool: string; count: number }>,
      cluster = 'lab-main',
    ) {
      const res = await request(server)
        .post('/api/gpu-pool/requests')
        .set('Authorization', who)
        .send({
          team,
          cluster,
          namespace,
          gpus,
          cpu: '8',
          memory: '32Gi',
          duration: 'P1D',
          justification: 'Kueue enforcement test',
          ephemeral: false,
        });
      expect(res.status).toBe(201);
      if (res.body.status === 'pending-approval') {
        const ok = await request(server)
          .post(`/api/gpu-pool/requests/${res.body.id}/approve`)
          .set('Authorization', platform)
          .send({});
        expect(ok.status).toBe(200);
      }
      return res.body.id as string;
    }

    async function status(id: string) {
      const res = await request(server)
        .get(`/api/gpu-pool/requests/${id}`)
        .set('Authorization', platform);
      return res.body;
    }

    async function waitStatus(id: string, want: string) {
      return eventually(async () => {
        const r = await status(id);
        return r.status === want ? r : undefined;
      }, 20_000);
    }

    /** Pods of a Job with the product label of the node each is bound to. */
    async function podsOf(ns: string, jobName: string) {
      const pods = await kube(
        'GET',
        `/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3D${jobName}`,
      );
      const out: Array<{
        name: string;
        node?: string;
        product?: string;
        phase: string;
      }> = [];
      for (const p of pods.items) {
        const node = p.spec.nodeName
          ? await kube('GET', `/api/v1/nodes/${p.spec.nodeName}`)
          : undefined;
        out.push({
          name: p.metadata.name,
          node: p.spec.nodeName,
          product: node?.metadata.labels['nvidia.com/gpu.product'],
          phase: p.status.phase,
        });
      }
      return out;
    }

    async function workloadOf(ns: string, jobName: string) {
      const list = await kube(
        'GET',
        `/apis/kueue.x-k8s.io/v1beta2/namespaces/${ns}/workloads`,
      );
      return list.items.find((w: any) =>
        (w.metadata.ownerReferences ?? []).some((o: any) => o.name === jobName),
      );
    }

    it('runs an L40S grant on L40S nodes only, while the same team runs its H100 grant on H100', async () => {
      const id = await grant(ml, 'group:default/ml-team', 'ml-flavors', [
        { pool: 'lab-main-h100', count: 2 },
        { pool: 'lab-main-l40s', count: 1 },
      ]);
      await waitStatus(id, 'active');
      await kube(
        'POST',
        '/apis/batch/v1/namespaces/ml-flavors/jobs',
        job('ml-flavors', 'on-l40s', 1, L40S),
      );
      await kube(
        'POST',
        '/apis/batch/v1/namespaces/ml-flavors/jobs',
        job('ml-flavors', 'on-h100', 2, H100),
      );

      const l40s = await eventually(async () => {
        const pods = await podsOf('ml-flavors', 'on-l40s');
        return pods.length === 1 && pods[0].phase === 'Running'
          ? pods
          : undefined;
      }, 20_000);
      const h100 = await eventually(async () => {
        const pods = await podsOf('ml-flavors', 'on-h100');
        return pods.length === 1 && pods[0].phase === 'Running'
          ? pods
          : undefined;
      }, 20_000);
      expect(l40s.map(p => p.product)).toEqual([L40S]);
      expect(h100.map(p => p.product)).toEqual([H100]);

      // Kueue admitted each on the pool's flavor through the team's queue.
      const w1 = await workloadOf('ml-flavors', 'on-l40s');
      expect(w1.status.admission.clusterQueue).toBe('portal-ml-team');
      expect(
        w1.status.admission.podSetAssignments[0].flavors['nvidia.com/gpu'],
      ).toBe('lab-main-l40s');
      const w2 = await workloadOf('ml-flavors', 'on-h100');
      expect(
        w2.status.admission.podSetAssignments[0].flavors['nvidia.com/gpu'],
      ).toBe('lab-main-h100');

      // A second L40S job is beyond the team's L40S quota: it waits, and
      // never lands on the idle H100 the team also holds.
      await kube(
        'POST',
        '/apis/batch/v1/namespaces/ml-flavors/jobs',
        job('ml-flavors', 'l40s-more', 1, L40S),
      );
      const pending = await eventually(async () => {
        const w = await workloadOf('ml-flavors', 'l40s-more');
        const reserved = w?.status?.conditions?.find(
          (c: any) => c.type === 'QuotaReserved',
        );
        return reserved?.status === 'False' ? w : undefined;
      }, 20_000);
      expect(pending.status.admission).toBeUndefined();
      expect(await podsOf('ml-flavors', 'l40s-more')).toEqual([]);

      const released = await request(server)
        .post(`/api/gpu-pool/requests/${id}/release`)
        .set('Authorization', ml)
        .send({});
      expect(released.status).toBe(200);
    });

    it('stops the youngest workload beyond the remaining grant after the grace period, and the next team runs', async () => {
      // ml-team holds two 1-GPU L40S grants in one namespace and runs two jobs.
      const first = await grant(ml, 'group:default/ml-team', 'ml-stop', [
        { pool: 'lab-main-l40s', count: 1 },
      ]);
      await waitStatus(first, 'active');
      await kube(
        'POST',
        '/apis/batch/v1/namespaces/ml-stop/jobs',
        job('ml-stop', 'older', 1, L40S),
      );
      await eventually(
        async () => (await podsOf('ml-stop', 'older'))[0]?.phase === 'Running',
        20_000,
      );
      const second = await grant(ml, 'group:default/ml-team', 'ml-stop', [
        { pool: 'lab-main-l40s', count: 1 },
      ]);
      await waitStatus(second, 'active');
      await kube(
        'POST',
        '/apis/batch/v1/namespaces/ml-stop/jobs',
        job('ml-stop', 'younger', 1, L40S),
      );
      await eventually(
        async () =>
          (await podsOf('ml-stop', 'younger'))[0]?.phase === 'Running',
        20_000,
      );

      // payments-team has a namespace (no GPUs) and its job waits for quota;
      // its L40S request waits in the portal's queue: the pool is full.
      const ns = await grant(
        payments,
        'group:default/payments-team',
        'pay-stop',
        [],
      );
      await waitStatus(ns, 'active');
      await kube(
        'POST',
        '/apis/batch/v1/namespaces/pay-stop/jobs',
        job('pay-stop', 'next', 1, L40S),
      );
      const queued = await grant(
        payments,
        'group:default/payments-team',
        'pay-stop',
        [{ pool: 'lab-main-l40s', count: 1 }],
      );
      expect((await status(queued)).status).toBe('queued');
      expect(await podsOf('pay-stop', 'next')).toEqual([]);

      // ml-team releases its second grant: the owners are told first...
      const releasedAt = Date.now();
      const released = await request(server)
        .post(`/api/gpu-pool/requests/${second}/release`)
        .set('Authorization', ml)
        .send({ reason: 'done with the second run' });
      expect(released.status).toBe(200);
      await waitStatus(queued, 'active');
      const notice = captured.notifications.find(
        n =>
          n.payload.topic === `gpu-pool:${second}` &&
          /중지됩니다/.test(n.payload.description),
      );
      expect(notice?.recipients.entityRef).toContain('group:default/ml-team');
      // Then the youngest workload beyond the remaining grant is evicted; the
      // older one keeps running within it.
      const evicted = await eventually(async () => {
        const w = await workloadOf('ml-stop', 'younger');
        return w.spec.active === false ? w : undefined;
      }, 20_000);
      expect(evicted.spec.active).toBe(false);
      await eventually(
        async () => (await podsOf('ml-stop', 'younger')).length === 0,
        20_000,
      );
      const stoppedAfterMs = Date.now() - releasedAt;
      expect(stoppedAfterMs).toBeGreaterThanOrEqual(GRACE_MS);
      expect(stoppedAfterMs).toBeLessThan(GRACE_MS + 15_000);
      expect((await podsOf('ml-stop', 'older'))[0].phase).toBe('Running');

      // The next team's queued job is admitted and runs on L40S.
      const next = await eventually(async () => {
        const pods = await podsOf('pay-stop', 'next');
        return pods[0]?.phase === 'Running' ? pods : undefined;
      }, 20_000);
      expect(next[0].product).toBe(L40S);

      // The stop is on the released request's timeline, by the system.
      const timeline = (await status(second)).history;
      expect(timeline[timeline.length - 1]).toMatchObject({
        from: 'released',
        to: 'released',
        actor: 'system:gpu-pool',
        reason: expect.stringMatching(
          /^evicted Workload ml-stop\/job-younger-/,
        ),
      });
      // ...and nothing stopped during the grace period: the eviction is
      // recorded no sooner than the grace period after the release.
      const ended = timeline.find(
        (h: any) => h.to === 'released' && h.from !== 'released',
      );
      expect(
        Date.parse(timeline[timeline.length - 1].at) - Date.parse(ended.at),
      ).toBeGreaterThanOrEqual(GRACE_MS);
    });

    it('deletes GPU pods beyond the quota after the grace period on a cluster without Kueue', async () => {
      const id = await grant(
        ml,
        'group:default/ml-team',
        'ml-edge-q',
        [{ pool: 'lab-edge-l40s', count: 1 }],
        'lab-edge',
      );
      await waitStatus(id, 'active');
      const quota = await kube(
        'GET',
        '/api/v1/namespaces/ml-edge-q/resourcequotas/portal-gpu-pool',
        undefined,
        'lab-edge',
      );
      expect(quota.spec.hard['requests.nvidia.com/gpu']).toBe('1');
      await kube(
        'POST',
        '/api/v1/namespaces/ml-edge-q/pods',
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'infer', namespace: 'ml-edge-q' },
          spec: {
            containers: [
              {
                name: 'infer',
                image: 'registry.cloud-smart.io/ml/infer:1',
                resources: {
                  requests: { cpu: '1', memory: '1Gi' },
                  limits: { 'nvidia.com/gpu': '1' },
                },
              },
            ],
          },
        },
        'lab-edge',
      );
      const releasedAt = Date.now();
      expect(
        (
          await request(server)
            .post(`/api/gpu-pool/requests/${id}/release`)
            .set('Authorization', ml)
            .send({})
        ).status,
      ).toBe(200);
      const podGone = async () => {
        const pods = await kube(
          'GET',
          '/api/v1/namespaces/ml-edge-q/pods',
          undefined,
          'lab-edge',
        );
        return (
          pods.items.filter((p: any) => !p.metadata.deletionTimestamp)
            .length === 0
        );
      };
      await eventually(podGone, 20_000);
      expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(GRACE_MS);
      const history = (await status(id)).history;
      expect(history[history.length - 1]).toMatchObject({
        actor: 'system:gpu-pool',
        reason: expect.stringMatching(
          /^deleted pod ml-edge-q\/infer \(1 × nvidia\.com\/gpu\)/,
        ),
      });
      const ended = history.find(
        (h: any) => h.to === 'released' && h.from !== 'released',
      );
      expect(
        Date.parse(history[history.length - 1].at) - Date.parse(ended.at),
      ).toBeGreaterThanOrEqual(GRACE_MS);
    });

    it('never binds more GPUs than the nodes hold nor than the grants allow in a race of 200 requests, releases and jobs', async () => {
      const A100 = 'NVIDIA-A100-SXM4-80GB';
      const teams = [
        { who: ml, team: 'group:default/ml-team', ns: 'race-ml' },
        { who: payments, team: 'group:default/payments-team', ns: 'race-pay' },
        {
          who: mockCredentials.user.header('user:default/eunji.song'),
          team: 'group:default/citizen-services-team',
          ns: 'race-cit',
        },
      ];
      for (const t of teams)
        await waitStatus(await grant(t.who, t.team, t.ns, []), 'active');
      const a100Nodes = (await kube('GET', '/api/v1/nodes')).items.filter(
        (n: any) => n.metadata.labels['nvidia.com/gpu.product'] === A100,
      );
      const allocatable = new Map<string, number>(
        a100Nodes.map((n: any) => [
          n.metadata.name,
          Number(n.status.allocatable['nvidia.com/gpu']),
        ]),
      );
      const slackMs = GRACE_MS + 5000;
      /** A100 GPUs held by grants, or ended within the stop window. */
      async function grantsAllow() {
        const res = await request(server)
          .get('/api/gpu-pool/requests?scope=all')
          .set('Authorization', platform);
        let allow = 0;
        for (const r of res.body.items) {
          const n = r.gpus
            .filter((g: any) => g.pool === 'lab-main-a100')
            .reduce((a: number, g: any) => a + g.count, 0);
          const holds = ['provisioning', 'active', 'expiring'].includes(
            r.status,
          );
          const recentlyEnded = Date.now() - Date.parse(r.updatedAt) < slackMs;
          if (
            holds ||
            (['released', 'expired', 'failed'].includes(r.status) &&
              recentlyEnded)
          )
            allow += n;
        }
        return allow;
      }
      /** GPUs bound per A100 node, and in the race namespaces. */
      async function bound() {
        const pods = (await kube('GET', '/api/v1/pods')).items.filter(
          (p: any) =>
            p.spec.nodeName &&
            allocatable.has(p.spec.nodeName) &&
            !['Succeeded', 'Failed'].includes(p.status.phase),
        );
        const perNode = new Map<string, number>();
        let race = 0;
        for (const p of pods) {
          const n = p.spec.containers.reduce(
            (a: number, c: any) =>
              a +
              Number(
                c.resources?.limits?.['nvidia.com/gpu'] ??
                  c.resources?.requests?.['nvidia.com/gpu'] ??
                  0,
              ),
            0,
          );
          perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + n);
          if (p.metadata.namespace.startsWith('race-')) race += n;
        }
        return { perNode, race };
      }

      const violations: string[] = [];
      let samples = 0;
      let maxRace = 0;
      let running = true;
      const sampler = (async () => {
        for (let i = 0; running && i < 2000; i++) {
          const before = await grantsAllow();
          const { perNode, race } = await bound();
          const after = await grantsAllow();
          samples++;
          maxRace = Math.max(maxRace, race);
          for (const [node, n] of perNode) {
            if (n > allocatable.get(node)!)
              violations.push(
                `${node}: ${n} bound > ${allocatable.get(node)} allocatable`,
              );
          }
          if (race > Math.max(before, after))
            violations.push(
              `race namespaces: ${race} bound > ${Math.max(
                before,
                after,
              )} granted`,
            );
          // Often enough for 20+ samples even when the race takes only ~10 s.
          await new Promise(r => setTimeout(r, 200));
        }
      })();

      // 200 operations, 4 at a time: requests (approved), releases, jobs.
      let seed = 42;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const held = new Map<string, string[]>(teams.map(t => [t.ns, []]));
      let jobs = 0;
      const ops = Array.from({ length: 200 }, (_, i) => i);
      const worker = async () => {
        for (let i = ops.shift(); i !== undefined; i = ops.shift()) {
          const t = teams[random(teams.length)];
          const kind = random(3);
          if (kind === 0) {
            const id = await grant(t.who, t.team, t.ns, [
              { pool: 'lab-main-a100', count: 1 + random(4) },
            ]);
            held.get(t.ns)!.push(id);
          } else if (kind === 1 && held.get(t.ns)!.length) {
            const id = held
              .get(t.ns)!
              .splice(random(held.get(t.ns)!.length), 1)[0];
            await request(server)
              .post(`/api/gpu-pool/requests/${id}/release`)
              .set('Authorization', t.who)
              .send({});
          } else {
            const spec = job(t.ns, `race-${i}`, 1 + random(2), A100);
            spec.spec.template.metadata.annotations[
              'lab.cloud-smart.io/run-seconds'
            ] = String(2 + random(5));
            await kube('POST', `/apis/batch/v1/namespaces/${t.ns}/jobs`, spec);
            jobs++;
          }
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      // Release what is left; everything must stop within the window.
      for (const t of teams) {
        for (const id of held.get(t.ns)!) {
          await request(server)
            .post(`/api/gpu-pool/requests/${id}/release`)
            .set('Authorization', t.who)
            .send({});
        }
      }
      await eventually(
        async () => (await bound()).race === 0,
        slackMs + 10_000,
      );
      running = false;
      await sampler;

      expect(jobs).toBeGreaterThan(30);
      expect(samples).toBeGreaterThan(20);
      expect(maxRace).toBeGreaterThan(0);
      expect(violations).toEqual([]);
    }, 240_000);
  },
);
