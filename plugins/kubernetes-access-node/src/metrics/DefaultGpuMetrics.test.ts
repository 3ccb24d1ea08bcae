import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultGpuMetrics } from './DefaultGpuMetrics';

type Answer = (
  params: URLSearchParams,
  path: string,
) => {
  status: number;
  body: unknown;
  delayMs?: number;
};

/** A loopback server that answers like Prometheus's HTTP API, recording the queries. */
async function fakePrometheus(answer: Answer) {
  const queries: Array<{ path: string; params: URLSearchParams }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const params = new URLSearchParams(Buffer.concat(chunks).toString());
      queries.push({ path: url.pathname, params });
      const { status, body, delayMs } = answer(params, url.pathname);
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      }, delayMs ?? 0);
      timers.add(timer);
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise<void>(r => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const vector = (result: Array<{ metric: object; value: number }>) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: result.map(r => ({
      metric: r.metric,
      value: [1700000000, String(r.value)],
    })),
  },
});

const gpu0 = {
  __name__: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  Hostname: 'gpu-h100-1',
  gpu: '0',
  UUID: 'GPU-aaaa',
  modelName: 'NVIDIA H100 80GB HBM3',
  cluster: 'lab-main',
  namespace: 'ml-training',
  pod: 'train-0',
  container: 'trainer',
};
const mig = {
  Hostname: 'gpu-a100-mig-1',
  gpu: '4',
  UUID: 'GPU-bbbb',
  modelName: 'NVIDIA A100-SXM4-80GB',
  GPU_I_PROFILE: '1g.10gb',
  GPU_I_ID: '3',
  cluster: 'lab-main',
};
const silent = { ...gpu0, gpu: '1', UUID: 'GPU-cccc', pod: 'train-1' };

function metricsFor(prometheusUrl: string, extra: object = {}) {
  return DefaultGpuMetrics.fromConfig(
    new ConfigReader({
      kubernetesAccess: {
        clusters: [
          {
            name: 'lab-main',
            url: 'http://127.0.0.1:1',
            auth: { provider: 'serviceAccount', serviceAccountToken: 't' },
            gpuMetrics: {
              prometheusUrl,
              labelSelector: 'cluster="lab-main"',
              ...extra,
            },
          },
          {
            name: 'lab-edge',
            url: 'http://127.0.0.1:2',
            auth: { provider: 'serviceAccount', serviceAccountToken: 'u' },
          },
        ],
      },
    }),
    {
      logger: mockServices.logger.mock(),
      now: () => new Date(1_700_000_000_000),
    },
  );
}

