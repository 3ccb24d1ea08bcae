import {
  admittedWorkloadGpus,
  gpuPodHolder,
  holdersBeyond,
} from './beyondGrant';

const h = (name: string, createdAt: number, gpus: Record<string, number>) => ({
  namespace: 'ns',
  name,
  createdAt,
  gpus: new Map(Object.entries(gpus)),
});

describe('holdersBeyond', () => {
  it('stops the youngest until the rest fit', () => {
    const old = h('old', 1, { h100: 4 });
    const mid = h('mid', 2, { h100: 2 });
    const young = h('young', 3, { h100: 2 });
    expect(
      holdersBeyond([old, young, mid], new Map([['h100', 5]])).map(x => x.name),
    ).toEqual(['young', 'mid']);
    expect(holdersBeyond([old, young, mid], new Map([['h100', 8]]))).toEqual(
      [],
    );
    expect(
      holdersBeyond([old, young, mid], new Map()).map(x => x.name),
    ).toEqual(['young', 'mid', 'old']);
  });

  it('stops a holder of several pools once, freeing all of them', () => {
    const both = h('both', 5, { a100: 1, h100: 1 });
    const a = h('a', 1, { a100: 1 });
    expect(
      holdersBeyond(
        [both, a],
        new Map([
          ['a100', 1],
          ['h100', 0],
        ]),
      ).map(x => x.name),
    ).toEqual(['both']);
  });
});

describe('admittedWorkloadGpus', () => {
  const pools = [
    { id: 'main-h100', resource: 'nvidia.com/gpu' },
    { id: 'main-l40s', resource: 'nvidia.com/gpu' },
  ] as any;
  const workload = (over: any = {}) => ({
    metadata: {
      name: 'job-a',
      namespace: 'ml',
      creationTimestamp: '2026-11-30T10:00:00Z',
    },
    spec: { active: true },
    status: {
      admission: {
        clusterQueue: 'portal-ml-team',
        podSetAssignments: [
          {
            name: 'main',
            flavors: { 'nvidia.com/gpu': 'main-l40s', cpu: 'portal-compute' },
            resourceUsage: { 'nvidia.com/gpu': '2', cpu: '4' },
          },
        ],
      },
      conditions: [{ type: 'Admitted', status: 'True' }],
    },
    ...over,
  });

  it('charges the admitted flavor', () => {
    expect(admittedWorkloadGpus(workload(), pools)?.gpus).toEqual(
      new Map([['main-l40s', 2]]),
    );
  });

  it('ignores deactivated, finished and pending workloads', () => {
    expect(
      admittedWorkloadGpus(workload({ spec: { active: false } }), pools),
    ).toBeUndefined();
    const finished = workload();
    finished.status.conditions.push({ type: 'Finished', status: 'True' });
    expect(admittedWorkloadGpus(finished, pools)).toBeUndefined();
    expect(
      admittedWorkloadGpus(workload({ status: { conditions: [] } }), pools),
    ).toBeUndefined();
  });
});

describe('gpuPodHolder', () => {
  it('counts requested GPUs of running pods only', () => {
    const pod = (phase: string) => ({
      metadata: { name: 'p', namespace: 'ns', creationTimestamp: new Date(5) },
      spec: {
        containers: [{ resources: { limits: { 'nvidia.com/gpu': '2' } } }],
      },
      status: { phase },
    });
    expect(gpuPodHolder(pod('Running'), ['nvidia.com/gpu'])).toMatchObject({
      createdAt: 5,
      gpus: new Map([['nvidia.com/gpu', 2]]),
    });
    expect(gpuPodHolder(pod('Succeeded'), ['nvidia.com/gpu'])).toBeUndefined();
    expect(
      gpuPodHolder(pod('Running'), ['nvidia.com/mig-1g.10gb']),
    ).toBeUndefined();
  });
});
