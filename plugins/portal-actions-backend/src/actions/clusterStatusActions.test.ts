import { GUEST, startHarness } from '../__testUtils__/harness';

const summary = (name: string, status: string) => ({
  name,
  title: name,
  status,
  nodes: { total: 3, ready: 2, notReady: 1, cordoned: 0 },
  pods: { total: 10, running: 9, pending: 1, failed: 0 },
  cpu: { allocatable: 96, requested: 10 },
  memory: { allocatable: 1e12, requested: 1e10 },
  gpus: {
    total: 16,
    allocated: 2,
    free: 6,
    unavailable: 8,
    byModel: [
      { model: 'H100', total: 16, allocated: 2, free: 6, unavailable: 8 },
    ],
    byProfile: [],
  },
  nodeTiles: [],
});

// What cluster-status answers a developer of the ML team: their namespaces in
// detail, the others only counted.
const details = {
  ...summary('lab-main', 'reachable'),
  nodeDetails: [],
  namespaces: [
    {
      name: 'ml-training',
      owner: 'ml-team',
      pods: 4,
      gpuRequested: 2,
      quotas: [],
    },
    {
      name: 'ml-inference',
      owner: 'ml-team',
      pods: 2,
      gpuRequested: 0,
      quotas: [],
    },
  ],
  hiddenNamespaces: { count: 5, pods: 20, gpuRequested: 4 },
  problemPods: [
    {
      namespace: 'ml-training',
      name: 'trainer-1',
      reason: 'CrashLoopBackOff',
      restarts: 7,
    },
    {
      namespace: 'ml-inference',
      name: 'server-1',
      reason: 'ImagePullBackOff',
      restarts: 0,
    },
  ],
  hiddenProblemPods: 3,
  warningEvents: [
    {
      namespace: 'ml-training',
      involvedObject: { kind: 'Pod', name: 'trainer-1' },
      reason: 'BackOff',
      count: 7,
    },
  ],
  hiddenWarningEvents: 2,
};

describe('cluster status actions', () => {
  let harness: Awaited<ReturnType<typeof startHarness>>;

  beforeEach(async () => {
    harness = await startHarness([
      {
        pluginId: 'cluster-status',
        routes: router => {
          router.get('/clusters', (_req, res) => {
            res.json({
              items: [
                summary('lab-main', 'reachable'),
                summary('lab-edge', 'unreachable'),
              ],
            });
          });
          router.get('/clusters/lab-main', (_req, res) => {
            res.json(details);
          });
          router.get('/clusters/lab-edge', (_req, res) => {
            res.json({
              ...details,
              ...summary('lab-edge', 'unreachable'),
              error: 'connect ECONNREFUSED',
            });
          });
          router.get('/clusters/:name', (req, res) => {
            res.status(404).json({
              error: {
                name: 'NotFoundError',
                message: `no cluster ${req.params.name}`,
              },
            });
          });
        },
      },
    ]);
  });

  it('shows the health of every cluster, or of one', async () => {
    const all = await harness.invoke('get-cluster-health', {});
    expect(all.status).toBe(200);
    expect(
      all.body.output.clusters.map((c: any) => [c.name, c.status]),
    ).toEqual([
      ['lab-main', 'reachable'],
      ['lab-edge', 'unreachable'],
    ]);
    const one = await harness.invoke('get-cluster-health', {
      cluster: 'lab-main',
    });
    expect(one.body.output.clusters).toEqual([
      expect.objectContaining({
        name: 'lab-main',
        gpus: expect.objectContaining({ free: 6, unavailable: 8 }),
      }),
    ]);
    expect(one.body.output.clusters[0].problemPods).toBeUndefined();

    const missing = await harness.invoke('get-cluster-health', {
      cluster: 'nowhere',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('no cluster nowhere');
    expect(harness.seen.every(s => s.principal === `user:${GUEST}`)).toBe(true);
  });

  it("lists the problem pods and warning events of the caller's namespaces", async () => {
    const res = await harness.invoke('list-namespace-problems', {
      cluster: 'lab-main',
      namespace: 'ml-training',
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      cluster: 'lab-main',
      namespaces: [
        { name: 'ml-training', owner: 'ml-team', pods: 4, gpuRequested: 2 },
      ],
      problemPods: [
        {
          namespace: 'ml-training',
          name: 'trainer-1',
          reason: 'CrashLoopBackOff',
          restarts: 7,
        },
      ],
      warningEvents: [
        expect.objectContaining({
          namespace: 'ml-training',
          reason: 'BackOff',
        }),
      ],
      hiddenNamespaces: 5,
    });

    const all = await harness.invoke('list-namespace-problems', {
      cluster: 'lab-main',
    });
    expect(all.body.output.problemPods).toHaveLength(2);
  });

  it("refuses another team's namespace, naming the field", async () => {
    const res = await harness.invoke('list-namespace-problems', {
      cluster: 'lab-main',
      namespace: 'payments',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /^namespace: "payments" on lab-main is not one of the namespaces you may read/,
    );
    const [audit] = await harness.audits();
    expect(audit).toMatchObject({
      meta: {
        action: 'list-namespace-problems',
        actor: GUEST,
        target: 'lab-main/payments',
      },
      outcome: 'failed',
    });
  });

  it('fails closed with 503 naming the cluster when it is unreachable', async () => {
    const res = await harness.invoke('list-namespace-problems', {
      cluster: 'lab-edge',
    });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      'cluster lab-edge is unreachable (connect ECONNREFUSED): its pods and events cannot be checked',
    );
  });

  it('refuses a cluster name that is not one, before calling cluster-status', async () => {
    const res = await harness.invoke('list-namespace-problems', {
      cluster: 'Lab Main',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'cluster: must be a cluster name such as "lab-main"',
    );
    expect(harness.seen).toEqual([]);
  });
});
