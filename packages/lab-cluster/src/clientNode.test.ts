import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { LabFleet, startLabFleet } from './index';

describe('@kubernetes/client-node against the lab cluster', () => {
  let fleet: LabFleet;
  let kc: KubeConfig;

  beforeAll(async () => {
    fleet = await startLabFleet();
    const c = fleet.clusters[0];
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: c.name, server: c.url, skipTLSVerify: true }],
      users: [{ name: 'admin', token: c.token }],
      contexts: [{ name: c.name, cluster: c.name, user: 'admin' }],
      currentContext: c.name,
    });
  });
  afterAll(async () => {
    await fleet.stop();
  });

  it('lists nodes and pods with selectors', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const nodes = await core.listNode({
      labelSelector: 'nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB',
    });
    expect(nodes.items.map(n => n.metadata?.name).sort()).toEqual([
      'gpu-a100-1',
      'gpu-a100-2',
      'gpu-a100-mig-1',
      'gpu-a100-mig-2',
    ]);
    expect(
      nodes.items[0].status?.allocatable?.['nvidia.com/gpu'],
    ).toBeDefined();
    const pods = await core.listPodForAllNamespaces({
      fieldSelector: 'spec.nodeName=gpu-l40s-1',
    });
    expect(pods.items.map(p => p.metadata?.name).sort()).toEqual([
      'llm-serve-0',
      'llm-serve-1',
    ]);
    const page = await core.listNamespacedPod({
      namespace: 'ml-training',
      limit: 2,
    });
    expect(page.items).toHaveLength(2);
    expect(page.metadata?._continue).toBeTruthy();
    const rest = await core.listNamespacedPod({
      namespace: 'ml-training',
      limit: 100,
      _continue: page.metadata?._continue,
    });
    expect(rest.items.length).toBe(4);
  });

  it('surfaces Status errors as ApiException with the right code', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const err = await core
      .readNamespacedPod({ name: 'missing', namespace: 'ml-training' })
      .catch(e => e);
    expect(err).toBeInstanceOf(ApiException);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body).message).toBe('pods "missing" not found');
    const quota = await core
      .createNamespacedPod({
        namespace: 'ml-training',
        body: {
          metadata: { name: 'greedy' },
          spec: {
            containers: [
              {
                name: 'c',
                image: 'cuda',
                resources: { limits: { 'nvidia.com/gpu': '4' } },
              },
            ],
          },
        },
      })
      .catch(e => e);
    expect(quota.code).toBe(403);
    expect(JSON.parse(quota.body).message).toMatch(
      /exceeded quota: gpu-quota, requested: requests.nvidia.com\/gpu=4, used: requests.nvidia.com\/gpu=7/,
    );
  });

  it('patches with an explicit merge-patch content type', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const patched = await core.patchNode(
      {
        name: 'cpu-worker-2',
        body: {
          metadata: { labels: { 'lab.cloud-smart.io/patched': 'true' } },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels?.['lab.cloud-smart.io/patched']).toBe(
      'true',
    );
    const jsonPatched = await core.patchNamespace({
      name: 'platform-tools',
      body: [
        {
          op: 'add',
          path: '/metadata/annotations',
          value: { note: 'json-patch default' },
        },
      ],
    });
    expect(jsonPatched.metadata?.annotations?.note).toBe('json-patch default');
  });

  it('watches pods and receives events for changes', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: 'platform-tools' });
    const seen: string[] = [];
    let abort: AbortController | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('no watch event within 5s')),
        5000,
      );
      new Watch(kc)
        .watch(
          '/api/v1/namespaces/platform-tools/pods',
          {
            resourceVersion: list.metadata?.resourceVersion,
            allowWatchBookmarks: true,
          },
          (type, obj) => {
            seen.push(`${type} ${obj.metadata?.name}`);
            if (seen.length >= 2) {
              clearTimeout(timer);
              resolve();
            }
          },
          () => undefined,
        )
        .then(a => {
          abort = a;
        }, reject);
    });
    await new Promise(r => setTimeout(r, 100));
    await core.createNamespacedPod({
      namespace: 'platform-tools',
      body: {
        metadata: { name: 'watched' },
        // For another scheduler: the lab's scheduler and kubelet leave it alone, so the watch sees only ADDED and DELETED.
        spec: {
          schedulerName: 'none',
          containers: [{ name: 'c', image: 'x' }],
        },
      },
    });
    await core.deleteNamespacedPod({
      name: 'watched',
      namespace: 'platform-tools',
    });
    await done.finally(() => abort?.abort());
    expect(seen).toEqual(['ADDED watched', 'DELETED watched']);
  });

  it('applies server-side and reads custom resources through KubernetesObjectApi', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const spec = {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'LocalQueue',
      metadata: { name: 'applied-lq', namespace: 'ml-inference' },
      spec: { clusterQueue: 'ml-team' },
    };
    const created: KubernetesObject = await objects.patch<KubernetesObject>(
      spec,
      undefined,
      undefined,
      'portal',
      false,
      PatchStrategy.ServerSideApply,
    );
    expect(created.metadata?.managedFields?.[0]).toMatchObject({
      manager: 'portal',
      operation: 'Apply',
    });
    const header = {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'LocalQueue',
      metadata: { name: 'applied-lq', namespace: 'ml-inference' },
    };
    const read = await objects.read(header);
    expect((read as any).spec.clusterQueue).toBe('ml-team');
    const conflict = await objects
      .patch(
        { ...spec, spec: { clusterQueue: 'other' } },
        undefined,
        undefined,
        'intruder',
        false,
        PatchStrategy.ServerSideApply,
      )
      .catch(e => e);
    expect(conflict.code).toBe(409);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const cqs: any = await custom.listClusterCustomObject({
      group: 'kueue.x-k8s.io',
      version: 'v1beta2',
      plural: 'clusterqueues',
    });
    expect(cqs.items.map((i: any) => i.metadata.name)).toEqual(['ml-team']);
    await objects.delete(read);
    const gone = await objects.read(header).catch(e => e);
    expect(gone.code).toBe(404);
  });
});