describe('DefaultGpuMetrics', () => {
  it('says which clusters have GPU metrics configured', () => {
    const metrics = metricsFor('http://127.0.0.1:9');
    expect(metrics.isConfigured('lab-main')).toBe(true);
    expect(metrics.isConfigured('lab-edge')).toBe(false);
    expect(metrics.isConfigured('nope')).toBe(false);
  });

  it('merges max, mean and sample count per GPU and lists series without samples in the window as samples 0', async () => {
    const prom = await fakePrometheus(params => {
      const q = params.get('query')!;
      if (q.startsWith('max_over_time'))
        return {
          status: 200,
          body: vector([
            { metric: gpu0, value: 0.9 },
            { metric: mig, value: 0.02 },
          ]),
        };
      if (q.startsWith('avg_over_time'))
        return {
          status: 200,
          body: vector([
            { metric: gpu0, value: 0.6 },
            { metric: mig, value: 0.01 },
          ]),
        };
      if (q.startsWith('count_over_time'))
        return {
          status: 200,
          body: vector([
            { metric: gpu0, value: 60 },
            { metric: mig, value: 59 },
          ]),
        };
      return {
        status: 200,
        body: vector([
          { metric: gpu0, value: 0.7 },
          { metric: mig, value: 0 },
          { metric: silent, value: 0.8 },
        ]),
      };
    });
    try {
      const activity = await metricsFor(prom.url).gpuActivity('lab-main', {
        windowSeconds: 300,
      });
      expect(activity).toEqual([
        {
          node: 'gpu-a100-mig-1',
          gpu: '4',
          uuid: 'GPU-bbbb',
          modelName: 'NVIDIA A100-SXM4-80GB',
          migProfile: '1g.10gb',
          maxEngineActive: 0.02,
          meanEngineActive: 0.01,
          samples: 59,
        },
        {
          node: 'gpu-h100-1',
          gpu: '0',
          uuid: 'GPU-aaaa',
          modelName: 'NVIDIA H100 80GB HBM3',
          namespace: 'ml-training',
          pod: 'train-0',
          maxEngineActive: 0.9,
          meanEngineActive: 0.6,
          samples: 60,
        },
        expect.objectContaining({
          uuid: 'GPU-cccc',
          pod: 'train-1',
          samples: 0,
          maxEngineActive: 0,
        }),
      ]);
      const sent = prom.queries.map(q => q.params.get('query'));
      expect(sent).toContain(
        'max_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE{cluster="lab-main"}[300s])',
      );
      expect(sent).toContain(
        'last_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE{cluster="lab-main"}[3900s])',
      );
      expect(prom.queries[0].path).toBe('/api/v1/query');
      expect(prom.queries[0].params.get('time')).toBe('1700000000.000');
    } finally {
      await prom.close();
    }
  });

  it('selects one namespace with a matcher and refuses namespaces that are not DNS labels', async () => {
    const prom = await fakePrometheus(() => ({
      status: 200,
      body: vector([]),
    }));
    try {
      const metrics = metricsFor(prom.url);
      await expect(
        metrics.gpuActivity('lab-main', {
          windowSeconds: 60,
          namespace: 'ml-training',
        }),
      ).resolves.toEqual([]);
      expect(prom.queries[0].params.get('query')).toContain(
        '{cluster="lab-main",namespace="ml-training"}[60s]',
      );
      await expect(
        metrics.gpuActivity('lab-main', {
          windowSeconds: 60,
          namespace: 'x"}or vector(1)',
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^namespace/),
      });
      await expect(
        metrics.gpuActivity('lab-main', { windowSeconds: 0 }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^windowSeconds/),
      });
    } finally {
      await prom.close();
    }
  });

  it('integrates engine activity of the namespace over the range (busy GPU-seconds)', async () => {
    const prom = await fakePrometheus(() => ({
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: {},
              // 2 GPUs at 0.5 for 4 s, then 1 GPU at 1.0 until the end
              values: [
                [1000, '1'],
                [1001, '1'],
                [1002, '1'],
                [1003, '1'],
                [1004, '1'],
                [1005, '1'],
                [1010, '0'],
              ],
            },
          ],
        },
      },
    }));
    try {
      const seconds = await metricsFor(prom.url).busyGpuSeconds('lab-main', {
        namespace: 'ml-training',
        start: new Date(1_000_000),
        end: new Date(1_010_000),
      });
      // six points of 1 GPU-second each; the point at `end` lasts 0 s
      expect(seconds).toBe(6);
      const { path, params } = prom.queries[0];
      expect(path).toBe('/api/v1/query_range');
      expect(params.get('query')).toBe(
        'sum(DCGM_FI_PROF_GR_ENGINE_ACTIVE{cluster="lab-main",namespace="ml-training"})',
      );
      expect([
        params.get('start'),
        params.get('end'),
        params.get('step'),
      ]).toEqual(['1000.000', '1010.000', '1']);
      await expect(
        metricsFor(prom.url).busyGpuSeconds('lab-main', {
          namespace: 'ml-training',
          start: new Date(2_000_000),
          end: new Date(1_000_000),
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: 'end must be after start',
      });
    } finally {
      await prom.close();
    }
  });

  it('throws NotFoundError for unknown clusters and ServiceUnavailableError for clusters without gpuMetrics', async () => {
    const metrics = metricsFor('http://127.0.0.1:9');
    await expect(
      metrics.gpuActivity('nope', { windowSeconds: 60 }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('"nope"'),
    });
    await expect(
      metrics.gpuActivity('lab-edge', { windowSeconds: 60 }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('Cluster "lab-edge" has no GPU metrics'),
    });
  });

  it('fails closed with ServiceUnavailableError naming the cluster when Prometheus is down, slow, refuses or answers garbage', async () => {
    const closed = await fakePrometheus(() => ({
      status: 200,
      body: vector([]),
    }));
    await closed.close();
    await expect(
      metricsFor(closed.url).gpuActivity('lab-main', { windowSeconds: 60 }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /cluster "lab-main" are unavailable: .* cannot be reached \(ECONNREFUSED\)/,
      ),
    });
    const answers: Answer[] = [
      () => ({ status: 200, body: vector([]), delayMs: 2500 }),
      () => ({
        status: 400,
        body: { status: 'error', errorType: 'bad_data', error: 'parse error' },
      }),
      () => ({ status: 502, body: '<html>bad gateway</html>' }),
      () => ({
        status: 200,
        body: { status: 'success', data: { resultType: 'matrix', result: [] } },
      }),
    ];
    const messages = [
      /did not answer within 1000 ms/,
      /refused the query \(400 bad_data: parse error\)/,
      /answered 502 without a Prometheus API response/,
      /unexpected body \(expected a vector\)/,
    ];
    for (const [i, answer] of answers.entries()) {
      const prom = await fakePrometheus(answer);
      try {
        await expect(
          metricsFor(prom.url, { timeoutMs: 1000 }).gpuActivity('lab-main', {
            windowSeconds: 60,
          }),
        ).rejects.toMatchObject({
          name: 'ServiceUnavailableError',
          message: expect.stringMatching(messages[i]) as unknown as string,
        });
      } finally {
        await prom.close();
      }
    }
  });

  it('refuses invalid gpuMetrics config, naming the field', () => {
    const bad = (gpuMetrics: object) => () =>
      DefaultGpuMetrics.fromConfig(
        new ConfigReader({
          kubernetesAccess: {
            clusters: [
              {
                name: 'lab-main',
                url: 'http://127.0.0.1:1',
                auth: { provider: 'serviceAccount', serviceAccountToken: 't' },
                gpuMetrics,
              },
            ],
          },
        }),
        { logger: mockServices.logger.mock() },
      );
    expect(bad({ prometheusUrl: 'ftp://x' })).toThrow(
      /kubernetesAccess\.clusters\[0\]\.gpuMetrics\.prometheusUrl must be an http\(s\) URL/,
    );
    expect(
      bad({
        prometheusUrl: 'http://p:9090',
        labelSelector: 'cluster=lab-main',
      }),
    ).toThrow(/gpuMetrics\.labelSelector must be PromQL label matchers/);
    expect(
      bad({
        prometheusUrl: 'http://p:9090',
        labelSelector: 'cluster="a",env!~"dev.*"',
      }),
    ).not.toThrow();
    expect(bad({})).toThrow(/gpuMetrics\.prometheusUrl is required/);
  });
});
