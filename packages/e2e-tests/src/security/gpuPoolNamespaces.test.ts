import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunningBackend, startBackend } from '../support/backend';
import { eventually } from '../support/eventually';
import { guestToken } from '../support/session';
import { gpuPoolApi } from '../gpu-pool/support';

/**
 * The guest developer (jiwoo.kim, ML team) attacks the GPU pool of the real
 * backend: protected namespaces, the "adopt ml-inference as
 * ephemeral, then release" deletion, a request while ownership cannot be
 * checked, a self-set priority, and CPU above the allowances. Each refusal
 * is checked with the database (through the API) and the cluster (through
 * the lab's API with its admin token) unchanged.
 */

type Api = ReturnType<typeof gpuPoolApi>;

const ML = 'group:default/ml-team';

describe('GPU pool: namespaces a developer may not touch', () => {
  let dataDir: string;
  let backend: RunningBackend | undefined;
  let api: Api;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-gpu-ns-'));
    backend = await startBackend({
      dataDir,
      overlay: {
        // One reconcile pass per second, so "nothing happened" is measured over several.
        gpuPool: { reconcileIntervalSeconds: 1 },
      },
    });
    api = gpuPoolApi(
      backend.baseUrl,
      await guestToken(backend.baseUrl, ML),
    );
  }, 600_000);

  afterAll(async () => {
    await backend?.lab?.cluster('lab-main').faults.clear();
    await backend?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The lab cluster as its administrator sees it. */
  async function admin(route: string) {
    const labMain = backend!.lab!.clusters.find(c => c.name === 'lab-main')!;
    const res = await fetch(`${labMain.url}${route}`, {
      headers: { Authorization: `Bearer ${labMain.token}` },
    });
    return { status: res.status, body: await res.json() };
  }
  const namespace = (name: string) => admin(`/api/v1/namespaces/${name}`);

  /** Every request stored for a namespace, as anyone signed in can list them. */
  async function storedFor(ns: string) {
    const res = await api.get('/requests?scope=all');
    expect(res.status).toBe(200);
    return (res.body.items as any[]).filter(r => r.namespace === ns);
  }

  /**
   * Waits for a few passes of the GPU pool's scheduled task: each one reads
   * the nodes' capacity fresh before reconciling (the lab counts requests).
   */
  async function reconcilePasses(n: number) {
    const lab = backend!.lab!.cluster('lab-main');
    const start = lab.metrics()['list nodes'] ?? 0;
    await eventually(() => (lab.metrics()['list nodes'] ?? 0) >= start + n, {
      timeoutMs: 30_000,
      what: `${n} GPU pool reconcile passes`,
    });
  }

  it.each(['kube-system', 'default', 'gpu-operator', 'kueue-system'])(
    'refuses the protected namespace %s with a 400 naming namespace',
    async ns => {
      const before = await namespace(ns);
      expect(before.status).toBe(200);
      const res = await api.post('/requests', {
        team: ML,
        cluster: 'lab-main',
        namespace: ns,
        gpus: [],
        ephemeral: true,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^namespace: .*protected/);
      expect(await storedFor(ns)).toEqual([]);
      const after = await namespace(ns);
      expect(after.body.metadata.resourceVersion).toBe(
        before.body.metadata.resourceVersion,
      );
    },
  );

  it('does not delete ml-inference: adopting an existing namespace waits for approval, and releasing leaves it', async () => {
    const before = await namespace('ml-inference');
    expect(before.status).toBe(200);
    const pods = (await admin('/api/v1/namespaces/ml-inference/pods')).body
      .items.length;
    expect(pods).toBeGreaterThan(0);

    const created = await api.post('/requests', {
      namespace: 'ml-inference',
      team: ML,
      cluster: 'lab-main',
      gpus: [],
      ephemeral: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending-approval',
      adoptsNamespace: true,
    });
    const released = await api.post(`/requests/${created.body.id}/release`);
    expect(released.status).toBe(200);
    expect(released.body.status).toBe('released');
    await reconcilePasses(3);

    const after = await namespace('ml-inference');
    expect(after.status).toBe(200);
    expect(after.body.metadata.deletionTimestamp).toBeUndefined();
    expect(after.body.metadata.resourceVersion).toBe(
      before.body.metadata.resourceVersion,
    );
    expect(
      (await admin('/api/v1/namespaces/ml-inference/pods')).body.items.length,
    ).toBe(pods);
    expect(
      (await admin('/api/v1/namespaces/ml-inference/resourcequotas/portal-gpu-pool'))
        .status,
    ).toBe(404);
  });

  it('refuses with 503 naming the cluster while ownership cannot be checked, and changes nothing', async () => {
    const lab = backend!.lab!.cluster('lab-main');
    const ns = 'ml-during-outage';
    await lab.faults.set({ status: 503 });
    let res;
    try {
      res = await api.post('/requests', {
        team: ML,
        cluster: 'lab-main',
        namespace: ns,
        gpus: [],
      });
    } finally {
      await lab.faults.clear();
    }
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('lab-main');
    expect(res.body.error.message).toContain(ns);
    expect(await storedFor(ns)).toEqual([]);
    await reconcilePasses(2);
    expect((await namespace(ns)).status).toBe(404);
  });

  it('refuses a priority set by a developer with a 400 naming priority', async () => {
    const ns = 'ml-jump-queue';
    const res = await api.post('/requests', {
      team: ML,
      cluster: 'lab-main',
      namespace: ns,
      gpus: [{ pool: 'lab-main-h100', count: 1 }],
      priority: 10,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^priority: /);
    expect(await storedFor(ns)).toEqual([]);
    expect((await namespace(ns)).status).toBe(404);
  });

  it('refuses CPU and memory above the most one request may have, and sends CPU above the team allowance to the platform team', async () => {
    for (const [patch, field] of [
      [{ cpu: '65' }, 'cpu'],
      [{ memory: '1Ti' }, 'memory'],
    ] as const) {
      const res = await api.post('/requests', {
        team: ML,
        cluster: 'lab-main',
        namespace: 'ml-huge',
        gpus: [],
        ...patch,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    }
    expect(await storedFor('ml-huge')).toEqual([]);
    expect((await namespace('ml-huge')).status).toBe(404);

    // ml-team may hold 64 CPUs (app-config.yaml): 48 + 24 is above.
    const first = await api.post('/requests', {
      team: ML,
      cluster: 'lab-main',
      namespace: 'ml-cpu-first',
      gpus: [],
      cpu: '48',
    });
    expect(first.status).toBe(201);
    const second = await api.post('/requests', {
      team: ML,
      cluster: 'lab-main',
      namespace: 'ml-cpu-second',
      gpus: [],
      cpu: '24',
      justification: 'load test',
    });
    expect(second.status).toBe(201);
    expect(second.body.status).toBe('pending-approval');
    await reconcilePasses(2);
    expect((await namespace('ml-cpu-second')).status).toBe(404);
    for (const r of [first, second]) {
      await api.post(`/requests/${r.body.id}/release`);
    }
  });
});
