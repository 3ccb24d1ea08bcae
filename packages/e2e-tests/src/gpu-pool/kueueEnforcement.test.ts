// The GPU pool enforced through Kueue, on the real backend and the lab, with
// kubectl as the referee: the pool page's numbers are the sums kubectl
// computes, a team's L40S grant runs on L40S nodes while its H100 grant runs
// on H100, a Job written without a queue name is held (suspended, no pod),
// and after the release the GPU pods are gone within the grace period, the
// stop on the request's timeline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunningBackend, startBackend } from '../support/backend';
import {
  KUBECTL,
  kubectlAvailable,
  makeKubectl,
} from '../kubectl/kubectlRunner';
import { eventually } from '../support/eventually';
import { guestToken } from '../support/session';
import { gpuPoolApi } from './support';

const available = kubectlAvailable();
if (!available) {
  // eslint-disable-next-line no-console
  console.warn(
    `Kueue enforcement end-to-end test skipped: ${KUBECTL} not found`,
  );
}
const describeIfKubectl = available ? describe : describe.skip;

const GRACE_S = 2;
const PRODUCT = 'nvidia.com/gpu.product';
const L40S = 'NVIDIA-L40S';
const H100 = 'NVIDIA-H100-80GB-HBM3';

/**
 * A training Job as the template makes it: suspended, in the team's queue;
 * `queued: false` is one written by hand without a queue name, unsuspended.
 */
function trainingJob(
  namespace: string,
  name: string,
  gpus: number,
  product: string,
  queued = true,
) {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      labels: queued ? { 'kueue.x-k8s.io/queue-name': 'portal-gpu-pool' } : {},
    },
    spec: {
      suspend: queued,
      template: {
        metadata: { annotations: { 'lab.cloud-smart.io/run-seconds': '3600' } },
        spec: {
          restartPolicy: 'Never',
          nodeSelector: { [PRODUCT]: product },
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
  });
}

