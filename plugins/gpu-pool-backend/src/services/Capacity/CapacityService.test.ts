import { holdersOutsideGrants, poolCapacityFromNodes } from './CapacityService';

const pool = {
  id: 'h100',
  cluster: 'c',
  title: 'H100',
  resource: 'nvidia.com/gpu',
  product: 'H100',
  reserve: 2,
  maxDuration: 'P1D',
  maxDurationMs: 1,
  defaultDuration: 'P1D',
  defaultDurationMs: 1,
};
const node = (patch: any = {}) => ({
  metadata: { labels: { 'nvidia.com/gpu.product': 'H100' }, ...patch.metadata },
  spec: { ...patch.spec },
  status: {
    allocatable: { 'nvidia.com/gpu': '8' },
    conditions: [{ type: 'Ready', status: patch.ready ?? 'True' }],
  },
});

describe('poolCapacityFromNodes', () => {
  it('counts Ready, schedulable nodes of the product, minus the reserve', () => {
    expect(
      poolCapacityFromNodes(pool, [
        node(),
        node(),
        node({ ready: 'Unknown' }),
        node({ spec: { unschedulable: true } }),
        node({
          spec: {
            taints: [
              {
                key: 'node.kubernetes.io/memory-pressure',
                effect: 'NoSchedule',
              },
            ],
          },
        }),
        node({ metadata: { labels: { 'nvidia.com/gpu.product': 'L40S' } } }),
      ]),
    ).toBe(14);
  });

  it('never goes below zero', () => {
    expect(poolCapacityFromNodes({ ...pool, reserve: 100 }, [node()])).toBe(0);
  });
});

describe('holdersOutsideGrants', () => {
  const pools = [
    { ...pool, id: 'h100', reserve: 0 },
    { ...pool, id: 'l40s', product: 'L40S', reserve: 0 },
  ];
  const nodes = [
    {
      ...node(),
      metadata: { name: 'n1', labels: { 'nvidia.com/gpu.product': 'H100' } },
    },
    {
      ...node(),
      metadata: { name: 'n2', labels: { 'nvidia.com/gpu.product': 'L40S' } },
    },
    {
      ...node({ ready: 'False' }),
      metadata: { name: 'bad', labels: { 'nvidia.com/gpu.product': 'H100' } },
    },
  ];
  const pod = (
    ns: string,
    name: string,
    nodeName: string,
    gpus: number,
    at: number,
    phase = 'Running',
  ) => ({
    metadata: { namespace: ns, name, creationTimestamp: new Date(at) },
    spec: {
      nodeName,
      containers: [
        { resources: { requests: { 'nvidia.com/gpu': String(gpus) } } },
      ],
    },
    status: { phase },
  });

  it('counts bound pods on healthy nodes beyond their namespace grant, oldest covered first', () => {
    const holders = holdersOutsideGrants(
      'c',
      pools,
      nodes,
      [
        pod('team', 'old', 'n1', 2, 1),
        pod('team', 'young', 'n1', 2, 2),
        pod('other', 'serve', 'n2', 1, 1),
        pod('other', 'done', 'n2', 1, 1, 'Succeeded'),
        pod('other', 'broken-node', 'bad', 4, 1),
        { ...pod('other', 'pending', '', 1, 1), spec: { containers: [] } },
      ],
      [
        { cluster: 'c', namespace: 'team', pool: 'h100', count: 3 },
        {
          cluster: 'other-cluster',
          namespace: 'other',
          pool: 'l40s',
          count: 9,
        },
      ],
    );
    expect(holders).toEqual([
      {
        cluster: 'c',
        pool: 'l40s',
        namespace: 'other',
        pod: 'serve',
        node: 'n2',
        gpus: 1,
      },
      {
        cluster: 'c',
        pool: 'h100',
        namespace: 'team',
        pod: 'young',
        node: 'n1',
        gpus: 1,
      },
    ]);
  });
});
