// The scheduler, kubelet and Job controller against the bundled fleet, with
// the real kubectl as referee.
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
    `lab controller tests skipped: ${KUBECTL} not found (set KUBECTL)`,
  );
const describeIfKubectl = kubectlAvailable() ? describe : describe.skip;

const NS = 'platform-tools';

const gpuPod = (name: string, gpus: number, extra: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS, ...(extra.metadata ?? {}) },
  spec: {
    ...(extra.spec ?? {}),
    containers: [
      {
        name: 'c',
        image: 'registry.cloud-smart.io/x:1',
        resources: { limits: { 'nvidia.com/gpu': String(gpus) } },
      },
    ],
  },
});

const job = (name: string, spec: any, runSeconds = '30') => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: NS },
  spec: {
    ...spec,
    template: {
      metadata: {
        annotations: { 'lab.cloud-smart.io/run-seconds': runSeconds },
      },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'c',
            image: 'registry.cloud-smart.io/x:1',
            resources: { requests: { cpu: '1' } },
          },
        ],
      },
    },
  },
});

// Each kubectl call takes a few hundred ms on the shared CI box.
jest.setTimeout(30_000);

describeIfKubectl('lab scheduler, kubelet and Job controller', () => {
  let fleet: LabFleet;
  let main: Target;
  let kubectl: Kubectl;

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

  // Polling goes over HTTP (each kubectl call costs a few hundred ms); kubectl referees the assertions.
  const get = async (path: string) => (await req(main, 'GET', path)).body;
  const pod = (name: string) => get(`/api/v1/namespaces/${NS}/pods/${name}`);
  const jobPods = async (jobName: string) =>
    (
      await get(
        `/api/v1/namespaces/${NS}/pods?labelSelector=job-name%3D${jobName}`,
      )
    ).items;
  const jobOf = (name: string) =>
    get(`/apis/batch/v1/namespaces/${NS}/jobs/${name}`);

  it('binds a pod to a Ready node of the GPU model it selects, counting the fixture pods, and runs it', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      JSON.stringify(
        gpuPod('h100-six', 6, {
          spec: {
            nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
          },
        }),
      ),
    );
    const p = await waitFor(async () => {
      const o = await pod('h100-six');
      return o.status.phase === 'Running' && o;
    }, 'h100-six running');
    // gpu-h100-1 holds 4 GPUs of fixture pods, gpu-h100-2 holds 2 (the Succeeded pod on it does not count), gpu-h100-3 is NotReady.
    expect(p.spec.nodeName).toBe('gpu-h100-2');
    const wide = await kubectl.ok([
      'get',
      'pod',
      'h100-six',
      '-n',
      NS,
      '-o',
      'wide',
    ]);
    expect(wide).toMatch(
      /h100-six\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+gpu-h100-2/,
    );
  });

  it("leaves a pod that fits nowhere Pending with the scheduler's reasons", async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      JSON.stringify(
        gpuPod('h100-five', 5, {
          spec: {
            nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
          },
        }),
      ),
    );
    const message = await waitFor(
      () =>
        kubectl.ok([
          'get',
          'pod',
          'h100-five',
          '-n',
          NS,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}',
        ]),
      'PodScheduled message',
    );
    expect(message).toBe(
      // gpu-a100-2 carries the memory-pressure taint; reasons are sorted as strings, as kube-scheduler's FitError does.
      "0/12 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable, 2 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector. preemption: 0/12 nodes are available: 10 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
    const status = await kubectl.ok([
      'get',
      'pod',
      'h100-five',
      '-n',
      NS,
      '--no-headers',
    ]);
    expect(status).toMatch(/h100-five\s+0\/1\s+Pending/);
    // Deleting the pod that holds h100-2's GPUs lets the scheduler retry and bind it.
    await kubectl.ok(['delete', 'pod', 'h100-six', '-n', NS, '--wait=false']);
    const bound = await waitFor(
      async () => (await pod('h100-five')).spec.nodeName,
      'h100-five bound',
    );
    expect(bound).toBe('gpu-h100-2');
  });

  it('accepts a binding through pods/binding for a pod of another scheduler, once', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      JSON.stringify(
        gpuPod('mine', 1, { spec: { schedulerName: 'team-scheduler' } }),
      ),
    );
    await new Promise(r => setTimeout(r, 200));
    expect((await pod('mine')).spec.nodeName).toBeUndefined();
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'mine' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'gpu-a100-1' },
    };
    const r = await req(
      main,
      'POST',
      `/api/v1/namespaces/${NS}/pods/mine/binding`,
      binding,
    );
    expect(r.status).toBe(201);
    const p = await waitFor(async () => {
      const o = await pod('mine');
      return o.status.phase === 'Running' && o;
    }, 'mine running');
    expect(p.spec.nodeName).toBe('gpu-a100-1');
    const again = await req(
      main,
      'POST',
      `/api/v1/namespaces/${NS}/pods/mine/binding`,
      binding,
    );
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(
      'pod mine is already assigned to node "gpu-a100-1"',
    );
  });

  it('refuses a malformed run-seconds annotation naming the field', async () => {
    const r = await kubectl.run(
      ['apply', '-f', '-'],
      JSON.stringify(
        gpuPod('bad-run', 0, {
          metadata: {
            annotations: { 'lab.cloud-smart.io/run-seconds': 'soon' },
          },
        }),
      ),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'metadata.annotations[lab.cloud-smart.io/run-seconds]: Invalid value: "soon"',
    );
  });

  it('runs a Job with parallelism 2 and 3 completions to Complete as lab time passes', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      JSON.stringify(job('batch-3', { parallelism: 2, completions: 3 })),
    );
    const running = await waitFor(async () => {
      const list = { items: await jobPods('batch-3') };
      return (
        list.items.filter((p: any) => p.status.phase === 'Running').length ===
          2 && list
      );
    }, 'two pods running');
    expect(running.items[0].metadata.ownerReferences[0]).toMatchObject({
      kind: 'Job',
      name: 'batch-3',
      controller: true,
    });
    expect((await jobOf('batch-3')).status.active).toBe(2);
    fleet.clock.advance(30_000);
    await waitFor(
      async () => (await jobOf('batch-3')).status.succeeded === 2,
      'two succeeded',
    );
    fleet.clock.advance(30_000);
    await kubectl.ok([
      'wait',
      '--for=condition=complete',
      'job/batch-3',
      '-n',
      NS,
      '--timeout=10s',
    ]);
    const done = await kubectl.json(['get', 'job', 'batch-3', '-n', NS]);
    expect(done.status).toMatchObject({ succeeded: 3 });
    expect(done.status.active).toBeUndefined();
    expect(done.status.completionTime).toBeDefined();
    const line = await kubectl.ok([
      'get',
      'pods',
      '-n',
      NS,
      '-l',
      'job-name=batch-3',
      '--no-headers',
    ]);
    expect(
      line
        .trim()
        .split('\n')
        .every(l => /\s+0\/1\s+Completed\s+/.test(l)),
    ).toBe(true);
  });

  it('creates no pods for a suspended Job, starts them on resume and deletes them on suspend', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      JSON.stringify(job('held', { suspend: true }, '3600')),
    );
    await waitFor(async () => {
      const j = await jobOf('held');
      return j.status?.conditions?.some(
        (c: any) => c.type === 'Suspended' && c.status === 'True',
      );
    }, 'Suspended condition');
    expect({ items: await jobPods('held') }.items).toHaveLength(0);
    await kubectl.ok([
      'patch',
      'job',
      'held',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"spec":{"suspend":false}}',
    ]);
    await waitFor(
      async () => (await jobPods('held')).length === 1,
      'pod created',
    );
    await kubectl.ok([
      'patch',
      'job',
      'held',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"spec":{"suspend":true}}',
    ]);
    await waitFor(
      async () => (await jobPods('held')).length === 0,
      'pod deleted',
    );
    expect((await jobOf('held')).status.active).toBeUndefined();
  });

  it('reports a pod the quota refuses as a FailedCreate event on the Job, once', async () => {
    // ml-training's GPU quota has 1 of 8 GPUs left.
    const greedy = job('greedy', {}, '3600');
    greedy.metadata.namespace = 'ml-training';
    greedy.spec.template.spec.containers[0].resources = {
      limits: { 'nvidia.com/gpu': '2' },
    };
    const r = await req(
      main,
      'POST',
      '/apis/batch/v1/namespaces/ml-training/jobs',
      greedy,
    );
    expect(r.status).toBe(201);
    const events = await waitFor(async () => {
      const list = await get(
        '/api/v1/namespaces/ml-training/events?fieldSelector=involvedObject.name%3Dgreedy',
      );
      return list.items.length > 0 && list.items;
    }, 'FailedCreate event');
    expect(events[0]).toMatchObject({
      type: 'Warning',
      reason: 'FailedCreate',
      involvedObject: { kind: 'Job', name: 'greedy' },
    });
    expect(events[0].message).toContain(
      'exceeded quota: gpu-quota, requested: requests.nvidia.com/gpu=2, used: requests.nvidia.com/gpu=7, limited: requests.nvidia.com/gpu=8',
    );
    await new Promise(res => setTimeout(res, 700)); // retries back off and say nothing new
    const again = await get(
      '/api/v1/namespaces/ml-training/events?fieldSelector=involvedObject.name%3Dgreedy',
    );
    expect(again.items).toHaveLength(1);
    expect(await jobPods('greedy')).toEqual([]);
    await req(
      main,
      'DELETE',
      '/apis/batch/v1/namespaces/ml-training/jobs/greedy',
    );
  });

  it("deletes a Job's pods with the Job", async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      JSON.stringify(job('doomed', {}, '3600')),
    );
    await waitFor(
      async () => (await jobPods('doomed')).length === 1,
      'pod created',
    );
    await kubectl.ok(['delete', 'job', 'doomed', '-n', NS]);
    await waitFor(
      async () => (await jobPods('doomed')).length === 0,
      'pods collected',
    );
    expect({ items: await jobPods('doomed') }.items).toEqual([]);
  });
});
