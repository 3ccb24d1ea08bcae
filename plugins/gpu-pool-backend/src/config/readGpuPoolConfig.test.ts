import { ConfigReader } from '@backstage/config';
import { enforcementOf, readGpuPoolConfig } from './readGpuPoolConfig';

const pools = [
  {
    id: 'main-a100',
    cluster: 'main',
    resource: 'nvidia.com/gpu',
    product: 'A100',
  },
  {
    id: 'main-h100',
    cluster: 'main',
    resource: 'nvidia.com/gpu',
    product: 'H100',
  },
  { id: 'main-mig', cluster: 'main', resource: 'nvidia.com/mig-1g.10gb' },
  {
    id: 'edge-l40s',
    cluster: 'edge',
    resource: 'nvidia.com/gpu',
    product: 'L40S',
  },
];

function read(gpuPool: object) {
  return readGpuPoolConfig(
    new ConfigReader({ gpuPool: { pools, ...gpuPool } }),
  );
}

describe('readGpuPoolConfig enforcement', () => {
  it('uses kueue for clusters not listed', () => {
    const config = read({ clusters: [{ name: 'edge', enforcement: 'quota' }] });
    expect(enforcementOf(config, 'main')).toBe('kueue');
    expect(enforcementOf(config, 'edge')).toBe('quota');
    expect(config.stopGracePeriodMs).toBe(5 * 60_000);
  });

  it('refuses quota mode with two pools on one resource, naming the pools', () => {
    expect(() =>
      read({ clusters: [{ name: 'main', enforcement: 'quota' }] }),
    ).toThrow(
      /cluster main uses enforcement "quota", which cannot tell apart pools main-a100, main-h100 on one resource nvidia\.com\/gpu/,
    );
  });

  it('refuses an unknown enforcement, naming the field', () => {
    expect(() =>
      read({ clusters: [{ name: 'edge', enforcement: 'slurm' }] }),
    ).toThrow(
      'gpuPool.clusters[0].enforcement must be "kueue" or "quota", got "slurm"',
    );
  });

  it('reads borrowing and lending limits and refuses negative ones', () => {
    const config = read({
      pools: [{ ...pools[0], borrowingLimit: 2, lendingLimit: 0 }],
      stopGracePeriod: 'PT30S',
    });
    expect(config.pools[0]).toMatchObject({
      borrowingLimit: 2,
      lendingLimit: 0,
    });
    expect(config.stopGracePeriodMs).toBe(30_000);
    expect(read({ stopGracePeriod: 'PT0S' }).stopGracePeriodMs).toBe(0);
    expect(() => read({ stopGracePeriod: '5m' })).toThrow(
      'gpuPool.stopGracePeriod must be an ISO 8601 duration, got "5m"',
    );
    expect(() =>
      read({ pools: [{ ...pools[0], borrowingLimit: -1 }] }),
    ).toThrow(
      'gpuPool.pools[0].borrowingLimit must be a whole number of GPUs, 0 or more, got -1',
    );
  });
});
