import { LabFleet, startLabFleet } from './index';
import { FleetFixture } from './fixture/types';
import { Target, readWatch, req, sleep } from './testing/http';

const tinyFixture = (): FleetFixture => ({
  clusters: [
    {
      name: 'tiny',
      tokens: { admin: 'tiny-admin', readOnly: 'tiny-ro' },
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
      ],
      generate: [
        {
          count: 3,
          template: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'cm-{{i}}', namespace: 'default' },
            data: { n: '{{i*10}}' },
          },
        },
      ],
    },
  ],
});

describe('lab fleet over HTTP', () => {
  let fleet: LabFleet;
  let main: Target;
  let edge: Target;

  beforeAll(async () => {
    fleet = await startLabFleet();
    main = fleet.clusters[0];
    edge = fleet.clusters[1];
  });
  afterAll(async () => {
    await fleet.stop();
  });

  describe('discovery', () => {
    it('serves version, groups and resource lists', async () => {
      expect((await req(main, 'GET', '/version')).body.gitVersion).toBe(
        'v1.31.4',
      );
      expect((await req(edge, 'GET', '/version')).body.gitVersion).toBe(
        'v1.30.8',
      );
      const core = await req(main, 'GET', '/api/v1');
      const nodes = core.body.resources.find((r: any) => r.name === 'nodes');
      expect(nodes).toMatchObject({
        kind: 'Node',
        namespaced: false,
        shortNames: ['no'],
      });
      expect(core.body.resources.map((r: any) => r.name)).toEqual(
        expect.arrayContaining([
          'pods/status',
          'nodes/status',
          'resourcequotas/status',
        ]),
      );
      const groups = await req(main, 'GET', '/apis');
      expect(groups.body.groups.map((g: any) => g.name)).toEqual(
        expect.arrayContaining([
          'apps',
          'rbac.authorization.k8s.io',
          'networking.k8s.io',
          'apiextensions.k8s.io',
          'kueue.x-k8s.io',
        ]),
      );
      const kueue = await req(main, 'GET', '/apis/kueue.x-k8s.io/v1beta2');
      expect(kueue.body.resources.map((r: any) => r.kind)).toEqual(
        expect.arrayContaining(['ClusterQueue', 'LocalQueue', 'Workload']),
      );
      const netpol = await req(main, 'GET', '/apis/networking.k8s.io/v1');
      expect(
        netpol.body.resources.find((r: any) => r.name === 'networkpolicies')
          .shortNames,
      ).toEqual(['netpol']);
      expect((await req(main, 'GET', '/apis/nope.example.com/v1')).status).toBe(
        404,
      );
    });

    it('answers empty lists for workload kinds the upstream Kubernetes plugin asks for', async () => {
      for (const path of [
        '/apis/apps/v1/namespaces/payments/statefulsets',
        '/apis/apps/v1/namespaces/payments/daemonsets',
        '/apis/batch/v1/namespaces/payments/jobs',
        '/apis/batch/v1/namespaces/payments/cronjobs',
        '/apis/autoscaling/v2/namespaces/payments/horizontalpodautoscalers',
        '/apis/networking.k8s.io/v1/namespaces/payments/ingresses',
      ]) {
        const r = await req(main, 'GET', path);
        expect(r.status).toBe(200);
        expect(r.body.items).toEqual([]);
      }
      const deps = await req(
        main,
        'GET',
        '/apis/apps/v1/deployments?labelSelector=backstage.io/kubernetes-id%3Dpayments-api',
      );
      expect(deps.body.items.map((d: any) => d.metadata.name)).toEqual([
        'payments-api',
      ]);
    });
  });

  describe('fixture content', () => {
    it('has the GPU fleet with the node states the portal shows', async () => {
      const nodes = (await req(main, 'GET', '/api/v1/nodes')).body.items;
      expect(nodes).toHaveLength(12);
      const byName = Object.fromEntries(
        nodes.map((n: any) => [n.metadata.name, n]),
      );
      expect(
        byName['gpu-a100-mig-1'].metadata.labels['nvidia.com/mig.strategy'],
      ).toBe('mixed');
      expect(
        byName['gpu-a100-mig-1'].status.allocatable['nvidia.com/mig-1g.10gb'],
      ).toBe('14');
      expect(
        byName['gpu-h100-3'].status.conditions.find(
          (c: any) => c.type === 'Ready',
        ).status,
      ).toBe('Unknown');
      expect(
        byName['gpu-a100-2'].status.conditions.find(
          (c: any) => c.type === 'MemoryPressure',
        ).status,
      ).toBe('True');
      expect(byName['gpu-l40s-2'].spec.unschedulable).toBe(true);
      const pending = (
        await req(
          main,
          'GET',
          '/api/v1/pods?fieldSelector=status.phase%3DPending',
        )
      ).body.items;
      const unschedulable = pending.find(
        (p: any) => p.metadata.name === 'llm-serve-70b-0',
      );
      expect(unschedulable.status.conditions[0].message).toMatch(
        /^0\/12 nodes are available: .*Insufficient nvidia.com\/gpu/,
      );
      const events = (await req(main, 'GET', '/api/v1/events')).body.items.map(
        (e: any) => e.reason,
      );
      expect(events).toEqual(
        expect.arrayContaining(['BackOff', 'FailedScheduling', 'Failed']),
      );
      const quota = (
        await req(
          main,
          'GET',
          '/api/v1/namespaces/ml-training/resourcequotas/gpu-quota',
        )
      ).body;
      expect(quota.status.used['requests.nvidia.com/gpu']).toBe('7');
      expect(quota.status.hard['requests.nvidia.com/gpu']).toBe('8');
    });
  });

  describe('CRUD and errors', () => {
    it('creates, reads, updates and deletes with real status objects', async () => {
      const cm = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'crud' },
        data: { a: '1' },
      };
      const created = await req(
        main,
        'POST',
        '/api/v1/namespaces/payments/configmaps',
        cm,
      );
      expect(created.status).toBe(201);
      expect(created.body.metadata).toMatchObject({
        name: 'crud',
        namespace: 'payments',
      });
      expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.body.metadata.creationTimestamp).toMatch(/Z$/);
      const dup = await req(
        main,
        'POST',
        '/api/v1/namespaces/payments/configmaps',
        cm,
      );
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'AlreadyExists',
        code: 409,
        message: 'configmaps "crud" already exists',
      });
      const got = await req(
        main,
        'GET',
        '/api/v1/namespaces/payments/configmaps/crud',
      );
      expect(got.body.data).toEqual({ a: '1' });
      const updated = await req(
        main,
        'PUT',
        '/api/v1/namespaces/payments/configmaps/crud',
        { ...got.body, data: { a: '2' } },
      );
      expect(updated.status).toBe(200);
      expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(got.body.metadata.resourceVersion),
      );
      const stale = await req(
        main,
        'PUT',
        '/api/v1/namespaces/payments/configmaps/crud',
        { ...got.body, data: { a: '3' } },
      );
      expect(stale.status).toBe(409);
      expect(stale.body.reason).toBe('Conflict');
      expect(stale.body.message).toBe(
        'Operation cannot be fulfilled on configmaps "crud": the object has been modified; please apply your changes to the latest version and try again',
      );
      const del = await req(
        main,
        'DELETE',
        '/api/v1/namespaces/payments/configmaps/crud',
      );
      expect(del.status).toBe(200);
      const gone = await req(
        main,
        'GET',
        '/api/v1/namespaces/payments/configmaps/crud',
      );
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({
        reason: 'NotFound',
        message: 'configmaps "crud" not found',
        details: { name: 'crud', kind: 'configmaps' },
      });
      const ns = await req(main, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'payments' },
      });
      expect(ns.body.message).toBe('namespaces "payments" already exists');
    });

    it('supports generateName, dryRun, deletecollection, /watch/ paths and pod logs', async () => {
      const base = '/api/v1/namespaces/platform-tools/configmaps';
      const gen = await req(main, 'POST', base, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { generateName: 'gen-', labels: { batch: 'x' } },
      });
      expect(gen.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
      const dry = await req(main, 'POST', `${base}?dryRun=All`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'dry', labels: { batch: 'x' } },
      });
      expect(dry.status).toBe(201);
      expect((await req(main, 'GET', `${base}/dry`)).status).toBe(404);
      await req(main, 'POST', base, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'batch-2', labels: { batch: 'x' } },
      });
      const { events } = await readWatch(
        main,
        '/api/v1/watch/namespaces/platform-tools/configmaps?labelSelector=batch%3Dx',
        { until: ev => ev.length >= 2 },
      );
      expect(events.map(e => e.object.metadata.name).sort()).toEqual(
        ['batch-2', gen.body.metadata.name].sort(),
      );
      const dc = await req(main, 'DELETE', `${base}?labelSelector=batch%3Dx`);
      expect(dc.status).toBe(200);
      expect(
        (await req(main, 'GET', `${base}?labelSelector=batch%3Dx`)).body.items,
      ).toEqual([]);
      const log = await req(
        main,
        'GET',
        '/api/v1/namespaces/ml-training/pods/train-llama-0/log',
      );
      expect(log.status).toBe(200);
      expect(typeof log.body).toBe('string');
    });

    it('bumps generation on spec changes only', async () => {
      const path = '/apis/apps/v1/namespaces/payments/deployments/payments-api';
      const before = (await req(main, 'GET', path)).body;
      const labelled = await req(
        main,
        'PATCH',
        path,
        { metadata: { labels: { touched: 'yes' } } },
        'application/merge-patch+json',
      );
      expect(labelled.body.metadata.generation).toBe(
        before.metadata.generation,
      );
      const scaled = await req(
        main,
        'PATCH',
        path,
        { spec: { replicas: 3 } },
        'application/merge-patch+json',
      );
      expect(scaled.body.metadata.generation).toBe(
        before.metadata.generation + 1,
      );
    });

    it('validates DNS-1123 names', async () => {
      const bad = await req(
        main,
        'POST',
        '/api/v1/namespaces/payments/configmaps',
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } },
      );
      expect(bad.status).toBe(422);
      expect(bad.body.reason).toBe('Invalid');
      expect(bad.body.message).toMatch(
        /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
      );
      expect(bad.body.details.causes[0]).toMatchObject({
        field: 'metadata.name',
        type: 'FieldValueInvalid',
      });
      const ns = await req(main, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'has.dot' },
      });
      expect(ns.status).toBe(422);
      expect(ns.body.message).toMatch(
        /a lowercase RFC 1123 label must consist of/,
      );
      const noNs = await req(
        main,
        'POST',
        '/api/v1/namespaces/nope/configmaps',
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
      );
      expect(noNs.status).toBe(404);
      expect(noNs.body.message).toBe('namespaces "nope" not found');
    });
  });

  describe('selectors and pagination', () => {
    const names = (r: any) =>
      r.body.items.map((i: any) => i.metadata.name).sort();

    it('filters by label selector operators', async () => {
      const q = (sel: string) =>
        req(
          main,
          'GET',
          `/api/v1/nodes?labelSelector=${encodeURIComponent(sel)}`,
        );
      expect(
        names(await q('nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3')),
      ).toEqual(['gpu-h100-1', 'gpu-h100-2', 'gpu-h100-3']);
      expect(names(await q('nvidia.com/gpu.product==NVIDIA-L40S'))).toEqual([
        'gpu-l40s-1',
        'gpu-l40s-2',
      ]);
      expect(
        (
          await q(
            'nvidia.com/gpu.present,nvidia.com/gpu.product!=NVIDIA-A100-SXM4-80GB',
          )
        ).body.items,
      ).toHaveLength(5);
      expect(names(await q('nvidia.com/mig.strategy in (mixed)'))).toEqual([
        'gpu-a100-mig-1',
        'gpu-a100-mig-2',
      ]);
      expect(
        (await q('nvidia.com/mig.strategy notin (mixed,single)')).body.items,
      ).toHaveLength(5);
      expect(names(await q('!nvidia.com/gpu.present'))).toEqual([
        'control-plane-1',
        'cpu-worker-1',
        'cpu-worker-2',
      ]);
      expect(names(await q('node-role.kubernetes.io/control-plane'))).toEqual([
        'control-plane-1',
      ]);
      const ns = await req(
        main,
        'GET',
        `/api/v1/namespaces?labelSelector=${encodeURIComponent(
          'portal.cloud-smart.io/owner=ml-team',
        )}`,
      );
      expect(names(ns)).toEqual(['ml-inference', 'ml-training']);
    });

    it('filters by field selector', async () => {
      const onNode = await req(
        main,
        'GET',
        '/api/v1/pods?fieldSelector=spec.nodeName%3Dgpu-h100-1',
      );
      expect(names(onNode)).toEqual([
        'nvidia-device-plugin-daemonset-8k2lq',
        'train-llama-0',
      ]);
      const notRunning = await req(
        main,
        'GET',
        '/api/v1/namespaces/ml-training/pods?fieldSelector=status.phase!%3DRunning',
      );
      expect(names(notRunning)).toEqual(['eval-run-done']);
      const byName = await req(
        main,
        'GET',
        '/api/v1/namespaces/ml-training/pods?fieldSelector=metadata.name%3Dtrain-llama-1',
      );
      expect(names(byName)).toEqual(['train-llama-1']);
      const ev = await req(
        main,
        'GET',
        `/api/v1/events?fieldSelector=${encodeURIComponent(
          'involvedObject.kind=Node,involvedObject.name=gpu-h100-3',
        )}`,
      );
      expect(ev.body.items.map((e: any) => e.reason)).toEqual(['NodeNotReady']);
      const bad = await req(
        main,
        'GET',
        '/api/v1/pods?fieldSelector=spec.bogus%3Dx',
      );
      expect(bad.status).toBe(400);
      expect(bad.body.reason).toBe('BadRequest');
    });

    it('pages with limit/continue and reports remainingItemCount', async () => {
      const all = (await req(main, 'GET', '/api/v1/pods')).body;
      const seen: string[] = [];
      const remaining: Array<[number, number]> = [];
      let cont = '';
      for (let i = 0; i < 20; i++) {
        const page = await req(
          main,
          'GET',
          `/api/v1/pods?limit=4${
            cont ? `&continue=${encodeURIComponent(cont)}` : ''
          }`,
        );
        expect(page.body.items.length).toBeLessThanOrEqual(4);
        seen.push(
          ...page.body.items.map(
            (p: any) => `${p.metadata.namespace}/${p.metadata.name}`,
          ),
        );
        cont = page.body.metadata.continue ?? '';
        if (!cont) break;
        remaining.push([
          page.body.metadata.remainingItemCount,
          all.items.length - seen.length,
        ]);
      }
      expect(remaining.length).toBeGreaterThan(2);
      for (const [reported, expected] of remaining)
        expect(reported).toBe(expected);
      expect(seen).toEqual(
        all.items.map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`),
      );
      expect(all.metadata.resourceVersion).toMatch(/^\d+$/);
      const bad = await req(
        main,
        'GET',
        '/api/v1/pods?limit=2&continue=garbage',
      );
      expect(bad.status).toBe(400);
    });
  });

  describe('watch', () => {
    it('sends current objects as ADDED when resourceVersion is omitted', async () => {
      const { events } = await readWatch(
        main,
        '/api/v1/namespaces/ml-inference/pods?watch=1',
        { until: ev => ev.length >= 3 },
      );
      expect(events.map(e => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED']);
    });

    it('resumes from a resourceVersion with selectors applied', async () => {
      const list = await req(
        main,
        'GET',
        '/api/v1/namespaces/platform-tools/configmaps',
      );
      const rv = list.body.metadata.resourceVersion;
      const mk = (name: string, team: string) =>
        req(main, 'POST', '/api/v1/namespaces/platform-tools/configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, labels: { team } },
        });
      await mk('w-ignored', 'other');
      await mk('w-seen', 'watched');
      await req(
        main,
        'PATCH',
        '/api/v1/namespaces/platform-tools/configmaps/w-seen',
        { data: { x: '1' } },
        'application/merge-patch+json',
      );
      await req(
        main,
        'DELETE',
        '/api/v1/namespaces/platform-tools/configmaps/w-seen',
      );
      const { events } = await readWatch(
        main,
        `/api/v1/namespaces/platform-tools/configmaps?watch=true&resourceVersion=${rv}&labelSelector=team%3Dwatched`,
        {
          until: ev => ev.length >= 3,
        },
      );
      expect(events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
        'ADDED w-seen',
        'MODIFIED w-seen',
        'DELETED w-seen',
      ]);
      expect(Number(events[2].object.metadata.resourceVersion)).toBeGreaterThan(
        Number(events[1].object.metadata.resourceVersion),
      );
    });

    it('delivers live events and ends after timeoutSeconds', async () => {
      const started = Date.now();
      const { events, ended } = await readWatch(
        main,
        '/api/v1/namespaces/platform-tools/configmaps?watch=1&resourceVersion=1000000&timeoutSeconds=1',
        {
          until: () => false,
          onOpen: async () => {
            await req(
              main,
              'POST',
              '/api/v1/namespaces/platform-tools/configmaps',
              {
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: { name: 'live' },
              },
            );
          },
        },
      );
      expect(ended).toBe(true);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
        'ADDED live',
      ]);
    });
  });

  describe('finalizers and namespace lifecycle', () => {
    it('keeps an object with finalizers until the last one is removed', async () => {
      const base = '/api/v1/namespaces/platform-tools/configmaps';
      await req(main, 'POST', base, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'fin', finalizers: ['lab/a', 'lab/b'] },
      });
      const del = await req(main, 'DELETE', `${base}/fin`);
      expect(del.status).toBe(200);
      const pending = await req(main, 'GET', `${base}/fin`);
      expect(pending.body.metadata.deletionTimestamp).toBeDefined();
      await req(
        main,
        'PATCH',
        `${base}/fin`,
        [{ op: 'remove', path: '/metadata/finalizers/0' }],
        'application/json-patch+json',
      );
      expect((await req(main, 'GET', `${base}/fin`)).status).toBe(200);
      await req(
        main,
        'PATCH',
        `${base}/fin`,
        { metadata: { finalizers: null } },
        'application/merge-patch+json',
      );
      expect((await req(main, 'GET', `${base}/fin`)).status).toBe(404);
    });

    it('cascades namespace deletion and refuses content in a terminating namespace', async () => {
      await req(main, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'doomed' },
      });
      await req(main, 'POST', '/api/v1/namespaces/doomed/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c1' },
      });
      // A finalizer keeps the namespace Terminating until it is released.
      await req(main, 'POST', '/api/v1/namespaces/doomed/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'held', finalizers: ['lab/hold'] },
      });
      await req(main, 'POST', '/api/v1/namespaces/doomed/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p1' },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      });
      const del = await req(main, 'DELETE', '/api/v1/namespaces/doomed');
      expect(del.body.status.phase).toBe('Terminating');
      const refused = await req(
        main,
        'POST',
        '/api/v1/namespaces/doomed/configmaps',
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2' } },
      );
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe(
        'configmaps "c2" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      );
      await sleep(300);
      expect(
        (await req(main, 'GET', '/api/v1/namespaces/doomed/configmaps/c1'))
          .status,
      ).toBe(404);
      const held = await req(
        main,
        'GET',
        '/api/v1/namespaces/doomed/configmaps/held',
      );
      expect(held.body.metadata.deletionTimestamp).toBeDefined();
      expect(
        (await req(main, 'GET', '/api/v1/namespaces/doomed')).body.status.phase,
      ).toBe('Terminating');
      await req(
        main,
        'PATCH',
        '/api/v1/namespaces/doomed/configmaps/held',
        { metadata: { finalizers: [] } },
        'application/merge-patch+json',
      );
      let status = 200;
      for (let i = 0; i < 50 && status === 200; i++) {
        await sleep(50);
        status = (await req(main, 'GET', '/api/v1/namespaces/doomed')).status;
      }
      expect(status).toBe(404);
      expect(
        main && fleet.cluster('lab-main').store.count('/configmaps', 'doomed'),
      ).toBe(0);
      expect(fleet.cluster('lab-main').store.count('/pods', 'doomed')).toBe(0);
    });
  });

  describe('patches', () => {
    it('applies merge, strategic-merge and json patches', async () => {
      const path = '/api/v1/namespaces/ml-training/pods/finetune-bert-0';
      const merge = await req(
        main,
        'PATCH',
        path,
        { metadata: { labels: { stage: 'eval' } } },
        'application/merge-patch+json',
      );
      expect(merge.body.metadata.labels).toMatchObject({
        stage: 'eval',
        app: 'finetune-bert',
      });
      const smp = await req(
        main,
        'PATCH',
        path,
        {
          spec: {
            containers: [
              {
                name: 'finetune',
                image: 'registry.cloud-smart.io/ml/bert-finetune:1.0.5',
              },
              { name: 'sidecar', image: 'busybox' },
            ],
          },
        },
        'application/strategic-merge-patch+json',
      );
      expect(smp.status).toBe(200);
      const containers = smp.body.spec.containers;
      expect(containers.map((c: any) => c.name)).toEqual([
        'finetune',
        'sidecar',
      ]);
      expect(containers[0].image).toBe(
        'registry.cloud-smart.io/ml/bert-finetune:1.0.5',
      );
      expect(containers[0].resources.requests['nvidia.com/gpu']).toBe('1');
      const del = await req(
        main,
        'PATCH',
        path,
        { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } },
        'application/strategic-merge-patch+json',
      );
      expect(del.body.spec.containers.map((c: any) => c.name)).toEqual([
        'finetune',
      ]);
      const jp = await req(
        main,
        'PATCH',
        path,
        [
          { op: 'add', path: '/metadata/annotations', value: { a: 'b' } },
          { op: 'replace', path: '/metadata/labels/stage', value: 'done' },
        ],
        'application/json-patch+json',
      );
      expect(jp.body.metadata.annotations).toEqual({ a: 'b' });
      expect(jp.body.metadata.labels.stage).toBe('done');
      const failed = await req(
        main,
        'PATCH',
        path,
        [{ op: 'test', path: '/metadata/labels/stage', value: 'nope' }],
        'application/json-patch+json',
      );
      expect(failed.status).toBe(422);
      const unsupported = await req(main, 'PATCH', path, {}, 'text/plain');
      expect(unsupported.status).toBe(415);
    });

    it('updates pod status through the status subresource only', async () => {
      const path = '/api/v1/namespaces/ml-training/pods/train-llama-1';
      const ignored = await req(
        main,
        'PATCH',
        path,
        { status: { phase: 'Failed' } },
        'application/merge-patch+json',
      );
      expect(ignored.body.status.phase).toBe('Running');
      const applied = await req(
        main,
        'PATCH',
        `${path}/status`,
        { status: { message: 'hello' } },
        'application/merge-patch+json',
      );
      expect(applied.body.status.message).toBe('hello');
      expect(applied.body.status.phase).toBe('Running');
    });
  });

  describe('server-side apply', () => {
    const path = '/api/v1/namespaces/platform-tools/configmaps/ssa';
    const cfg = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ssa', namespace: 'platform-tools' },
      data,
    });

    it('creates, tracks managed fields, detects conflicts and forces', async () => {
      const created = await req(
        main,
        'PATCH',
        `${path}?fieldManager=team-a`,
        cfg({ a: '1', shared: 'x' }),
        'application/apply-patch+yaml',
      );
      expect(created.status).toBe(201);
      expect(created.body.metadata.managedFields).toEqual([
        expect.objectContaining({
          manager: 'team-a',
          operation: 'Apply',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { 'f:a': {}, 'f:shared': {} } },
        }),
      ]);
      // Same value: co-ownership, no conflict.
      const same = await req(
        main,
        'PATCH',
        `${path}?fieldManager=team-b`,
        cfg({ shared: 'x', b: '2' }),
        'application/apply-patch+yaml',
      );
      expect(same.status).toBe(200);
      expect(same.body.data).toEqual({ a: '1', shared: 'x', b: '2' });
      const clash = await req(
        main,
        'PATCH',
        `${path}?fieldManager=team-b`,
        cfg({ a: 'mine', b: '2' }),
        'application/apply-patch+yaml',
      );
      expect(clash.status).toBe(409);
      expect(clash.body.reason).toBe('Conflict');
      expect(clash.body.message).toBe(
        'Apply failed with 1 conflict: conflict with "team-a": .data.a',
      );
      expect(clash.body.details.causes).toEqual([
        {
          type: 'FieldManagerConflict',
          message: 'conflict with "team-a"',
          field: '.data.a',
        },
      ]);
      const forced = await req(
        main,
        'PATCH',
        `${path}?fieldManager=team-b&force=true`,
        cfg({ a: 'mine', b: '2' }),
        'application/apply-patch+yaml',
      );
      expect(forced.status).toBe(200);
      expect(forced.body.data).toEqual({ a: 'mine', shared: 'x', b: '2' });
      const teamA = forced.body.metadata.managedFields.find(
        (m: any) => m.manager === 'team-a',
      );
      expect(teamA.fieldsV1).toEqual({ 'f:data': { 'f:shared': {} } });
      // team-b stops applying `shared`, but team-a still owns it, so it stays.
      const dropped = await req(
        main,
        'PATCH',
        `${path}?fieldManager=team-b`,
        cfg({ a: 'mine' }),
        'application/apply-patch+yaml',
      );
      expect(dropped.body.data).toEqual({ a: 'mine', shared: 'x' });
      // An update by a plain writer takes ownership without conflicts.
      const upd = await req(
        main,
        'PATCH',
        `${path}?fieldManager=editor`,
        { data: { shared: 'y' } },
        'application/merge-patch+json',
      );
      expect(
        upd.body.metadata.managedFields.find(
          (m: any) => m.manager === 'editor',
        ),
      ).toMatchObject({ operation: 'Update' });
      const again = await req(
        main,
        'PATCH',
        `${path}?fieldManager=team-a`,
        cfg({ shared: 'z' }),
        'application/apply-patch+yaml',
      );
      expect(again.status).toBe(409);
      expect(again.body.message).toBe(
        'Apply failed with 1 conflict: conflict with "editor" using v1: .data.shared',
      );
      const noManager = await req(
        main,
        'PATCH',
        path,
        cfg({}),
        'application/apply-patch+yaml',
      );
      expect(noManager.status).toBe(400);
    });

    it('merges containers by name when applying pods', async () => {
      const pod = (image: string) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'applied-pod', namespace: 'platform-tools' },
        spec: { containers: [{ name: 'app', image }] },
      });
      const p =
        '/api/v1/namespaces/platform-tools/pods/applied-pod?fieldManager=deployer';
      expect(
        (
          await req(
            main,
            'PATCH',
            p,
            pod('a:1'),
            'application/apply-patch+yaml',
          )
        ).status,
      ).toBe(201);
      const r = await req(
        main,
        'PATCH',
        p,
        pod('a:2'),
        'application/apply-patch+yaml',
      );
      expect(r.body.spec.containers).toEqual([{ name: 'app', image: 'a:2' }]);
      const fields = r.body.metadata.managedFields.find(
        (m: any) => m.manager === 'deployer',
      ).fieldsV1;
      expect(fields['f:spec']['f:containers']['k:{"name":"app"}']).toEqual({
        '.': {},
        'f:name': {},
        'f:image': {},
      });
    });
  });

  describe('quota admission', () => {
    const gpuPod = (name: string, resources: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'cuda:12',
            resources: { limits: resources, requests: resources },
          },
        ],
      },
    });
    const quotaUsed = async (ns: string) =>
      (
        await req(
          main,
          'GET',
          `/api/v1/namespaces/${ns}/resourcequotas/gpu-quota`,
        )
      ).body.status.used;

    it('rejects pods over the GPU quota with the real message and tracks usage', async () => {
      const over = await req(
        main,
        'POST',
        '/api/v1/namespaces/ml-training/pods',
        gpuPod('too-big', { 'nvidia.com/gpu': '2' }),
      );
      expect(over.status).toBe(403);
      expect(over.body.reason).toBe('Forbidden');
      expect(over.body.message).toBe(
        'pods "too-big" is forbidden: exceeded quota: gpu-quota, requested: requests.nvidia.com/gpu=2, used: requests.nvidia.com/gpu=7, limited: requests.nvidia.com/gpu=8',
      );
      const fits = await req(
        main,
        'POST',
        '/api/v1/namespaces/ml-training/pods',
        gpuPod('fits', { 'nvidia.com/gpu': '1', cpu: '500m', memory: '1Gi' }),
      );
      expect(fits.status).toBe(201);
      expect(await quotaUsed('ml-training')).toMatchObject({
        'requests.nvidia.com/gpu': '8',
        pods: '6',
        'requests.cpu': '62500m',
      });
      const full = await req(
        main,
        'POST',
        '/api/v1/namespaces/ml-training/pods',
        gpuPod('one-more', { 'nvidia.com/gpu': '1' }),
      );
      expect(full.status).toBe(403);
      // Terminated pods stop counting.
      await req(
        main,
        'PATCH',
        '/api/v1/namespaces/ml-training/pods/fits/status',
        { status: { phase: 'Succeeded' } },
        'application/merge-patch+json',
      );
      expect((await quotaUsed('ml-training'))['requests.nvidia.com/gpu']).toBe(
        '7',
      );
      await req(main, 'DELETE', '/api/v1/namespaces/ml-training/pods/fits');
      expect((await quotaUsed('ml-training')).pods).toBe('5');
    });

    it('enforces MIG slices and quantities with suffixes', async () => {
      const mig = await req(
        main,
        'POST',
        '/api/v1/namespaces/ml-training/pods',
        gpuPod('mig-4', { 'nvidia.com/mig-1g.10gb': '4' }),
      );
      expect(mig.body.message).toBe(
        'pods "mig-4" is forbidden: exceeded quota: gpu-quota, requested: requests.nvidia.com/mig-1g.10gb=4, used: requests.nvidia.com/mig-1g.10gb=1, limited: requests.nvidia.com/mig-1g.10gb=4',
      );
      const ok = await req(
        main,
        'POST',
        '/api/v1/namespaces/ml-training/pods',
        gpuPod('mig-3', { 'nvidia.com/mig-1g.10gb': '3' }),
      );
      expect(ok.status).toBe(201);
      expect(
        (await quotaUsed('ml-training'))['requests.nvidia.com/mig-1g.10gb'],
      ).toBe('4');
      await req(main, 'DELETE', '/api/v1/namespaces/ml-training/pods/mig-3');
      const mem = await req(
        main,
        'POST',
        '/api/v1/namespaces/payments/pods',
        gpuPod('mem-hog', { memory: '63Gi', cpu: '1' }),
      );
      expect(mem.status).toBe(403);
      expect(mem.body.message).toBe(
        'pods "mem-hog" is forbidden: exceeded quota: compute-quota, requested: requests.memory=63Gi, used: requests.memory=1280Mi, limited: requests.memory=64Gi',
      );
      const noGpu = await req(
        main,
        'POST',
        '/api/v1/namespaces/payments/pods',
        gpuPod('gpu-in-payments', { 'nvidia.com/gpu': '1' }),
      );
      expect(noGpu.body.message).toMatch(
        /limited: requests.nvidia.com\/gpu=0$/,
      );
    });
  });

  describe('limit ranges and quota constraints', () => {
    it('defaults container resources from the LimitRange and records it', async () => {
      const r = await req(main, 'POST', '/api/v1/namespaces/ml-training/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'defaulted' },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'x',
              resources: { limits: { memory: '2Gi' } },
            },
          ],
        },
      });
      expect(r.status).toBe(201);
      expect(r.body.spec.containers[0].resources).toEqual({
        limits: { memory: '2Gi', cpu: '2' },
        requests: { memory: '2Gi', cpu: '500m' },
      });
      expect(r.body.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
        'LimitRanger plugin set: cpu request for container main; cpu limit for container main',
      );
      await req(
        main,
        'DELETE',
        '/api/v1/namespaces/ml-training/pods/defaulted',
      );
    });

    it('requires explicit cpu/memory when a quota tracks them and no LimitRange defaults them', async () => {
      const r = await req(
        main,
        'POST',
        '/api/v1/namespaces/citizen-portal/pods',
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'bare' },
          spec: {
            containers: [
              { name: 'main', image: 'x' },
              {
                name: 'side',
                image: 'y',
                resources: { requests: { cpu: '100m' } },
              },
            ],
          },
        },
      );
      expect(r.status).toBe(403);
      expect(r.body.message).toBe(
        'pods "bare" is forbidden: failed quota: compute-quota: must specify requests.cpu for: main; requests.memory for: main,side',
      );
    });
  });

  describe('auth', () => {
    it('answers 401 without or with a wrong token and 403 to writes by the read-only token', async () => {
      const anon = await fetch(`${main.url}/api/v1/nodes`);
      expect(anon.status).toBe(401);
      expect(await anon.json()).toMatchObject({
        kind: 'Status',
        reason: 'Unauthorized',
        code: 401,
      });
      expect(
        (await req({ url: main.url, token: 'wrong' }, 'GET', '/api/v1/nodes'))
          .status,
      ).toBe(401);
      expect(
        (
          await req(
            { url: main.url, token: edge.token },
            'GET',
            '/api/v1/nodes',
          )
        ).status,
      ).toBe(401);
      const ro = { url: main.url, token: fleet.clusters[0].readOnlyToken! };
      expect((await req(ro, 'GET', '/api/v1/nodes')).status).toBe(200);
      const w = await req(
        ro,
        'POST',
        '/api/v1/namespaces/payments/configmaps',
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ro' } },
      );
      expect(w.status).toBe(403);
      expect(w.body.reason).toBe('Forbidden');
      expect(w.body.message).toMatch(
        /^configmaps is forbidden: User ".*" cannot create resource "configmaps" in API group "" in the namespace "payments"$/,
      );
      const d = await req(ro, 'DELETE', '/api/v1/nodes/gpu-h100-1');
      expect(d.body.message).toMatch(
        /^nodes "gpu-h100-1" is forbidden: User .* cannot delete resource "nodes" in API group "" at the cluster scope$/,
      );
    });
  });

  describe('metrics and admin API', () => {
    it('counts requests by verb and resource and exposes them as Prometheus text', async () => {
      const edgeCluster = fleet.cluster('lab-edge');
      const before = edgeCluster.metrics()['list pods'] ?? 0;
      await req(edge, 'GET', '/api/v1/pods');
      await req(edge, 'GET', '/api/v1/namespaces/ml-inference/pods');
      await req(
        edge,
        'PATCH',
        '/api/v1/namespaces/ml-inference',
        { metadata: { labels: { x: 'y' } } },
        'application/merge-patch+json',
      );
      expect(edgeCluster.metrics()['list pods']).toBe(before + 2);
      expect(edgeCluster.metrics()['patch namespaces']).toBeGreaterThanOrEqual(
        1,
      );
      const text = await (await fetch(`${fleet.adminUrl}/metrics`)).text();
      expect(text).toContain(
        `lab_cluster_requests_total{cluster="lab-edge",verb="list",resource="pods"} ${
          before + 2
        }`,
      );
      expect(text).toMatch(
        /lab_cluster_objects\{cluster="lab-main",resource="nodes"\} 12/,
      );
      const list = await (await fetch(`${fleet.adminUrl}/clusters`)).json();
      expect(list.clusters.map((c: any) => c.name)).toEqual([
        'lab-main',
        'lab-edge',
      ]);
      expect((await fetch(`${fleet.adminUrl}/healthz`)).status).toBe(200);
      expect(() => fleet.cluster('nope')).toThrow(/unknown lab cluster/);
    });
  });
});

describe('faults', () => {
  let fleet: LabFleet;
  let t: Target;
  beforeAll(async () => {
    fleet = await startLabFleet({ fixture: tinyFixture() });
    t = fleet.clusters[0];
  });
  afterAll(async () => {
    await fleet.stop();
  });

  it('adds latency', async () => {
    await fleet.cluster('tiny').faults.set({ latencyMs: 150 });
    const started = Date.now();
    expect(
      (await req(t, 'GET', '/api/v1/namespaces/default/configmaps')).status,
    ).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await fleet.cluster('tiny').faults.clear();
  });

  it('answers every request with an injected status, via the admin API', async () => {
    const put = await fetch(`${fleet.adminUrl}/clusters/tiny/faults`, {
      method: 'PUT',
      body: JSON.stringify({ status: 503 }),
    });
    expect(put.status).toBe(200);
    const r = await req(t, 'GET', '/api/v1/namespaces/default/configmaps');
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({
      kind: 'Status',
      reason: 'ServiceUnavailable',
      code: 503,
    });
    await fetch(`${fleet.adminUrl}/clusters/tiny/faults`, {
      method: 'PUT',
      body: JSON.stringify({ status: 500 }),
    });
    expect((await req(t, 'GET', '/api/v1/namespaces')).body.reason).toBe(
      'InternalError',
    );
    const bad = await fetch(`${fleet.adminUrl}/clusters/tiny/faults`, {
      method: 'PUT',
      body: JSON.stringify({ latency: 'x' }),
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await fetch(`${fleet.adminUrl}/clusters/tiny/faults`, {
          method: 'DELETE',
        })
      ).status,
    ).toBe(200);
    expect((await req(t, 'GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('refuses connections and comes back on the same port', async () => {
    await fleet.cluster('tiny').faults.set({ refuse: true });
    await expect(fetch(`${t.url}/api/v1/namespaces`)).rejects.toThrow();
    await fleet.cluster('tiny').faults.clear();
    expect((await req(t, 'GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('answers 409 to writes only', async () => {
    await fleet.cluster('tiny').faults.set({ conflictOnWrite: true });
    expect(
      (await req(t, 'GET', '/api/v1/namespaces/default/configmaps/cm-1'))
        .status,
    ).toBe(200);
    const w = await req(
      t,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/cm-1',
      { data: { n: '0' } },
      'application/merge-patch+json',
    );
    expect(w.status).toBe(409);
    expect(w.body.reason).toBe('Conflict');
    await fleet.cluster('tiny').faults.clear();
  });

  it('drops watches', async () => {
    await fleet.cluster('tiny').faults.set({ dropWatchesAfterMs: 100 });
    const started = Date.now();
    const { ended } = await readWatch(
      t,
      '/api/v1/namespaces/default/configmaps?watch=1',
      { until: () => false, timeoutMs: 3000 },
    );
    expect(ended).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    await fleet.cluster('tiny').faults.clear();
  });

  it('stamps generator templates', async () => {
    const cm = await req(
      t,
      'GET',
      '/api/v1/namespaces/default/configmaps/cm-3',
    );
    expect(cm.body.data).toEqual({ n: '30' });
  });
});

describe('watch history', () => {
  let fleet: LabFleet;
  let t: Target;
  beforeAll(async () => {
    fleet = await startLabFleet({
      fixture: tinyFixture(),
      watchHistory: 5,
      bookmarkIntervalMs: 50,
    });
    t = fleet.clusters[0];
  });
  afterAll(async () => {
    await fleet.stop();
  });

  it('answers 410 Expired for a resourceVersion older than the kept history', async () => {
    const rv = (await req(t, 'GET', '/api/v1/namespaces/default/configmaps'))
      .body.metadata.resourceVersion;
    for (let i = 0; i < 8; i++) {
      await req(
        t,
        'PATCH',
        '/api/v1/namespaces/default/configmaps/cm-1',
        { data: { n: String(i) } },
        'application/merge-patch+json',
      );
    }
    const { events } = await readWatch(
      t,
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}`,
      { until: ev => ev.length >= 1 },
    );
    expect(events[0].type).toBe('ERROR');
    expect(events[0].object).toMatchObject({
      kind: 'Status',
      code: 410,
      reason: 'Expired',
    });
    expect(events[0].object.message).toMatch(
      /^too old resource version: \d+ \(\d+\)$/,
    );
    const recent = (
      await req(t, 'GET', '/api/v1/namespaces/default/configmaps')
    ).body.metadata.resourceVersion;
    const ok = await readWatch(
      t,
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${
        Number(recent) - 2
      }`,
      { until: ev => ev.length >= 2 },
    );
    expect(ok.events.map(e => e.type)).toEqual(['MODIFIED', 'MODIFIED']);
  });

  it('expires continue tokens issued before the kept history', async () => {
    const first = await req(
      t,
      'GET',
      '/api/v1/namespaces/default/configmaps?limit=1',
    );
    const token = first.body.metadata.continue;
    expect(token).toBeTruthy();
    const fresh = await req(
      t,
      'GET',
      `/api/v1/namespaces/default/configmaps?limit=1&continue=${encodeURIComponent(
        token,
      )}`,
    );
    expect(fresh.body.items.map((i: any) => i.metadata.name)).toEqual(['cm-2']);
    for (let i = 0; i < 8; i++) {
      await req(
        t,
        'PATCH',
        '/api/v1/namespaces/default/configmaps/cm-2',
        { data: { n: String(i) } },
        'application/merge-patch+json',
      );
    }
    const stale = await req(
      t,
      'GET',
      `/api/v1/namespaces/default/configmaps?limit=1&continue=${encodeURIComponent(
        token,
      )}`,
    );
    expect(stale.status).toBe(410);
    expect(stale.body).toMatchObject({
      kind: 'Status',
      reason: 'Expired',
      code: 410,
    });
  });

  it('sends bookmarks with the current resourceVersion', async () => {
    const rv = (await req(t, 'GET', '/api/v1/namespaces/default/configmaps'))
      .body.metadata.resourceVersion;
    const { events } = await readWatch(
      t,
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`,
      {
        until: ev => ev.some(e => e.type === 'BOOKMARK'),
      },
    );
    const bookmark = events.find(e => e.type === 'BOOKMARK');
    expect(bookmark.object).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: rv },
    });
  });
});
