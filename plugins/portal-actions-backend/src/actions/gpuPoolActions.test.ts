import { mockCredentials } from '@backstage/backend-test-utils';
import { GUEST, startHarness } from '../__testUtils__/harness';

const pools = [
  {
    id: 'lab-main-h100',
    cluster: 'lab-main',
    resource: 'nvidia.com/gpu',
    model: 'H100',
    capacity: 16,
    allocated: 2,
    available: 14,
    queued: 0,
    allowances: { 'group:default/ml-team': 4 },
    live: true,
    internalField: 'stripped',
  },
  {
    id: 'lab-edge-l40s',
    cluster: 'lab-edge',
    resource: 'nvidia.com/gpu',
    model: 'L40S',
    capacity: 3,
    allocated: 0,
    available: 3,
    queued: 0,
  },
];

function gpuRequest(overrides: object = {}) {
  return {
    id: 'r1',
    team: 'group:default/ml-team',
    cluster: 'lab-main',
    namespace: 'ml-x',
    gpus: [{ pool: 'lab-main-h100', count: 1 }],
    status: 'queued',
    requestedBy: GUEST,
    queuePosition: 2,
    history: [
      { to: 'queued', actor: GUEST, reason: 'within allowance', at: 'now' },
    ],
    ...overrides,
  };
}

describe('GPU pool actions', () => {
  let harness: Awaited<ReturnType<typeof startHarness>>;

  beforeEach(async () => {
    harness = await startHarness([
      {
        pluginId: 'gpu-pool',
        routes: router => {
          router.get('/pools', (_req, res) => {
            res.json({ items: pools });
          });
          router.post('/requests', (req, res) => {
            if (req.body.team !== 'group:default/ml-team') {
              res.status(400).json({
                error: {
                  name: 'InputError',
                  message: `team: you are not a member of ${req.body.team}`,
                },
              });
              return;
            }
            res.status(201).json(gpuRequest({ namespace: req.body.namespace }));
          });
          router.get('/requests', (_req, res) => {
            res.json({ items: [gpuRequest()] });
          });
          router.get('/requests/:id', (req, res) => {
            res.json(
              gpuRequest({
                id: req.params.id,
                status: 'provisioning',
                lastError: 'cluster lab-main unreachable',
              }),
            );
          });
          router.post('/requests/:id/release', (req, res) => {
            res.json(gpuRequest({ id: req.params.id, status: 'released' }));
          });
          router.post('/requests/:id/approve', (_req, res) => {
            res.status(403).json({
              error: {
                name: 'NotAllowedError',
                message: 'gpu-pool.request.approve is not allowed',
              },
            });
          });
        },
      },
    ]);
  });

  it('lists pools live, filtered by cluster, calling the GPU pool as the user', async () => {
    const res = await harness.invoke('list-gpu-pools', { cluster: 'lab-main' });
    expect(res.status).toBe(200);
    expect(res.body.output.pools).toEqual([
      expect.objectContaining({ id: 'lab-main-h100', available: 14 }),
    ]);
    expect(res.body.output.pools[0].internalField).toBeUndefined();
    expect(harness.seen).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/gpu-pool/pools',
        principal: `user:${GUEST}`,
      }),
    ]);
  });

  it('requests GPUs with the body the GPU pool expects and audits actor, target and outcome', async () => {
    const input = {
      team: 'group:default/ml-team',
      cluster: 'lab-main',
      namespace: 'ml-x',
      gpus: [{ pool: 'lab-main-h100', count: 1 }],
      duration: 'PT2H',
    };
    const res = await harness.invoke('request-gpus', input);
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      id: 'r1',
      status: 'queued',
      queuePosition: 2,
      reason: 'within allowance',
    });
    expect(harness.seen[0]).toMatchObject({
      method: 'POST',
      path: '/gpu-pool/requests',
      body: input,
      principal: `user:${GUEST}`,
    });
    expect(await harness.audits()).toEqual([
      {
        meta: {
          action: 'request-gpus',
          actor: GUEST,
          via: null,
          target: 'group:default/ml-team lab-main/ml-x',
        },
        severityLevel: 'high',
        outcome: 'succeeded',
        error: undefined,
      },
    ]);
  });

  it("passes the GPU pool's refusal on with its field-named message, audited as failed", async () => {
    const res = await harness.invoke('request-gpus', {
      team: 'group:default/payments-team',
      cluster: 'lab-main',
      namespace: 'payments',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: 'team: you are not a member of group:default/payments-team',
    });
    const [audit] = await harness.audits();
    expect(audit.outcome).toBe('failed');
    expect(audit.error).toBe(
      'team: you are not a member of group:default/payments-team',
    );
  });

  it('refuses bad input naming the field, without calling the GPU pool', async () => {
    const zero = await harness.invoke('request-gpus', {
      team: 'group:default/ml-team',
      cluster: 'lab-main',
      namespace: 'ml-x',
      gpus: [{ pool: 'lab-main-h100', count: 0 }],
    });
    expect(zero.status).toBe(400);
    expect(zero.body.error.message).toBe('gpus[0].count: must be at least 1');

    const missing = await harness.invoke('release-gpu-request', {});
    expect(missing.body.error.message).toBe('id: Required');

    const stray = await harness.invoke('list-gpu-pools', { clusters: 'x' });
    expect(stray.body.error.message).toBe(
      'clusters: not a field of this action',
    );

    expect(harness.seen).toEqual([]);
    const audits = await harness.audits();
    expect(audits.map(a => a.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(audits[0].error).toBe('gpus[0].count: must be at least 1');
  });

  it('refuses a service caller: no action runs as a service identity', async () => {
    const res = await harness.invoke(
      'list-gpu-pools',
      {},
      mockCredentials.service.header(),
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/runs only as a signed-in user/);
    expect(harness.seen).toEqual([]);
  });

  it('shows status, queue position and reason, lists, releases, and maps a 403 to NotAllowedError', async () => {
    const status = await harness.invoke('get-gpu-request', { id: 'r7' });
    expect(status.body.output).toMatchObject({
      id: 'r7',
      status: 'provisioning',
      reason: 'cluster lab-main unreachable',
    });

    const list = await harness.invoke('list-gpu-requests', {
      status: ['queued', 'active'],
    });
    expect(list.body.output.requests).toHaveLength(1);
    expect(harness.seen[1].query).toEqual({
      scope: 'mine',
      status: 'queued,active',
    });

    const released = await harness.invoke('release-gpu-request', {
      id: 'r7',
      reason: 'done',
    });
    expect(released.body.output.status).toBe('released');
    expect(harness.seen[2]).toMatchObject({
      path: '/gpu-pool/requests/r7/release',
      body: { reason: 'done' },
    });

    const approve = await harness.invoke('decide-gpu-request', {
      id: 'r7',
      decision: 'approve',
    });
    expect(approve.status).toBe(403);
    expect(approve.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'gpu-pool.request.approve is not allowed',
    });
  });
});
