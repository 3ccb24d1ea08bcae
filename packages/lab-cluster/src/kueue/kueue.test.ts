// The Kueue emulation against the bundled fleet, refereed by kubectl: flavors
// and GPU models, FIFO with cohort borrowing and lending limits,
// StrictFIFO/BestEffortFIFO, deactivation, HoldAndDrain and Hold, Finished
// releasing quota, and the visibility API's positions.
import { LabFleet, startLabFleet } from '../index';
import { Target, req, waitFor } from '../testing/http';
import {
  Kubectl,
  kubectlAvailable,
  kubectlFor,
  KUBECTL,
} from '../testing/kubectl';

if (!kubectlAvailable())
  // eslint-disable-next-line no-console
  console.warn(
    `Kueue emulation tests skipped: ${KUBECTL} not found (set KUBECTL)`,
  );
const describeIfKubectl = kubectlAvailable() ? describe : describe.skip;

// Each kubectl call takes a few hundred ms on the shared CI box.
jest.setTimeout(60_000);

const KUEUE = 'kueue.x-k8s.io/v1beta2';

/** A namespace with a LocalQueue of the same name pointing at ClusterQueue `cq`. */
function namespaceWithQueue(ns: string, cq: string): any[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { 'lab-test': 'kueue' } },
    },
    {
      apiVersion: KUEUE,
      kind: 'LocalQueue',
      metadata: { name: ns, namespace: ns },
      spec: { clusterQueue: cq },
    },
  ];
}

function clusterQueue(
  name: string,
  flavors: Array<{
    name: string;
    gpus: number;
    borrowingLimit?: number;
    lendingLimit?: number;
  }>,
  extra: any = {},
): any {
  return {
    apiVersion: KUEUE,
    kind: 'ClusterQueue',
    metadata: { name },
    spec: {
      namespaceSelector: { matchLabels: { 'lab-test': 'kueue' } },
      ...extra,
      resourceGroups: [
        {
          coveredResources: ['nvidia.com/gpu'],
          flavors: flavors.map(f => ({
            name: f.name,
            resources: [
              {
                name: 'nvidia.com/gpu',
                nominalQuota: String(f.gpus),
                ...(f.borrowingLimit !== undefined
                  ? { borrowingLimit: String(f.borrowingLimit) }
                  : {}),
                ...(f.lendingLimit !== undefined
                  ? { lendingLimit: String(f.lendingLimit) }
                  : {}),
              },
            ],
          })),
        },
      ],
    },
  };
}

function queuedJob(
  ns: string,
  name: string,
  gpus: number,
  runSeconds = 3600,
  nodeSelector?: Record<string, string>,
): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: ns,
      labels: { 'kueue.x-k8s.io/queue-name': ns },
    },
    spec: {
      template: {
        metadata: {
          annotations: { 'lab.cloud-smart.io/run-seconds': String(runSeconds) },
        },
        spec: {
          restartPolicy: 'Never',
          ...(nodeSelector ? { nodeSelector } : {}),
          containers: [
            {
              name: 'train',
              image: 'registry.cloud-smart.io/ml/train:1',
              resources: { limits: { 'nvidia.com/gpu': String(gpus) } },
            },
          ],
        },
      },
    },
  };
}

const list = (items: any[]) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
const H100 = 'NVIDIA-H100-80GB-HBM3';
const L40S = 'NVIDIA-L40S';

