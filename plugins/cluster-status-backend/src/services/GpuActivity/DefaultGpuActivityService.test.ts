import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  DefaultKubernetesAccess,
  GpuActivity,
  GpuMetrics,
} from '@internal/plugin-kubernetes-access-node';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import { DefaultClusterCache } from '../ClusterCache/DefaultClusterCache';
import { DefaultGpuActivityService } from './DefaultGpuActivityService';

jest.setTimeout(60_000);

const gpu = (
  node: string,
  index: number,
  mean: number,
  extra: Partial<GpuActivity> = {},
): GpuActivity => ({
  node,
  gpu: String(index),
  uuid: `GPU-${node}-${index}`,
  modelName: 'ignored: the node label names the model',
  maxEngineActive: mean,
  meanEngineActive: mean,
  samples: 12,
  ...extra,
});

/** GpuMetrics over a fixed answer per cluster, counting reads. */
function metricsOf(answers: Record<string, GpuActivity[] | Error | undefined>) {
  const reads: string[] = [];
  const metrics: GpuMetrics = {
    isConfigured: cluster => answers[cluster] !== undefined,
    async gpuActivity(cluster) {
      reads.push(cluster);
      const answer = answers[cluster];
      if (answer instanceof Error) throw answer;
      return answer ?? [];
    },
    async busyGpuSeconds() {
      throw new Error('not used by the fleet page');
    },
  };
  return { metrics, reads };
}

