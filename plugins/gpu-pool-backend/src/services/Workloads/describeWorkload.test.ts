import { describeWorkload, KueueWorkload, workloadState } from './describeWorkload';
import { estimateStarts } from './estimateStarts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function workload(
  conditions: Array<[string, string, string?]>,
  extra: Partial<KueueWorkload['spec']> = {},
): KueueWorkload {
  return {
    metadata: {
      name: 'job-train-1a2b3',
      namespace: 'ml-jobs',
      creationTimestamp: at(0),
      ownerReferences: [{ kind: 'Job', name: 'train', controller: true }],
    },
    spec: {
      queueName: 'portal-gpu-pool',
      podSets: [
        {
          name: 'main',
          count: 2,
          template: {
            spec: {
              containers: [
                {
                  resources: {
                    requests: { cpu: '4', 'nvidia.com/gpu': '2' },
                    limits: { 'nvidia.com/gpu': '2' },
                  },
                },
              ],
            },
          },
        },
      ],
      ...extra,
    },
    status: {
      conditions: conditions.map(([type, status, reason]) => ({
        type,
        status,
        reason,
        message: `${type} ${status}`,
        lastTransitionTime: at(10),
      })),
    },
  };
}

describe('workloadState', () => {
  it.each([
    [[['QuotaReserved', 'False', 'Pending']], undefined, 'pending', 'Pending'],
    [[['QuotaReserved', 'True'], ['Admitted', 'True', 'Admitted']], undefined, 'admitted', 'Admitted'],
    [[['Admitted', 'True'], ['PodsReady', 'True', 'Started']], undefined, 'running', 'Started'],
    [[['Admitted', 'True', 'Admitted']], { status: { ready: 1 } }, 'running', 'Admitted'],
    // Pods ended, Kueue has not marked it Finished yet: still running.
    [[['Admitted', 'True', 'Admitted']], { status: { active: 0, ready: 0, succeeded: 1 } }, 'running', 'Admitted'],
    [[['Admitted', 'True', 'Admitted']], { status: { active: 0, ready: 0, failed: 1 } }, 'running', 'Admitted'],
    [[['Admitted', 'True', 'Admitted']], { status: { active: 1, ready: 0 } }, 'admitted', 'Admitted'],
    [[['Admitted', 'True'], ['Finished', 'True', 'Succeeded']], undefined, 'finished', 'Succeeded'],
    [[['Admitted', 'False'], ['Evicted', 'True', 'Preempted']], undefined, 'evicted', 'Preempted'],
  ] as const)('%j with job %j is %s (%s)', (conditions, job, state, reason) => {
    const result = workloadState(workload(conditions as any), job as any);
    expect(result.state).toBe(state);
    expect(result.cause?.reason).toBe(reason);
  });

  it('is inactive when spec.active is false, even if it was admitted', () => {
    const wl = workload([['Admitted', 'True'], ['Evicted', 'True', 'Deactivated']], { active: false });
    expect(workloadState(wl, undefined)).toMatchObject({
      state: 'inactive',
      cause: { reason: 'Deactivated' },
    });
  });
});

describe('describeWorkload', () => {
  it('sums GPUs over pods, names the Job and the flavors Kueue assigned', () => {
    const wl = workload([['QuotaReserved', 'True'], ['Admitted', 'True', 'Admitted']]);
    wl.status!.admission = {
      clusterQueue: 'ml-team-lab-main',
      podSetAssignments: [
        { name: 'main', flavors: { cpu: 'default', 'nvidia.com/gpu': 'lab-main-h100' } },
      ],
    };
    const job = {
      metadata: { annotations: { 'portal.cloud-smart.io/expected-duration': 'PT2H' } },
      status: { startTime: at(20) },
    };
    const d = describeWorkload({ cluster: 'lab-main', team: 'group:default/ml-team', workload: wl, job });
    expect(d).toMatchObject({
      name: 'job-train-1a2b3',
      job: { kind: 'Job', name: 'train' },
      state: 'admitted',
      gpus: { 'nvidia.com/gpu': 4 },
      flavors: { 'nvidia.com/gpu': 'lab-main-h100' },
      clusterQueue: 'ml-team-lab-main',
      localQueue: 'portal-gpu-pool',
      admittedAt: at(10),
      expectedDurationSeconds: 7200,
      expectedEnd: new Date(Date.parse(at(20)) + 7200_000).toISOString(),
    });
    expect(d.conditions.map(c => c.type)).toEqual(['QuotaReserved', 'Admitted']);
  });

  it('takes the deadline, then the lab annotation, as the expected duration', () => {
    const wl = workload([['QuotaReserved', 'False']]);
    const deadline = { spec: { activeDeadlineSeconds: 600, template: { metadata: { annotations: { 'lab.cloud-smart.io/run-seconds': '5' } } } } };
    const lab = { spec: { template: { metadata: { annotations: { 'lab.cloud-smart.io/run-seconds': '5' } } } } };
    expect(describeWorkload({ cluster: 'c', team: 't', workload: wl, job: deadline }).expectedDurationSeconds).toBe(600);
    expect(describeWorkload({ cluster: 'c', team: 't', workload: wl, job: lab }).expectedDurationSeconds).toBe(5);
    expect(describeWorkload({ cluster: 'c', team: 't', workload: wl }).expectedDurationSeconds).toBeUndefined();
  });
});

describe('estimateStarts', () => {
  const base = { cluster: 'lab-main', namespace: 'ml-jobs', team: 't', conditions: [], flavors: {} };
  const now = Date.parse(at(0));

  it('starts the n-th pending workload when the earliest ends free enough GPUs', () => {
    const items: any[] = [
      { ...base, name: 'r1', state: 'running', clusterQueue: 'cq', gpus: { 'nvidia.com/gpu': 2 }, expectedEnd: at(100) },
      { ...base, name: 'r2', state: 'running', clusterQueue: 'cq', gpus: { 'nvidia.com/gpu': 2 }, expectedEnd: at(50) },
      { ...base, name: 'p2', state: 'pending', localQueue: 'q', gpus: { 'nvidia.com/gpu': 2 }, positionInClusterQueue: 1 },
      { ...base, name: 'p1', state: 'pending', localQueue: 'q', gpus: { 'nvidia.com/gpu': 2 }, positionInClusterQueue: 0 },
      { ...base, name: 'p3', state: 'pending', localQueue: 'q', gpus: { 'nvidia.com/gpu': 1 }, positionInClusterQueue: 2 },
      { ...base, name: 'other', state: 'pending', localQueue: 'elsewhere', gpus: { 'nvidia.com/gpu': 1 } },
    ];
    estimateStarts(items, w => w.clusterQueue ?? (w.localQueue === 'q' ? 'cq' : 'other-cq'), now);
    const start = Object.fromEntries(items.map(w => [w.name, w.estimatedStart]));
    expect(start).toEqual({
      r1: undefined,
      r2: undefined,
      p1: at(50),
      p2: at(100),
      // Nothing running frees a fifth GPU: unknown, not invented.
      p3: undefined,
      other: undefined,
    });
  });
});
