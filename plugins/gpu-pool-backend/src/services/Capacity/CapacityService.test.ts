import { poolCapacityFromNodes } from './CapacityService';

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