describe('DefaultGpuActivityService on the lab fleet', () => {
  let lab: LabFleet;
  let cache: DefaultClusterCache;

  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    const access = DefaultKubernetesAccess.fromConfig(
      new ConfigReader({
        kubernetesAccess: {
          clusters: lab.clusters.map(c => ({
            name: c.name,
            url: c.url,
            auth: { provider: 'serviceAccount', serviceAccountToken: c.token },
          })),
        },
      }),
      { logger: mockServices.logger.mock() },
    );
    cache = DefaultClusterCache.create({
      kubernetesAccess: access,
      logger: mockServices.logger.mock(),
    });
    cache.start();
    const deadline = Date.now() + 20_000;
    while (
      cache
        .listSummaries()
        .some(
          s =>
            s.status !== 'reachable' ||
            s.nodes.total === 0 ||
            s.pods.total === 0,
        )
    ) {
      if (Date.now() > deadline) throw new Error('cache did not sync');
      await new Promise(r => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    await cache?.stop();
    await lab?.stop();
  });

  it('counts busy GPUs per model (by node label) and per MIG profile next to allocatable and allocated', async () => {
    const { metrics } = metricsOf({
      'lab-main': [
        gpu('gpu-h100-1', 0, 0.85, {
          namespace: 'ml-training',
          pod: 'train-llama-0',
        }),
        gpu('gpu-h100-1', 1, 0.05, {
          namespace: 'ml-training',
          pod: 'train-llama-0',
        }),
        gpu('gpu-h100-1', 2, 0.049, {
          namespace: 'ml-training',
          pod: 'train-llama-0',
        }),
        gpu('gpu-h100-1', 3, 0.9, { samples: 0 }),
        gpu('gpu-h100-1', 4, 0),
        // one device seen under two pods in the window counts once
        gpu('gpu-l40s-1', 0, 0.5, { namespace: 'ml-inference', pod: 'a' }),
        gpu('gpu-l40s-1', 0, 0.0, { namespace: 'ml-inference', pod: 'b' }),
        gpu('gpu-a100-mig-1', 4, 0.3, {
          migProfile: '1g.10gb',
          namespace: 'ml-research',
          pod: 'notebook-alice',
        }),
        gpu('gpu-a100-mig-1', 4, 0, { migProfile: '1g.10gb' }),
        gpu('gpu-a100-mig-1', 4, 0, { migProfile: '1g.10gb' }),
        gpu('not-a-node-of-this-cluster', 0, 1),
      ],
    });
    const service = DefaultGpuActivityService.create({
      cache,
      gpuMetrics: metrics,
      logger: mockServices.logger.mock(),
    });
    const [main, edge] = await service.listClusters();
    expect(main).toMatchObject({
      cluster: 'lab-main',
      status: 'available',
      windowSeconds: 60,
      busyThreshold: 0.05,
    });
    expect(main.byModel).toEqual([
      {
        model: 'NVIDIA-A100-SXM4-80GB',
        allocatable: 24,
        allocated: 1,
        busy: 0,
        reporting: 0,
      },
      {
        model: 'NVIDIA-H100-80GB-HBM3',
        allocatable: 24,
        allocated: 6,
        busy: 2,
        reporting: 4,
      },
      {
        model: 'NVIDIA-L40S',
        allocatable: 8,
        allocated: 2,
        busy: 1,
        reporting: 1,
      },
    ]);
    expect(main.byProfile).toEqual([
      {
        profile: '1g.10gb',
        allocatable: 28,
        allocated: 1,
        busy: 1,
        reporting: 3,
      },
      {
        profile: '3g.40gb',
        allocatable: 8,
        allocated: 0,
        busy: 0,
        reporting: 0,
      },
    ]);
    // lab-edge has no gpuMetrics: no busy figures at all, never zero
    expect(edge.status).toBe('not-configured');
    expect(edge.byModel.length).toBeGreaterThan(0);
    for (const m of [...edge.byModel, ...edge.byProfile]) {
      expect(m).not.toHaveProperty('busy');
      expect(m).not.toHaveProperty('reporting');
      expect(m.allocatable).toBeGreaterThan(0);
    }
  });

  it('marks a cluster whose Prometheus fails unavailable with the reason, and still serves the others', async () => {
    const { metrics } = metricsOf({
      'lab-main': new ServiceUnavailableError(
        'GPU metrics of cluster "lab-main" are unavailable: Prometheus at http://127.0.0.1:1 cannot be reached (ECONNREFUSED)',
      ),
      'lab-edge': [
        gpu('edge-l40s-1', 0, 0.7, { namespace: 'ml-inference', pod: 'x' }),
      ],
    });
    const service = DefaultGpuActivityService.create({
      cache,
      gpuMetrics: metrics,
      logger: mockServices.logger.mock(),
      busyThresholdPercent: 50,
    });
    const [main, edge] = await service.listClusters();
    expect(main.status).toBe('unavailable');
    expect(main.error).toMatch(/"lab-main".*ECONNREFUSED/);
    expect(main.byModel.every(m => m.busy === undefined)).toBe(true);
    expect(edge.status).toBe('available');
    expect(edge.busyThreshold).toBe(0.5);
    expect(edge.byModel.find(m => m.model === 'NVIDIA-L40S')).toMatchObject({
      busy: 1,
      reporting: 1,
    });
  });

  it('reads each Prometheus once per max age, however many callers', async () => {
    const { metrics, reads } = metricsOf({ 'lab-main': [] });
    const service = DefaultGpuActivityService.create({
      cache,
      gpuMetrics: metrics,
      logger: mockServices.logger.mock(),
      maxAgeMs: 60_000,
    });
    await Promise.all([service.listClusters(), service.listClusters()]);
    await service.listClusters();
    expect(reads).toEqual(['lab-main']);
  });

  it('refuses bad clusterStatus.gpuActivity config, naming the field', () => {
    const deps = {
      cache,
      gpuMetrics: metricsOf({}).metrics,
      logger: mockServices.logger.mock(),
    };
    const of = (gpuActivity: object) => () =>
      DefaultGpuActivityService.fromConfig(
        new ConfigReader({ clusterStatus: { gpuActivity } }),
        deps,
      );
    expect(of({ windowSeconds: 5 })).toThrow(
      /clusterStatus\.gpuActivity\.windowSeconds/,
    );
    expect(of({ busyThresholdPercent: 0 })).toThrow(
      /clusterStatus\.gpuActivity\.busyThresholdPercent/,
    );
    expect(of({ windowSeconds: 120, busyThresholdPercent: 10 })).not.toThrow();
  });
});
