import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SignalPayload, signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  ClusterDetails,
  ClusterSummary,
  isNamespaceOwner,
} from '@internal/plugin-cluster-status-common';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import request from 'supertest';
import { clusterStatusPlugin } from './plugin';

jest.setTimeout(60_000);

async function eventually<T>(
  fn: () => Promise<T>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      await new Promise(r => setTimeout(r, 100));
    }
  }
  throw lastError;
}

describe('cluster-status backend against the lab fleet', () => {
  let lab: LabFleet;
  const published: SignalPayload[] = [];
  const authorizeConditional = jest.fn();

  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  async function start(probeIntervalSeconds = 1, badTokenFor?: string) {
    const backend = await startTestBackend({
      features: [
        clusterStatusPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetesAccess: {
              defaultTimeoutMs: 2000,
              clusters: lab.clusters.map(c => ({
                name: c.name,
                url: c.url,
                auth: {
                  provider: 'serviceAccount',
                  serviceAccountToken:
                    c.name === badTokenFor ? 'not-a-valid-token' : c.token,
                },
              })),
            },
            clusterStatus: { probeIntervalSeconds, signalThrottleMs: 100 },
          },
        }),
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          authorizeConditional,
        }).factory,
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async (signal: SignalPayload<any>) => {
              published.push(signal);
            },
          }),
        }),
      ],
    });
    return { server: backend.server, stop: () => backend.stop() };
  }

  async function summaries(server: any): Promise<ClusterSummary[]> {
    const res = await request(server).get('/api/cluster-status/clusters');
    expect(res.status).toBe(200);
    return res.body.items;
  }

  it('serves the fleet summary with GPU figures from the fixture', async () => {
    const { server, stop } = await start();
    try {
      const items = await eventually(async () => {
        const list = await summaries(server);
        // Nodes and pods arrive on separate watches.
        if (list.some(c => c.nodes.total === 0 || c.pods.total === 0 || c.status !== 'reachable')) {
          throw new Error(`not synced: ${JSON.stringify(list.map(c => c.status))}`);
        }
        return list;
      });
      expect(items.map(c => c.name)).toEqual(['lab-main', 'lab-edge']);
      const main = items[0];
      expect(main.version).toBe('v1.31.4');
      expect(main.lastContact).toBeDefined();
      expect(main.nodes).toEqual({ total: 12, ready: 11, notReady: 1, cordoned: 1 });
      expect(main.pods).toEqual({ total: 16, running: 13, pending: 2, failed: 0 });
      expect(main.gpus).toMatchObject({ total: 56, allocated: 9, free: 27, unavailable: 20 });
      expect(main.gpus.byModel).toEqual([
        expect.objectContaining({ model: 'NVIDIA-A100-SXM4-80GB', total: 24, allocated: 1, free: 15 }),
        expect.objectContaining({ model: 'NVIDIA-H100-80GB-HBM3', total: 24, allocated: 6, free: 10 }),
        expect.objectContaining({ model: 'NVIDIA-L40S', total: 8, allocated: 2, free: 2 }),
      ]);
      expect(main.gpus.byProfile).toEqual([
        expect.objectContaining({ profile: '1g.10gb', total: 28, allocated: 1, free: 27 }),
        expect.objectContaining({ profile: '3g.40gb', total: 8, allocated: 0, free: 8 }),
      ]);
      expect(main.cpu.allocatable).toBeGreaterThan(main.cpu.requested);
      expect(main.nodeTiles.find(t => t.name === 'gpu-h100-3')?.health).toBe('not-ready');
      expect(main.nodeTiles.find(t => t.name === 'gpu-l40s-2')?.health).toBe('cordoned');
      expect(main.nodeTiles.find(t => t.name === 'gpu-a100-2')?.health).toBe('pressure');

      const edge = items[1];
      expect(edge.version).toBe('v1.30.8');
      expect(edge.gpus).toMatchObject({ total: 6, allocated: 1, free: 5 });
      expect(edge.gpus.byProfile).toEqual([
        expect.objectContaining({ profile: '1g.6gb', total: 8, allocated: 1, free: 7 }),
      ]);
    } finally {
      await stop();
    }
  });

  it('answers details for the platform team and redacts for developers', async () => {
    const { server, stop } = await start();
    try {
      authorizeConditional.mockResolvedValue([{ result: AuthorizeResult.ALLOW }]);
      const full: ClusterDetails = await eventually(async () => {
        const res = await request(server).get('/api/cluster-status/clusters/lab-main');
        expect(res.status).toBe(200);
        expect(res.body.nodeDetails.length).toBe(12);
        expect(res.body.problemPods.length).toBe(3);
        // Events arrive on their own watch, after nodes and pods.
        expect(res.body.warningEvents.length).toBeGreaterThanOrEqual(4);
        return res.body;
      });
      const mig = full.nodeDetails.find(n => n.name === 'gpu-a100-mig-1')!;
      expect(mig.gpu).toMatchObject({
        product: 'NVIDIA-A100-SXM4-80GB',
        count: 4,
        memoryMiB: 81920,
        migStrategy: 'mixed',
        devices: { total: 4, allocated: 0, free: 4 },
      });
      expect(mig.gpu?.mig).toEqual([
        expect.objectContaining({ profile: '1g.10gb', total: 14, allocated: 1 }),
        expect.objectContaining({ profile: '3g.40gb', total: 4, allocated: 0 }),
      ]);
      const h100 = full.nodeDetails.find(n => n.name === 'gpu-h100-3')!;
      expect(h100.taints.map(t => t.key)).toContain('node.kubernetes.io/unreachable');
      expect(h100.conditions.find(c => c.type === 'Ready')?.status).toBe('Unknown');
      expect(full.problemPods.map(p => [p.name, p.reason])).toEqual([
        ['llm-serve-70b-0', 'Unschedulable'],
        ['data-loader-5f7c9d-x2v9q', 'CrashLoopBackOff'],
        ['payments-worker-6b8d7c5f9-q8zrt', expect.stringMatching(/ImagePull|ErrImage/)],
      ]);
      expect(full.problemPods[0].message).toContain('Insufficient nvidia.com/gpu');
      const training = full.namespaces.find(n => n.name === 'ml-training')!;
      expect(training.owner).toBe('ml-team');
      expect(training.gpuRequested).toBe(7);
      expect(training.quotas.find(q => q.resource === 'requests.nvidia.com/gpu')).toMatchObject({ hard: '8' });
      expect(full.warningEvents.length).toBeGreaterThanOrEqual(4);
      expect(full.hiddenNamespaces.count).toBe(0);

      // A developer of the ML team: conditional decision on ownership.
      authorizeConditional.mockResolvedValue([
        {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'cluster-status',
          resourceType: 'cluster-status-namespace',
          conditions: isNamespaceOwner({ claims: ['group:default/ml-team'] }),
        },
      ]);
      const dev = await request(server).get('/api/cluster-status/clusters/lab-main');
      expect(dev.status).toBe(200);
      const devBody: ClusterDetails = dev.body;
      expect(devBody.namespaces.map(n => n.name)).toEqual(['ml-inference', 'ml-training']);
      expect(devBody.hiddenNamespaces.count).toBe(full.namespaces.length - 2);
      expect(devBody.problemPods.map(p => p.name)).toEqual([
        'llm-serve-70b-0',
        'data-loader-5f7c9d-x2v9q',
      ]);
      expect(devBody.hiddenProblemPods).toBe(1);
      expect(JSON.stringify(devBody)).not.toContain('payments-worker');
      // Totals stay whole.
      expect(devBody.gpus.total).toBe(56);

      authorizeConditional.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
      const denied = await request(server).get('/api/cluster-status/clusters/lab-main');
      expect(denied.body.namespaces).toEqual([]);
      expect(denied.body.problemPods).toEqual([]);
      expect(authorizeConditional).toHaveBeenLastCalledWith(
        [{ permission: expect.objectContaining({ name: 'cluster-status.namespace.read.details' }) }],
        { credentials: mockCredentials.user() },
      );
    } finally {
      await stop();
    }
  });

  it('reports a cluster that rejects the credentials as authentication-failed', async () => {
    const { server, stop } = await start(1, 'lab-edge');
    try {
      const list = await eventually(async () => {
        const items = await summaries(server);
        expect(items.find(c => c.name === 'lab-edge')?.status).toBe('authentication-failed');
        expect(items.find(c => c.name === 'lab-main')?.status).toBe('reachable');
        return items;
      });
      expect(list.find(c => c.name === 'lab-edge')?.lastContact).toBeUndefined();
    } finally {
      await stop();
    }
  });

  it('answers 404 for unknown and 400 for invalid names', async () => {
    const { server, stop } = await start();
    try {
      const unknown = await request(server).get('/api/cluster-status/clusters/nope');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');
      const invalid = await request(server).get('/api/cluster-status/clusters/Not_Valid');
      expect(invalid.status).toBe(400);
    } finally {
      await stop();
    }
  });

  it('keeps serving while a cluster is down, and recovers by itself', async () => {
    const { server, stop } = await start(1);
    try {
      await eventually(async () => {
        const list = await summaries(server);
        expect(list.every(c => c.status === 'reachable')).toBe(true);
      });
      published.length = 0;
      await lab.cluster('lab-edge').faults.set({ refuse: true });
      const down = await eventually(async () => {
        const list = await summaries(server);
        expect(list.find(c => c.name === 'lab-edge')?.status).toBe('unreachable');
        return list;
      }, 30_000);
      expect(down.find(c => c.name === 'lab-main')?.status).toBe('reachable');
      expect(down.find(c => c.name === 'lab-main')?.gpus.total).toBe(56);
      expect(down.find(c => c.name === 'lab-edge')?.error).toBeDefined();
      // The signal is published asynchronously (throttled) after the cache
      // changes, so the API may show the outage first.
      await eventually(async () => {
        expect(
          published.some(
            s => s.channel === 'cluster-status' && (s.message as any).cluster === 'lab-edge',
          ),
        ).toBe(true);
      }, 10_000);

      await lab.cluster('lab-edge').faults.clear();
      await eventually(async () => {
        const list = await summaries(server);
        expect(list.find(c => c.name === 'lab-edge')?.status).toBe('reachable');
      }, 30_000);
    } finally {
      await lab.cluster('lab-edge').faults.clear();
      await stop();
    }
  });

  it('follows changes through the watch and resumes dropped watches without relisting', async () => {
    const { server, stop } = await start(5);
    try {
      await eventually(async () => {
        const list = await summaries(server);
        expect(list.every(c => c.status === 'reachable' && c.nodes.total > 0)).toBe(true);
      });
      const edge = lab.cluster('lab-edge');
      const initial = edge.metrics();
      await edge.faults.set({ dropWatchesAfterMs: 300 });
      // Wait until the dropped watches were reopened at least twice, rather
      // than for a fixed time that a loaded machine may not honour.
      await eventually(async () => {
        expect(edge.metrics()['watch nodes']).toBeGreaterThan(
          initial['watch nodes'] + 1,
        );
      }, 20_000);
      const before = edge.metrics();
      await edge.faults.clear();
      // Cordon a node straight in the store; the watch delivers the change.
      const entry = edge.store.get('/nodes', '', 'edge-l40s-2');
      expect(entry).toBeDefined();
      const node = structuredClone(entry!.obj);
      node.spec = { ...node.spec, unschedulable: true };
      edge.store.put('/nodes', node);
      await eventually(async () => {
        const list = await summaries(server);
        expect(list.find(c => c.name === 'lab-edge')?.nodes.cordoned).toBe(1);
      });
      const after = edge.metrics();
      // Watches were dropped and reopened...
      expect(after['watch nodes']).toBeGreaterThan(initial['watch nodes'] + 1);
      // ...from their resourceVersion, without listing again.
      expect(after['list nodes']).toBe(initial['list nodes']);
      expect(after['list nodes'] ?? 0).toBe(before['list nodes'] ?? 0);
      expect(after['list pods'] ?? 0).toBe(before['list pods'] ?? 0);
    } finally {
      await stop();
    }
  });

  it('serves GPU activity as "not configured" for clusters without gpuMetrics, with allocatable and allocated', async () => {
    const { server, stop } = await start();
    try {
      const items = await eventually(async () => {
        const res = await request(server).get('/api/cluster-status/gpu-activity');
        expect(res.status).toBe(200);
        expect(res.body.items[0].byModel.length).toBeGreaterThan(0);
        return res.body.items;
      });
      expect(items.map((i: any) => [i.cluster, i.status])).toEqual([
        ['lab-main', 'not-configured'],
        ['lab-edge', 'not-configured'],
      ]);
      expect(items[0].byModel).toContainEqual({
        model: 'NVIDIA-H100-80GB-HBM3',
        allocatable: 24,
        allocated: 6,
      });
    } finally {
      await stop();
    }
  });
});