describeIfKubectl(
  'GPU pool enforced through Kueue, refereed by kubectl',
  () => {
    let backend: RunningBackend;
    let dir: string;
    let kubectl: ReturnType<typeof makeKubectl>;
    let api: ReturnType<typeof gpuPoolApi>;

    beforeAll(async () => {
      backend = await startBackend({
        overlay: {
          gpuPool: {
            stopGracePeriod: `PT${GRACE_S}S`,
            // The guest's team may lease one L40S without approval here.
            allowances: [
              { team: 'group:default/ml-team', pool: 'lab-main-h100', gpus: 4 },
              { team: 'group:default/ml-team', pool: 'lab-main-l40s', gpus: 1 },
            ],
          },
        },
      });
      dir = mkdtempSync(path.join(tmpdir(), 'gpu-pool-kueue-e2e-'));
      await backend.lab!.writeKubeconfig(path.join(dir, 'config'));
      kubectl = makeKubectl(path.join(dir, 'config'), path.join(dir, 'cache'));
      api = gpuPoolApi(
        backend.baseUrl,
        await guestToken(backend.baseUrl, 'group:default/ml-team'),
      );
    });

    afterAll(async () => {
      await backend?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function getJson(args: string[]) {
      const r = await kubectl.run([...args, '-o', 'json']);
      if (r.code !== 0)
        throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    }

    function healthy(node: any) {
      const ready = node.status.conditions.some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      );
      const tainted = (node.spec.taints ?? []).some(
        (t: any) =>
          t.key.startsWith('node.kubernetes.io/') &&
          ['NoSchedule', 'NoExecute'].includes(t.effect),
      );
      return ready && !node.spec.unschedulable && !tainted;
    }

    it("shows pool numbers equal to kubectl's sums of healthy allocatable and GPUs held outside grants", async () => {
      const pools = await eventually(
        async () => {
          const items = (await api.get('/pools')).body?.items;
          return items?.every((p: any) => p.cluster !== 'lab-main' || p.live)
            ? items
            : undefined;
        },
        { timeoutMs: 30_000, what: 'the lab-main pools live' },
      );
      const nodes = (await getJson(['get', 'nodes'])).items;
      const pods = (await getJson(['get', 'pods', '-A'])).items;
      const byName = new Map(nodes.map((n: any) => [n.metadata.name, n]));
      for (const product of ['NVIDIA-A100-SXM4-80GB', H100, L40S]) {
        const ofProduct = nodes.filter(
          (n: any) => n.metadata.labels[PRODUCT] === product && healthy(n),
        );
        const capacity = ofProduct.reduce(
          (s: number, n: any) =>
            s + Number(n.status.allocatable['nvidia.com/gpu'] ?? 0),
          0,
        );
        // No grant exists yet: every bound, unfinished GPU pod on these nodes is outside.
        let held = 0;
        for (const p of pods) {
          const node: any = byName.get(p.spec.nodeName);
          if (
            !node ||
            node.metadata.labels[PRODUCT] !== product ||
            !healthy(node)
          )
            continue;
          if (['Succeeded', 'Failed'].includes(p.status.phase)) continue;
          for (const c of p.spec.containers) {
            held += Number(
              c.resources?.requests?.['nvidia.com/gpu'] ??
                c.resources?.limits?.['nvidia.com/gpu'] ??
                0,
            );
          }
        }
        const pool = pools.find(
          (p: any) => p.cluster === 'lab-main' && p.model === product,
        );
        expect({ product, ...pool }).toMatchObject({
          product,
          capacity: capacity - pool.reserve,
          outsideGrants: held,
          allocated: 0,
          available: capacity - pool.reserve - held,
        });
      }
    });

    it('runs the L40S grant on L40S nodes and the H100 grant on H100, and stops both after the release within the grace period', async () => {
      const namespace = `ml-kueue-${Date.now().toString(36)}`;
      const created = await api.post('/requests', {
        team: 'group:default/ml-team',
        cluster: 'lab-main',
        namespace,
        gpus: [
          { pool: 'lab-main-h100', count: 2 },
          { pool: 'lab-main-l40s', count: 1 },
        ],
        cpu: '8',
        memory: '32Gi',
        duration: 'PT4H',
        justification: 'Kueue end-to-end test',
        ephemeral: false,
      });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      await eventually(
        async () => (await api.get(`/requests/${id}`)).body.status === 'active',
        { timeoutMs: 30_000, what: `request ${id} active` },
      );

      // The third bypasses the queue: no queue name, not suspended.
      for (const [name, gpus, product, queued] of [
        ['train-l40s', 1, L40S, true],
        ['train-h100', 2, H100, true],
        ['bypass-h100', 1, H100, false],
      ] as const) {
        const r = await kubectl.run(
          ['create', '-f', '-'],
          trainingJob(namespace, name, gpus, product, queued),
        );
        expect(r.stderr).toBe('');
      }
      const nodes = new Map(
        (await getJson(['get', 'nodes'])).items.map((n: any) => [
          n.metadata.name,
          n.metadata.labels[PRODUCT],
        ]),
      );
      const placed = await eventually(
        async () => {
          const items = (await getJson(['-n', namespace, 'get', 'pods'])).items;
          const running = items.filter(
            (p: any) => p.status.phase === 'Running',
          );
          return running.length === 2 ? running : undefined;
        },
        { timeoutMs: 30_000, what: 'both jobs running' },
      );
      const productOf = (job: string) =>
        nodes.get(
          placed.find((p: any) => p.metadata.labels['job-name'] === job).spec
            .nodeName,
        );
      expect(productOf('train-l40s')).toBe(L40S);
      expect(productOf('train-h100')).toBe(H100);
      // The Job without a queue name is held by Kueue's manager (the portal's
      // namespaces are managed): suspended, no pod, no GPU taken.
      const bypass = await getJson([
        '-n',
        namespace,
        'get',
        'job',
        'bypass-h100',
      ]);
      expect(bypass.spec.suspend).toBe(true);
      expect(
        (
          await getJson([
            '-n',
            namespace,
            'get',
            'pods',
            '-l',
            'job-name=bypass-h100',
          ])
        ).items,
      ).toEqual([]);

      // Kueue admitted both through the team's ClusterQueue on the pools' flavors.
      const workloads = (
        await getJson(['-n', namespace, 'get', 'workloads.kueue.x-k8s.io'])
      ).items;
      expect(
        workloads
          .map(
            (w: any) =>
              w.status.admission.podSetAssignments[0].flavors['nvidia.com/gpu'],
          )
          .sort(),
      ).toEqual(['lab-main-h100', 'lab-main-l40s']);
      expect(
        workloads.map((w: any) => w.status.admission.clusterQueue),
      ).toEqual(['portal-ml-team', 'portal-ml-team']);

      // The pool page counts the granted GPUs as allocated, not outside.
      const h100 = (await api.get('/pools')).body.items.find(
        (p: any) => p.id === 'lab-main-h100',
      );
      expect(h100.allocated).toBe(2);

      const releasedAt = Date.now();
      expect(
        (await api.post(`/requests/${id}/release`, { reason: 'done' })).status,
      ).toBe(200);
      await eventually(
        async () =>
          (await getJson(['-n', namespace, 'get', 'pods'])).items.length === 0,
        {
          timeoutMs: GRACE_S * 1000 + 20_000,
          intervalMs: 200,
          what: 'GPU pods gone',
        },
      );
      expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(GRACE_S * 1000);
      const queue = await getJson([
        '-n',
        namespace,
        'get',
        'localqueues.kueue.x-k8s.io',
        'portal-gpu-pool',
      ]);
      expect(queue.spec.stopPolicy).toBe('HoldAndDrain');
      const history = (await api.get(`/requests/${id}`)).body.history;
      expect(history.map((h: any) => h.reason)).toEqual(
        expect.arrayContaining([expect.stringMatching(/HoldAndDrain/)]),
      );
    });
  },
);
