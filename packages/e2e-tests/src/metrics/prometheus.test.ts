// GPU metrics end to end: the lab's DCGM exporter emulation, scraped by the
// real Prometheus (Debian's package, started by scripts/prometheus.sh), read
// by the portal's GpuMetrics client and served by cluster status as busy
// against allocated. One backend boot for the whole file.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import { DefaultGpuMetrics } from '@internal/plugin-kubernetes-access-node';
import {
  freePort,
  labClustersConfig,
  RunningBackend,
  startBackend,
} from '../support/backend';
import { eventually } from '../support/eventually';
import { repoRoot } from '../support/paths';
import { guestToken } from '../support/session';

const PROMETHEUS = '/usr/bin/prometheus';
const ANNOTATION = 'lab.cloud-smart.io/gpu-activity';
const BUSY = 0.05;
const WINDOW_SECONDS = 10;
/** What each running GPU pod of lab-main is told to do, in turn. */
const ACTIVITIES = ['0.85', '0.02', '0.4', '0', '0.3', '0.65'];

interface HeldGpus {
  namespace: string;
  pod: string;
  node: string;
  /** nvidia.com/gpu or nvidia.com/mig-<profile> */
  resource: string;
  count: number;
  activity: number;
}

const silentLogger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

describe('GPU metrics: DCGM exporter, Prometheus, the portal', () => {
  let lab: LabFleet;
  let backend: RunningBackend;
  let prometheus: ChildProcess | undefined;
  let promUrl: string;
  let promDir: string;
  let token: string;
  const held: HeldGpus[] = [];
  const nodeModel = new Map<string, string>();

  const admin = () => lab.clusters.find(c => c.name === 'lab-main')!;
  const kube = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${admin().url}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${admin().token}`,
        ...(body ? { 'content-type': 'application/merge-patch+json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const promQuery = async (query: string) => {
    const res = await fetch(
      `${promUrl}/api/v1/query?${new URLSearchParams({ query })}`,
    );
    const body = await res.json();
    expect(body.status).toBe('success');
    return body.data.result as Array<{
      metric: Record<string, string>;
      value: [number, string];
    }>;
  };
  const gpuActivity = async () => {
    const res = await fetch(
      `${backend.baseUrl}/api/cluster-status/gpu-activity`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(res.status).toBe(200);
    return (await res.json()).items as Array<any>;
  };

  beforeAll(async () => {
    // The test command's install phase installs it (scripts/system-packages.sh).
    if (!fs.existsSync(PROMETHEUS)) {
      throw new Error(
        `${PROMETHEUS} is missing: apt-get install prometheus (the test command's install phase does)`,
      );
    }
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });

    // Tell every running GPU pod of lab-main what to do, before Prometheus
    // sees any sample, so every sample in its window is the told value.
    const nodes = await kube('GET', '/api/v1/nodes');
    for (const n of nodes.items) {
      const product = n.metadata.labels?.['nvidia.com/gpu.product'];
      if (product) nodeModel.set(n.metadata.name, product);
    }
    const pods = await kube('GET', '/api/v1/pods');
    let i = 0;
    for (const pod of pods.items) {
      if (pod.status?.phase !== 'Running' || !pod.spec?.nodeName) continue;
      const wants = new Map<string, number>();
      for (const c of pod.spec.containers ?? []) {
        const amounts = { ...c.resources?.requests, ...c.resources?.limits };
        for (const [resource, value] of Object.entries(amounts)) {
          if (
            resource === 'nvidia.com/gpu' ||
            resource.startsWith('nvidia.com/mig-')
          ) {
            wants.set(resource, (wants.get(resource) ?? 0) + Number(value));
          }
        }
      }
      if (wants.size === 0) continue;
      const activity = ACTIVITIES[i++ % ACTIVITIES.length];
      await kube(
        'PATCH',
        `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`,
        { metadata: { annotations: { [ANNOTATION]: activity } } },
      );
      for (const [resource, count] of wants) {
        held.push({
          namespace: pod.metadata.namespace,
          pod: pod.metadata.name,
          node: pod.spec.nodeName,
          resource,
          count,
          activity: Number(activity),
        });
      }
    }
    // Enough to tell busy from idle on more than one model.
    if (held.length < 4) {
      throw new Error(
        `the fixture has ${held.length} running GPU pods on lab-main, the test needs 4`,
      );
    }

    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    promDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-prometheus-'));
    prometheus = spawn(
      'bash',
      [
        path.join(repoRoot, 'scripts', 'prometheus.sh'),
        'run',
        lab.adminUrl,
        String(port),
        promDir,
        '1s',
      ],
      { stdio: 'ignore' },
    );
    await eventually(
      async () => (await fetch(`${promUrl}/-/ready`)).status === 200,
      { timeoutMs: 30_000, what: 'Prometheus ready' },
    );

    const clusters = labClustersConfig(lab).kubernetesAccess.clusters.map(c =>
      c.name === 'lab-main'
        ? {
            ...c,
            gpuMetrics: {
              prometheusUrl: promUrl,
              labelSelector: 'cluster="lab-main"',
              timeoutMs: 2000,
            },
          }
        : c,
    );
    backend = await startBackend({
      lab,
      overlay: {
        kubernetesAccess: { defaultTimeoutMs: 5000, clusters },
        clusterStatus: { gpuActivity: { windowSeconds: WINDOW_SECONDS } },
      },
    });
    token = await guestToken(backend.baseUrl, 'group:default/ml-team');
    // A full window of samples: every series has at least 8 one-second scrapes.
    await eventually(
      async () => {
        const counts = await promQuery(
          `count_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE{cluster="lab-main"}[${WINDOW_SECONDS}s])`,
        );
        return counts.length > 0 && counts.every(c => Number(c.value[1]) >= 8);
      },
      { timeoutMs: 60_000, intervalMs: 1000, what: 'a window of samples' },
    );
  });

  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await backend?.stop();
    await lab?.stop();
    if (promDir) fs.rmSync(promDir, { recursive: true, force: true });
  });

  it("scrapes every Ready GPU node of both clusters through the lab's http_sd targets", async () => {
    const targets = await (
      await fetch(`${lab.adminUrl}/metrics/dcgm/targets`)
    ).json();
    const up = await promQuery('up{job="dcgm"}');
    expect(up.length).toBe(targets.length);
    const byInstance = new Map(
      up.map(u => [u.metric.instance, Number(u.value[1])]),
    );
    for (const t of targets) {
      expect(byInstance.has(t.labels.instance)).toBe(true);
    }
    // gpu-h100-3 is NotReady in the fixture: its exporter cannot be scraped.
    expect(byInstance.get('lab-main/gpu-h100-3')).toBe(0);
    expect(byInstance.get('lab-main/gpu-h100-1')).toBe(1);
    expect(up.some(u => u.metric.cluster === 'lab-edge')).toBe(true);
  });

  it('holds, per node, the sum of what the pods there were told to do', async () => {
    const expected = new Map<string, number>();
    for (const h of held) {
      expected.set(h.node, (expected.get(h.node) ?? 0) + h.activity * h.count);
    }
    const sums = await promQuery(
      'sum by (Hostname) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{cluster="lab-main"})',
    );
    const actual = new Map(
      sums.map(s => [s.metric.Hostname, Number(s.value[1])]),
    );
    for (const [node, sum] of expected) {
      expect([node, actual.get(node)]).toEqual([node, expect.closeTo(sum, 6)]);
    }
    // Nodes without running GPU pods report 0 on every GPU.
    const others = [...actual].filter(([node]) => !expected.has(node));
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter(([, sum]) => sum !== 0)).toEqual([]);
    // GPU utilisation is the same activity in percent.
    const util = await promQuery(
      'sum(DCGM_FI_DEV_GPU_UTIL{cluster="lab-main"})',
    );
    const total = held.reduce((s, h) => s + h.activity * h.count, 0);
    expect(Number(util[0].value[1])).toBeCloseTo(total * 100, 6);
  });

  it("is read by the portal's GpuMetrics client: per GPU, per namespace, and busy GPU-seconds", async () => {
    const metrics = DefaultGpuMetrics.create({
      clusters: [
        {
          name: 'lab-main',
          gpuMetrics: {
            prometheusUrl: promUrl,
            labelSelector: 'cluster="lab-main"',
            timeoutMs: 2000,
          },
        },
        { name: 'lab-edge' },
      ],
      logger: silentLogger,
    });
    const activity = await metrics.gpuActivity('lab-main', {
      windowSeconds: WINDOW_SECONDS,
    });
    for (const h of held) {
      const mine = activity.filter(
        a => a.pod === h.pod && a.namespace === h.namespace,
      );
      expect([h.pod, mine.length]).toEqual([h.pod, h.count]);
      for (const a of mine) {
        expect(a.meanEngineActive).toBeCloseTo(h.activity, 6);
        expect(a.maxEngineActive).toBeCloseTo(h.activity, 6);
        expect(a.samples).toBeGreaterThanOrEqual(8);
        expect(a.node).toBe(h.node);
        expect(a.migProfile).toBe(
          h.resource.startsWith('nvidia.com/mig-')
            ? h.resource.slice('nvidia.com/mig-'.length)
            : undefined,
        );
      }
    }
    const namespace = held[0].namespace;
    const ns = await metrics.gpuActivity('lab-main', {
      windowSeconds: WINDOW_SECONDS,
      namespace,
    });
    expect(ns.length).toBe(
      held
        .filter(h => h.namespace === namespace)
        .reduce((s, h) => s + h.count, 0),
    );
    expect(ns.every(a => a.namespace === namespace)).toBe(true);

    const perSecond = held
      .filter(h => h.namespace === namespace)
      .reduce((s, h) => s + h.activity * h.count, 0);
    const end = new Date(Date.now() - 1000);
    const start = new Date(end.getTime() - 6000);
    const seconds = await metrics.busyGpuSeconds('lab-main', {
      namespace,
      start,
      end,
    });
    // 6 s of constant activity; one step (1 s) of slack at the edges.
    expect(seconds).toBeGreaterThanOrEqual(perSecond * 5 - 1e-6);
    expect(seconds).toBeLessThanOrEqual(perSecond * 7 + 1e-6);
    await expect(
      metrics.gpuActivity('lab-edge', { windowSeconds: 60 }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
  });

  it("serves busy against allocated per model on the portal's cluster status API; lab-edge has no GPU metrics", async () => {
    const summaries = await (
      await fetch(`${backend.baseUrl}/api/cluster-status/clusters`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    const mainSummary = summaries.items.find((c: any) => c.name === 'lab-main');
    const items = await eventually(
      async () => {
        const list = await gpuActivity();
        return list.find(i => i.cluster === 'lab-main')?.status === 'available'
          ? list
          : undefined;
      },
      { timeoutMs: 30_000, what: 'lab-main GPU activity available' },
    );
    const main = items.find(i => i.cluster === 'lab-main');
    expect(main.windowSeconds).toBe(WINDOW_SECONDS);
    expect(main.busyThreshold).toBe(BUSY);
    const busyByModel = new Map<string, number>();
    const busyByProfile = new Map<string, number>();
    for (const h of held) {
      const busy = h.activity >= BUSY ? h.count : 0;
      if (h.resource === 'nvidia.com/gpu') {
        const model = nodeModel.get(h.node)!;
        busyByModel.set(model, (busyByModel.get(model) ?? 0) + busy);
      } else {
        const profile = h.resource.slice('nvidia.com/mig-'.length);
        busyByProfile.set(profile, (busyByProfile.get(profile) ?? 0) + busy);
      }
    }
    expect([...busyByModel.values()].some(b => b > 0)).toBe(true);
    for (const m of main.byModel) {
      const summary = mainSummary.gpus.byModel.find(
        (s: any) => s.model === m.model,
      );
      expect(m).toEqual({
        model: m.model,
        allocatable: summary.total,
        allocated: summary.allocated,
        busy: busyByModel.get(m.model) ?? 0,
        reporting: expect.any(Number),
      });
    }
    for (const p of main.byProfile) {
      expect([p.profile, p.busy]).toEqual([
        p.profile,
        busyByProfile.get(p.profile) ?? 0,
      ]);
    }
    const edge = items.find(i => i.cluster === 'lab-edge');
    expect(edge.status).toBe('not-configured');
    expect(edge.byModel.length).toBeGreaterThan(0);
    expect(edge.byModel.every((m: any) => m.busy === undefined)).toBe(true);
  });

  it('shows lab-main as unavailable, not idle, once Prometheus stops; the fleet still renders', async () => {
    prometheus!.kill('SIGTERM');
    await new Promise(r => prometheus!.once('exit', r));
    prometheus = undefined;
    const items = await eventually(
      async () => {
        const list = await gpuActivity();
        return list.find(i => i.cluster === 'lab-main')?.status ===
          'unavailable'
          ? list
          : undefined;
      },
      { timeoutMs: 30_000, what: 'lab-main GPU activity unavailable' },
    );
    const main = items.find(i => i.cluster === 'lab-main');
    expect(main.error).toMatch(/cluster "lab-main"/);
    expect(main.byModel.length).toBeGreaterThan(0);
    expect(main.byModel.every((m: any) => m.busy === undefined)).toBe(true);
    expect(items.find(i => i.cluster === 'lab-edge').status).toBe(
      'not-configured',
    );
    const fleet = await fetch(
      `${backend.baseUrl}/api/cluster-status/clusters`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(fleet.status).toBe(200);
  });
});