describeIfKubectl('Kueue emulation', () => {
  let fleet: LabFleet;
  let kubectl: Kubectl;
  let main: Target;

  beforeAll(async () => {
    fleet = await startLabFleet();
    main = fleet.clusters[0];
    kubectl = await kubectlFor(fleet, 'lab-main');
  });
  afterAll(async () => {
    kubectl?.dispose();
    await fleet?.stop();
  });
  afterEach(() => {
    // A controller pass that threw fails the test that caused it.
    const errors = fleet.cluster('lab-main').controllerErrors();
    if (errors.length)
      throw new Error(`controller errors:\n${errors.join('\n')}`);
  });

  const apply = (items: any[]) => kubectl.ok(['apply', '-f', '-'], list(items));
  /** Creates over HTTP (each kubectl call costs a few hundred ms); kubectl referees what the tests assert. */
  const create = async (items: any[]) => {
    for (const o of items) {
      const ns = o.metadata.namespace
        ? `/namespaces/${o.metadata.namespace}`
        : '';
      const base = o.apiVersion === 'v1' ? '/api/v1' : `/apis/${o.apiVersion}`;
      const plural = `${o.kind.toLowerCase()}s`.replace(/ss$/, 'ses');
      const r = await req(main, 'POST', `${base}${ns}/${plural}`, o);
      if (r.status !== 201)
        throw new Error(
          `create ${o.kind} ${o.metadata.name}: ${r.status} ${r.body.message}`,
        );
    }
  };
  // Polling goes over HTTP (fast); kubectl makes the changes and checks what matters.
  const get = async (path: string) => (await req(main, 'GET', path)).body;
  const workloadOf = async (ns: string, job: string) => {
    const wls = await get(
      `/apis/kueue.x-k8s.io/v1beta2/namespaces/${ns}/workloads`,
    );
    return wls.items.find(
      (w: any) => w.metadata.ownerReferences?.[0]?.name === job,
    );
  };
  const condition = (obj: any, type: string) =>
    obj?.status?.conditions?.find((c: any) => c.type === type);
  const admitted = async (ns: string, job: string) => {
    const wl = await workloadOf(ns, job);
    return condition(wl, 'Admitted')?.status === 'True' && wl;
  };
  const pendingMessage = async (ns: string, job: string) => {
    const wl = await workloadOf(ns, job);
    const c = condition(wl, 'QuotaReserved');
    return c?.status === 'False' && c.message;
  };
  const podsOf = async (ns: string, job: string) =>
    (await get(`/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3D${job}`))
      .items;
  const nodeProduct = async (node: string) =>
    kubectl.ok([
      'get',
      'node',
      node,
      '-o',
      'jsonpath={.metadata.labels.nvidia\\.com/gpu\\.product}',
    ]);

  it('serves the Kueue kinds to kubectl, with the fixture objects and their status', async () => {
    const out = await kubectl.ok([
      'get',
      'clusterqueues,localqueues,workloads',
      '-A',
    ]);
    expect(out).toMatch(
      /clusterqueue\.kueue\.x-k8s\.io\/ml-team\s+gpu-fleet\s+1\b/,
    );
    expect(out).toMatch(
      /ml-training\s+localqueue\.kueue\.x-k8s\.io\/ml-training\s+ml-team\s+0\s+1\b/,
    );
    expect(out).toMatch(
      /ml-training\s+workload\.kueue\.x-k8s\.io\/pod-train-llama-0-3c1f2\s+ml-training\s+ml-team\s+True/,
    );
    const cq = await kubectl.json(['get', 'cq', 'ml-team']);
    expect(cq.status.flavorsUsage[0]).toEqual({
      name: 'h100-80gb',
      resources: [
        { name: 'cpu', total: '0', borrowed: '0' },
        { name: 'memory', total: '0', borrowed: '0' },
        { name: 'nvidia.com/gpu', total: '4', borrowed: '0' },
      ],
    });
  });

  it("tries flavors in order, injects the flavor's GPU model and never runs an L40S workload on an H100 node", async () => {
    await apply([
      clusterQueue('vision', [
        { name: 'l40s', gpus: 1 },
        { name: 'h100-80gb', gpus: 2 },
      ]),
      ...namespaceWithQueue('vision', 'vision'),
    ]);
    // An H100 pinned job skips the L40S flavor although it is free.
    await apply([
      queuedJob('vision', 'pinned-h100', 1, 3600, {
        'nvidia.com/gpu.product': H100,
      }),
    ]);
    const pinned = await waitFor(
      () => admitted('vision', 'pinned-h100'),
      'pinned-h100 admitted',
    );
    expect(pinned.status.admission.podSetAssignments[0].flavors).toEqual({
      'nvidia.com/gpu': 'h100-80gb',
    });
    await create([queuedJob('vision', 'any-1', 1)]);
    const any1 = await waitFor(
      () => admitted('vision', 'any-1'),
      'any-1 admitted',
    );
    expect(any1.status.admission.podSetAssignments[0].flavors).toEqual({
      'nvidia.com/gpu': 'l40s',
    });
    const job = await kubectl.json(['get', 'job', 'any-1', '-n', 'vision']);
    expect(job.spec.suspend).toBe(false);
    expect(job.spec.template.spec.nodeSelector).toEqual({
      'nvidia.com/gpu.product': L40S,
    });
    await create([queuedJob('vision', 'any-2', 1)]);
    const any2 = await waitFor(
      () => admitted('vision', 'any-2'),
      'any-2 admitted',
    );
    expect(any2.status.admission.podSetAssignments[0].flavors).toEqual({
      'nvidia.com/gpu': 'h100-80gb',
    });
    const nodes: Record<string, string> = {};
    for (const name of ['pinned-h100', 'any-1', 'any-2']) {
      const pods = await waitFor(async () => {
        const p = await podsOf('vision', name);
        return p.length === 1 && p[0].status.phase === 'Running' && p;
      }, `${name} running`);
      nodes[name] = await nodeProduct(pods[0].spec.nodeName);
    }
    expect(nodes).toEqual({
      'pinned-h100': H100,
      'any-1': L40S,
      'any-2': H100,
    });
    // An L40S-pinned job waits for L40S quota rather than taking free H100 quota.
    await create([
      queuedJob('vision', 'pinned-l40s', 1, 3600, {
        'nvidia.com/gpu.product': L40S,
      }),
    ]);
    expect(
      await waitFor(
        () => pendingMessage('vision', 'pinned-l40s'),
        'pinned-l40s pending',
      ),
    ).toBe(
      "couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor l40s, 1 more needed, flavor h100-80gb doesn't match node affinity",
    );
    expect(
      (await kubectl.json(['get', 'job', 'pinned-l40s', '-n', 'vision'])).spec
        .suspend,
    ).toBe(true);
    expect(await podsOf('vision', 'pinned-l40s')).toHaveLength(0);
  });

  it('admits in FIFO order, borrows unused cohort quota up to the lending limits, and releases quota when a Job finishes', async () => {
    await create([
      clusterQueue(
        'borrower',
        [{ name: 'h100-80gb', gpus: 2, borrowingLimit: 2 }],
        { cohortName: 'c-borrow' },
      ),
      clusterQueue(
        'lender',
        [{ name: 'h100-80gb', gpus: 2, lendingLimit: 1 }],
        { cohortName: 'c-borrow' },
      ),
      ...namespaceWithQueue('borrower', 'borrower'),
      ...namespaceWithQueue('lender', 'lender'),
    ]);
    await create([queuedJob('borrower', 'x1', 2, 60)]);
    await waitFor(() => admitted('borrower', 'x1'), 'x1 admitted');
    await create([
      queuedJob('borrower', 'x2', 1),
      queuedJob('borrower', 'x3', 1),
    ]);
    await waitFor(() => admitted('borrower', 'x2'), 'x2 admitted by borrowing');
    // The lender keeps one GPU for itself (lendingLimit 1): x3 would need a second borrowed GPU.
    expect(
      await waitFor(() => pendingMessage('borrower', 'x3'), 'x3 pending'),
    ).toBe(
      "couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor h100-80gb, 1 more needed",
    );
    const borrower = await waitFor(async () => {
      const cq = await get(
        '/apis/kueue.x-k8s.io/v1beta2/clusterqueues/borrower',
      );
      return cq.status.admittedWorkloads === 2 && cq;
    }, 'borrower status');
    expect(borrower.status).toMatchObject({
      pendingWorkloads: 1,
      reservingWorkloads: 2,
      admittedWorkloads: 2,
      flavorsUsage: [
        {
          name: 'h100-80gb',
          resources: [{ name: 'nvidia.com/gpu', total: '3', borrowed: '1' }],
        },
      ],
    });
    // The lender's guaranteed GPU is still there for it.
    await create([queuedJob('lender', 'y1', 1)]);
    await waitFor(() => admitted('lender', 'y1'), 'y1 admitted');
    await create([queuedJob('lender', 'y2', 1)]);
    await waitFor(() => pendingMessage('lender', 'y2'), 'y2 pending');
    await create([queuedJob('borrower', 'x4', 2)]);
    await waitFor(() => pendingMessage('borrower', 'x4'), 'x4 pending');
    const raw = JSON.parse(
      await kubectl.ok([
        'get',
        '--raw',
        '/apis/visibility.kueue.x-k8s.io/v1beta2/clusterqueues/borrower/pendingworkloads',
      ]),
    );
    expect(
      raw.items.map((i: any) => [
        i.metadata.ownerReferences[0].name,
        i.positionInClusterQueue,
      ]),
    ).toEqual([
      ['x3', 0],
      ['x4', 1],
    ]);
    // x1 ends after 60 lab seconds: Finished, its 2 GPUs return, and the head of the queue (x3, not x4) is admitted.
    fleet.clock.advance(60_000);
    await waitFor(
      async () =>
        condition(await workloadOf('borrower', 'x1'), 'Finished')?.status ===
        'True',
      'x1 finished',
    );
    await waitFor(
      () => admitted('borrower', 'x3'),
      'x3 admitted after x1 finished',
    );
    await waitFor(
      () => admitted('lender', 'y2'),
      'y2 admitted after x1 finished',
    );
    expect(await pendingMessage('borrower', 'x4')).toContain(
      'insufficient unused quota for nvidia.com/gpu in flavor h100-80gb',
    );
  });

  it('StrictFIFO blocks behind the head; BestEffortFIFO admits what fits', async () => {
    await create([
      clusterQueue('strict', [{ name: 'a100-80gb', gpus: 3 }], {
        queueingStrategy: 'StrictFIFO',
      }),
      clusterQueue('best', [{ name: 'a100-80gb', gpus: 3 }], {
        queueingStrategy: 'BestEffortFIFO',
      }),
      ...namespaceWithQueue('strict', 'strict'),
      ...namespaceWithQueue('best', 'best'),
    ]);
    for (const ns of ['strict', 'best'])
      await create([
        queuedJob(ns, 'j1', 2),
        queuedJob(ns, 'j2', 2),
        queuedJob(ns, 'j3', 1),
      ]);
    await waitFor(
      () => admitted('best', 'j3'),
      'best/j3 admitted past the head',
    );
    await waitFor(() => admitted('strict', 'j1'), 'strict/j1 admitted');
    await waitFor(() => pendingMessage('strict', 'j2'), 'strict/j2 pending');
    expect(await admitted('strict', 'j3')).toBeFalsy();
    expect(await admitted('best', 'j2')).toBeFalsy();
  });

  it('deactivating a Workload evicts it, suspends its Job, deletes its pods and frees its quota', async () => {
    await create([
      clusterQueue('deact', [{ name: 'a100-80gb', gpus: 1 }]),
      ...namespaceWithQueue('deact', 'deact'),
    ]);
    await create([queuedJob('deact', 'd1', 1)]);
    const d1 = await waitFor(() => admitted('deact', 'd1'), 'd1 admitted');
    await waitFor(
      async () => (await podsOf('deact', 'd1')).length === 1,
      'd1 pod',
    );
    await create([queuedJob('deact', 'd2', 1)]);
    await waitFor(() => pendingMessage('deact', 'd2'), 'd2 pending');
    await kubectl.ok([
      'patch',
      'workload',
      d1.metadata.name,
      '-n',
      'deact',
      '--type=merge',
      '-p',
      '{"spec":{"active":false}}',
    ]);
    const evicted = await waitFor(async () => {
      const wl = await workloadOf('deact', 'd1');
      return condition(wl, 'Evicted')?.status === 'True' && wl;
    }, 'd1 evicted');
    expect(condition(evicted, 'Evicted')).toMatchObject({
      reason: 'Deactivated',
      message: 'The workload is deactivated',
    });
    expect(condition(evicted, 'QuotaReserved')?.status).toBe('False');
    expect(evicted.status.admission).toBeUndefined();
    expect(
      (await kubectl.json(['get', 'job', 'd1', '-n', 'deact'])).spec.suspend,
    ).toBe(true);
    await waitFor(
      async () => (await podsOf('deact', 'd1')).length === 0,
      'd1 pods deleted',
    );
    await waitFor(
      () => admitted('deact', 'd2'),
      'd2 admitted on the freed quota',
    );
    // An inactive workload is not queued.
    const raw = JSON.parse(
      await kubectl.ok([
        'get',
        '--raw',
        '/apis/visibility.kueue.x-k8s.io/v1beta2/namespaces/deact/localqueues/deact/pendingworkloads',
      ]),
    );
    expect(raw.items).toEqual([]);
    // Deleting a Job takes its Workload with it.
    await kubectl.ok(['delete', 'job', 'd2', '-n', 'deact']);
    await waitFor(
      async () => !(await workloadOf('deact', 'd2')),
      'd2 workload collected',
    );
  });

  it('HoldAndDrain on a LocalQueue evicts admitted workloads and holds pending ones; Hold on a ClusterQueue only holds', async () => {
    await create([
      clusterQueue('drain', [{ name: 'a100-80gb', gpus: 2 }]),
      ...namespaceWithQueue('drain', 'drain'),
    ]);
    await create([
      queuedJob('drain', 'h1', 1),
      queuedJob('drain', 'h2', 1),
      queuedJob('drain', 'h3', 1),
    ]);
    await waitFor(
      async () => (await admitted('drain', 'h1')) && admitted('drain', 'h2'),
      'h1 and h2 admitted',
    );
    await waitFor(
      async () => (await podsOf('drain', 'h1')).length === 1,
      'h1 pod',
    );
    await kubectl.ok([
      'patch',
      'localqueue',
      'drain',
      '-n',
      'drain',
      '--type=merge',
      '-p',
      '{"spec":{"stopPolicy":"HoldAndDrain"}}',
    ]);
    for (const j of ['h1', 'h2'])
      await waitFor(
        async () =>
          condition(await workloadOf('drain', j), 'Evicted')?.reason ===
          'LocalQueueStopped',
        `${j} evicted`,
      );
    await waitFor(
      async () => (await podsOf('drain', 'h1')).length === 0,
      'h1 pods deleted',
    );
    const cq = await waitFor(async () => {
      const o = await get('/apis/kueue.x-k8s.io/v1beta2/clusterqueues/drain');
      return o.status.pendingWorkloads === 3 && o;
    }, 'all three pending');
    expect(cq.status.reservingWorkloads).toBe(0);
    expect(await pendingMessage('drain', 'h3')).toBe(
      'LocalQueue drain is inactive',
    );
    // Resume: FIFO again (h1, h2 back in, h3 still waits).
    await kubectl.ok([
      'patch',
      'localqueue',
      'drain',
      '-n',
      'drain',
      '--type=merge',
      '-p',
      '{"spec":{"stopPolicy":"None"}}',
    ]);
    await waitFor(
      async () => (await admitted('drain', 'h1')) && admitted('drain', 'h2'),
      'h1 and h2 readmitted',
    );
    expect(condition(await workloadOf('drain', 'h1'), 'Evicted')).toMatchObject(
      { status: 'False', message: 'Previously: The LocalQueue is stopped' },
    );
    await kubectl.ok([
      'patch',
      'clusterqueue',
      'drain',
      '--type=merge',
      '-p',
      '{"spec":{"stopPolicy":"Hold"}}',
    ]);
    await waitFor(
      async () =>
        condition(
          await get('/apis/kueue.x-k8s.io/v1beta2/clusterqueues/drain'),
          'Active',
        )?.reason === 'Stopped',
      'drain stopped',
    );
    // Hold keeps what runs: h1's end frees quota, yet h3 is not admitted.
    await kubectl.ok(['delete', 'job', 'h1', '-n', 'drain']);
    await waitFor(async () => !(await workloadOf('drain', 'h1')), 'h1 gone');
    expect(await admitted('drain', 'h2')).toBeTruthy();
    expect(await pendingMessage('drain', 'h3')).toBe(
      'ClusterQueue drain is inactive',
    );
  });

  it('keeps a Job whose LocalQueue does not exist suspended, saying why', async () => {
    const orphan = queuedJob('ml-training', 'no-queue', 1);
    orphan.metadata.labels['kueue.x-k8s.io/queue-name'] = 'missing-queue';
    await create([orphan]);
    expect(
      await waitFor(
        () => pendingMessage('ml-training', 'no-queue'),
        'no-queue inadmissible',
      ),
    ).toBe("LocalQueue missing-queue doesn't exist");
    const wl = await workloadOf('ml-training', 'no-queue');
    expect(condition(wl, 'QuotaReserved')?.reason).toBe('Inadmissible');
    expect(
      (await kubectl.json(['get', 'job', 'no-queue', '-n', 'ml-training'])).spec
        .suspend,
    ).toBe(true);
  });

  it('gives positions in the ClusterQueue and in each LocalQueue through the visibility API', async () => {
    await create([
      clusterQueue('vis', [{ name: 'a100-80gb', gpus: 0 }]),
      ...namespaceWithQueue('vis-a', 'vis'),
      ...namespaceWithQueue('vis-b', 'vis'),
    ]);
    await create([queuedJob('vis-a', 'a1', 1)]);
    await waitFor(() => workloadOf('vis-a', 'a1'), 'a1 workload');
    await new Promise(r => setTimeout(r, 1100)); // creationTimestamp has second resolution
    await create([queuedJob('vis-b', 'b1', 1)]);
    await waitFor(() => workloadOf('vis-b', 'b1'), 'b1 workload');
    await new Promise(r => setTimeout(r, 1100));
    await create([queuedJob('vis-a', 'a2', 1)]);
    await waitFor(() => workloadOf('vis-a', 'a2'), 'a2 workload');
    const visibility = async (path: string) =>
      JSON.parse(
        await kubectl.ok([
          'get',
          '--raw',
          `/apis/visibility.kueue.x-k8s.io/v1beta2/${path}`,
        ]),
      );
    const cq = await visibility('clusterqueues/vis/pendingworkloads');
    expect(cq.kind).toBe('PendingWorkloadsSummary');
    expect(
      cq.items.map((i: any) => [
        i.metadata.ownerReferences[0].name,
        i.localQueueName,
        i.positionInClusterQueue,
        i.positionInLocalQueue,
      ]),
    ).toEqual([
      ['a1', 'vis-a', 0, 0],
      ['b1', 'vis-b', 1, 0],
      ['a2', 'vis-a', 2, 1],
    ]);
    const lq = await visibility(
      'namespaces/vis-a/localqueues/vis-a/pendingworkloads',
    );
    expect(
      lq.items.map((i: any) => [
        i.metadata.ownerReferences[0].name,
        i.positionInClusterQueue,
        i.positionInLocalQueue,
      ]),
    ).toEqual([
      ['a1', 0, 0],
      ['a2', 2, 1],
    ]);
    const missing = await kubectl.run([
      'get',
      '--raw',
      '/apis/visibility.kueue.x-k8s.io/v1beta2/namespaces/vis-a/localqueues/nope/pendingworkloads',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('NotFound');
  });
});

describe('a cluster without Kueue', () => {
  it('serves no Kueue API and runs queue-named Jobs unsuspended', async () => {
    const fleet = await startLabFleet();
    try {
      const edge = fleet.clusters[1];
      const res = await fetch(`${edge.url}/apis/kueue.x-k8s.io/v1beta2`, {
        headers: { authorization: `Bearer ${edge.token}` },
      });
      expect(res.status).toBe(404);
      const created = await fetch(
        `${edge.url}/apis/batch/v1/namespaces/ml-inference/jobs`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${edge.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(queuedJob('ml-inference', 'plain', 0)),
        },
      );
      expect(created.status).toBe(201);
      expect((await created.json()).spec.suspend).toBe(false);
    } finally {
      await fleet.stop();
    }
  });
});
