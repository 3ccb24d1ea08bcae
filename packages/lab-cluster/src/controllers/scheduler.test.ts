import { nodeStates, placePod } from './scheduler';

const node = (
  name: string,
  labels: Record<string, string>,
  extra: any = {},
) => ({
  metadata: { name, labels },
  spec: extra.spec ?? {},
  status: {
    allocatable: {
      cpu: '16',
      memory: '64Gi',
      pods: '110',
      'nvidia.com/gpu': '4',
      ...(extra.allocatable ?? {}),
    },
    conditions: [
      { type: 'Ready', status: extra.ready === false ? 'False' : 'True' },
    ],
  },
});
const pod = (spec: any) => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: {
    containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }],
    ...spec,
  },
});
const gpus = (n: number) => [
  { name: 'c', resources: { limits: { 'nvidia.com/gpu': String(n) } } },
];

describe('the lab scheduler', () => {
  const h100 = node('h100', {
    'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
    zone: 'a',
  });
  const l40s = node('l40s', {
    'nvidia.com/gpu.product': 'NVIDIA-L40S',
    zone: 'b',
  });

  it('honours nodeSelector', () => {
    const states = nodeStates([h100, l40s], []);
    expect(
      placePod(
        pod({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L40S' } }),
        states,
      ),
    ).toEqual({ node: 'l40s' });
  });

  it.each([
    ['In', ['NVIDIA-L40S'], 'l40s'],
    ['NotIn', ['NVIDIA-L40S'], 'h100'],
  ])('honours required node affinity %s', (operator, values, expected) => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'nvidia.com/gpu.product', operator, values },
              ],
            },
          ],
        },
      },
    };
    expect(placePod(pod({ affinity }), nodeStates([h100, l40s], []))).toEqual({
      node: expected,
    });
  });

  it('honours Exists and DoesNotExist', () => {
    const plain = node('cpu', {});
    const term = (operator: string) => ({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'nvidia.com/gpu.product', operator }] },
          ],
        },
      },
    });
    expect(
      placePod(
        pod({ affinity: term('DoesNotExist') }),
        nodeStates([h100, plain], []),
      ),
    ).toEqual({ node: 'cpu' });
    expect(
      placePod(
        pod({ affinity: term('Exists') }),
        nodeStates([plain, l40s], []),
      ),
    ).toEqual({ node: 'l40s' });
  });

  it('counts what bound pods use, and refuses with the real FitError text', () => {
    const used = {
      metadata: { name: 'u' },
      spec: { nodeName: 'h100', containers: gpus(3) },
      status: { phase: 'Running' },
    };
    const done = {
      metadata: { name: 'd' },
      spec: { nodeName: 'l40s', containers: gpus(4) },
      status: { phase: 'Succeeded' },
    };
    const states = nodeStates([h100, l40s], [used, done]);
    // The finished pod frees its GPUs; the running one holds 3 of h100's 4.
    expect(placePod(pod({ containers: gpus(4) }), states)).toEqual({
      node: 'l40s',
    });
    expect(placePod(pod({ containers: gpus(2) }), states)).toEqual({
      unschedulable:
        '0/2 nodes are available: 2 Insufficient nvidia.com/gpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    });
  });

  it('skips cordoned, tainted and NotReady nodes unless tolerated', () => {
    const cordoned = node('cordoned', {}, { spec: { unschedulable: true } });
    const tainted = node(
      'tainted',
      {},
      {
        spec: { taints: [{ key: 'gpu', value: 'only', effect: 'NoSchedule' }] },
      },
    );
    const down = node('down', {}, { ready: false });
    const states = () => nodeStates([cordoned, tainted, down], []);
    expect(placePod(pod({}), states())).toEqual({
      unschedulable:
        '0/3 nodes are available: 1 node(s) had untolerated taint {gpu: only}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
    expect(
      placePod(
        pod({
          tolerations: [
            {
              key: 'gpu',
              operator: 'Equal',
              value: 'only',
              effect: 'NoSchedule',
            },
          ],
        }),
        states(),
      ),
    ).toEqual({ node: 'tainted' });
    expect(
      placePod(pod({ tolerations: [{ operator: 'Exists' }] }), states()),
    ).toEqual({ node: 'cordoned' });
  });

  it('spreads by least allocated and sees the pods it placed in the same pass', () => {
    const a = node('a', {});
    const b = node('b', {});
    const states = nodeStates([a, b], []);
    const big = pod({
      containers: [{ name: 'c', resources: { requests: { cpu: '10' } } }],
    });
    expect(placePod(big, states)).toEqual({ node: 'a' });
    expect(placePod(big, states)).toEqual({ node: 'b' });
    expect('unschedulable' in placePod(big, states)).toBe(true);
  });
});
