// Idle reclaim on the real backend, a lab fleet and a real Prometheus that
// scrapes the lab's DCGM exporter: an idle lease is nudged and, without an
// answer, reclaimed after the grace (the next queued request is admitted and
// kubectl shows its workloads stopped); "keep" stops it; a busy lease is never
// touched; missing metrics (a cluster without them, Prometheus down) never
// reclaim. Minutes are fractions here: idle 0.1 min (6 s), grace 0.2 (12 s).
import { ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import {
  freePort,
  labClustersConfig,
  RunningBackend,
  startBackend,
} from '../support/backend';
import {
  KUBECTL,
  kubectlAvailable,
  makeKubectl,
} from '../kubectl/kubectlRunner';
import { eventually } from '../support/eventually';
import { repoRoot } from '../support/paths';
import { guestToken } from '../support/session';
import { gpuPoolApi } from './support';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const missing = [
  ...(kubectlAvailable() ? [] : [KUBECTL]),
  ...(existsSync(PROMETHEUS) ? [] : [PROMETHEUS]),
];
if (missing.length) {
  // eslint-disable-next-line no-console
  console.warn(
    `Idle reclaim end-to-end test skipped: ${missing.join(', ')} not found`,
  );
}
const describeIfTools = missing.length ? describe.skip : describe;

const ML = 'group:default/ml-team';
const H100 = 'lab-main-h100';
const EDGE = 'lab-edge-l40s';
const policy = {
  thresholdPercent: 5,
  idleMinutes: 0.1,
  graceMinutes: 0.2,
  keepMinutes: 10,
};

/** The dev config's GPU pool section with idle reclaim on two pools. */
function gpuPoolOverlay() {
  const dev = parse(
    readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  ).gpuPool;
  return {
    reconcileIntervalSeconds: 1,
    idleReclaimIntervalSeconds: 1,
    stopGracePeriod: 'PT2S',
    pools: dev.pools.map((p: any) => {
      if (p.id === H100)
        return { ...p, maxPerRequest: 16, idleReclaim: policy };
      if (p.id === EDGE) return { ...p, idleReclaim: policy };
      return p;
    }),
    // Room for the ML team to fill the H100 pool on its own.
    allowances: dev.allowances.map((a: any) =>
      a.team === ML && a.pool === H100 ? { ...a, gpus: 32 } : a,
    ),
  };
}

/** A Kueue-queued Job of one H100 whose GPU shows `activity` (0..1). */
function job(namespace: string, activity: string) {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'train',
      namespace,
      labels: { 'kueue.x-k8s.io/queue-name': 'portal-gpu-pool' },
    },
    spec: {
      parallelism: 1,
      completions: 1,
      template: {
        metadata: {
          annotations: { 'lab.cloud-smart.io/gpu-activity': activity },
        },
        spec: {
          restartPolicy: 'Never',
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'train',
              image: 'registry.local/ml/train:1',
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
              },
              resources: {
                requests: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' },
                limits: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' },
              },
            },
          ],
        },
      },
    },
  });
}

/** Waits for a request's status; the failure says where it stopped and why. */
async function untilStatus(
  api: ReturnType<typeof gpuPoolApi>,
  id: string,
  status: string,
) {
  let last: any;
  try {
    return await eventually(
      async () => {
        last = (await api.get(`/requests/${id}`)).body;
        return last.status === status ? last : undefined;
      },
      { timeoutMs: 30_000, what: `request ${id} ${status}` },
    );
  } catch (error) {
    throw new Error(
      `${error}; it is ${last?.status} in ${last?.namespace} (${JSON.stringify(
        last?.gpus,
      )}), last error: ${last?.lastError}`,
    );
  }
}

describeIfTools('idle reclaim on the real backend, lab and Prometheus', () => {
  let lab: LabFleet;
  let backend: RunningBackend;
  let prometheus: ChildProcess | undefined;
  let dir: string;
  let kubectl: ReturnType<typeof makeKubectl>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'idle-reclaim-e2e-'));
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    const promPort = await freePort();
    prometheus = spawn(
      'bash',
      [
        path.join(repoRoot, 'scripts', 'prometheus.sh'),
        'run',
        lab.adminUrl,
        String(promPort),
        path.join(dir, 'prometheus'),
        '1s',
      ],
      { stdio: 'ignore' },
    );
    const prometheusUrl = `http://127.0.0.1:${promPort}`;
    await eventually(
      async () => (await fetch(`${prometheusUrl}/-/ready`)).status === 200,
      { timeoutMs: 30_000, what: 'Prometheus ready' },
    );
    const clusters = labClustersConfig(lab).kubernetesAccess.clusters.map(c =>
      // lab-edge has no GPU metrics configured: "no GPU metrics", never idle.
      c.name === 'lab-main'
        ? {
            ...c,
            gpuMetrics: { prometheusUrl, labelSelector: 'cluster="lab-main"' },
          }
        : c,
    );
    backend = await startBackend({
      lab,
      overlay: { kubernetesAccess: { clusters }, gpuPool: gpuPoolOverlay() },
    });
    await lab.writeKubeconfig(path.join(dir, 'config'));
    kubectl = makeKubectl(path.join(dir, 'config'), path.join(dir, 'cache'));
  });

  afterAll(async () => {
    // E2E_BACKEND_LOG=<file> keeps the backend's output for a failed run.
    if (backend && process.env.E2E_BACKEND_LOG) {
      writeFileSync(process.env.E2E_BACKEND_LOG, backend.output());
    }
    await backend?.stop();
    prometheus?.kill('SIGTERM');
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function kubectlJson(args: string[]) {
    const r = await kubectl.run([...args, '-o', 'json']);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  it('nudges, reclaims after the grace and admits the next request; keep, busy and missing metrics are left alone', async () => {
    const token = await guestToken(backend.baseUrl, ML);
    const api = gpuPoolApi(backend.baseUrl, token);
    const suffix = Date.now().toString(36);
    const ns = (name: string) => `${name}-${suffix}`;

    const h100 = await eventually(
      async () => {
        const pools: any[] = (await api.get('/pools')).body.items;
        const p = pools.find(x => x.id === H100);
        return p?.live && p.capacity > 0 ? p : undefined;
      },
      { timeoutMs: 30_000, what: 'the H100 pool live' },
    );
    // What the pool can grant now: capacity minus grants and GPUs that
    // pods outside any grant (the fixture's) physically hold.
    const free: number = h100.available;
    expect(free).toBeGreaterThanOrEqual(3);

    async function ask(name: string, pool: string, count: number) {
      const res = await api.post('/requests', {
        team: ML,
        cluster: pool === EDGE ? 'lab-edge' : 'lab-main',
        namespace: ns(name),
        gpus: [{ pool, count }],
        cpu: '4',
        memory: '16Gi',
        duration: 'PT4H',
        justification: 'idle reclaim e2e',
        ephemeral: false,
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }
    // idle (reclaimed), kept, busy; together they fill the pool.
    const idle = await ask('idle', H100, 1);
    const kept = await ask('kept', H100, 1);
    const busy = await ask('busy', H100, free - 2);
    const edge = await ask('edge', EDGE, 1);
    const next = await ask('next', H100, 1);
    expect((await api.get(`/requests/${next}`)).body.status).toBe('queued');
    for (const id of [idle, kept, busy, edge]) {
      await untilStatus(api, id, 'active');
    }

    // Jobs through each namespace's LocalQueue; the lab's exporter reports
    // their GPUs with the activity the pods were told to have.
    for (const [name, activity] of [
      ['idle', '0.01'],
      ['kept', '0.02'],
      ['busy', '0.9'],
    ]) {
      const r = await kubectl.run(
        ['apply', '-f', '-'],
        job(ns(name), activity),
      );
      expect(r.code).toBe(0);
    }
    for (const name of ['idle', 'kept', 'busy']) {
      await eventually(
        async () => {
          const pods = await kubectlJson(['get', 'pods', '-n', ns(name)]);
          return pods.items.some((p: any) => p.status?.phase === 'Running');
        },
        { timeoutMs: 30_000, what: `a running GPU pod in ${ns(name)}` },
      );
    }

    // The owners are nudged in the portal's language (Korean by default),
    // with one-click links.
    const notices = await eventually(
      async () => {
        const res = await fetch(
          `${backend.baseUrl}/api/notifications/notifications?limit=50`,
          {
            headers: { Authorization: `Bearer ${token}` },
          },
        );
        const items: any[] = (await res.json()).notifications ?? [];
        const found = ['idle', 'kept'].map(n =>
          items.find(i =>
            String(i.payload.title).includes(
              `${ns(n)}의 GPU가 유휴 상태입니다`,
            ),
          ),
        );
        return found.every(Boolean) ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'idle notices for the idle and kept leases' },
    );
    // The reclaim time in the portal's time zone (Seoul), not UTC ISO.
    expect(notices[0].payload.title).toMatch(/\(GMT\+9\)에 회수됩니다$/);
    expect(notices[0].payload.description).toContain(
      `/gpu-pool/requests/${idle}?reclaim=keep`,
    );
    expect(notices[0].payload.description).toContain(
      `/gpu-pool/requests/${idle}?reclaim=release`,
    );

    // "Keep" answers the nudge for the kept lease.
    const keep = await api.post(`/reclaim/requests/${kept}/keep`, {
      reason: 'demo',
    });
    expect(keep.status).toBe(200);
    expect(keep.body.phase).toBe('kept');

    // No answer for the idle one: reclaimed after the grace; the queue advances.
    const reclaimed = await eventually(
      async () => {
        const r = (await api.get(`/requests/${idle}`)).body;
        return r.status === 'released' ? r : undefined;
      },
      { timeoutMs: 40_000, what: `request ${idle} reclaimed` },
    );
    const reasons: string[] = reclaimed.history.map((h: any) => h.reason);
    expect(
      reasons.some(r => r.startsWith('idle: every GPU stayed below 5%')),
    ).toBe(true);
    expect(reasons.at(-1)).toMatch(/^reclaimed-idle: no answer within 0.2 min/);
    await untilStatus(api, next, 'active');
    // kubectl: the reclaimed namespace's LocalQueue drains, its workload is
    // evicted and its pods are gone.
    const withdrawn = await eventually(
      async () => {
        const pods = await kubectlJson(['get', 'pods', '-n', ns('idle')]);
        const wls = await kubectlJson([
          'get',
          'workloads.kueue.x-k8s.io',
          '-n',
          ns('idle'),
        ]);
        const queue = await kubectlJson([
          'get',
          'localqueues.kueue.x-k8s.io',
          'portal-gpu-pool',
          '-n',
          ns('idle'),
        ]);
        const evicted = (w: any) =>
          w.spec.active === false ||
          (w.status?.conditions ?? []).some(
            (c: any) => c.type === 'Evicted' && c.status === 'True',
          );
        return pods.items.length === 0 &&
          wls.items.length > 0 &&
          wls.items.every(evicted)
          ? queue
          : undefined;
      },
      {
        timeoutMs: 30_000,
        what: `pods and workloads of ${ns('idle')} withdrawn`,
      },
    );
    expect(withdrawn.spec.stopPolicy).toBe('HoldAndDrain');
    // The busy and kept leases' jobs still run.
    for (const name of ['kept', 'busy']) {
      const pods = await kubectlJson(['get', 'pods', '-n', ns(name)]);
      expect(pods.items.map((p: any) => p.status.phase)).toEqual(['Running']);
    }

    // Kept and busy leases stay; the busy one was never nudged.
    for (const id of [kept, busy]) {
      expect((await api.get(`/requests/${id}`)).body.status).toBe('active');
    }
    const busyHistory: any[] = (await api.get(`/requests/${busy}`)).body
      .history;
    expect(busyHistory.some(h => /idle/.test(h.reason))).toBe(false);
    expect((await api.get(`/reclaim/requests/${busy}`)).body).toMatchObject({
      phase: 'watching',
      lastOutcome: 'busy',
    });
    const keptHistory: any[] = (await api.get(`/requests/${kept}`)).body
      .history;
    expect(
      keptHistory.some(h =>
        /^idle reclaim: kept until .*: demo$/.test(h.reason),
      ),
    ).toBe(true);
    // lab-edge has no GPU metrics: checked, never reclaimed.
    expect((await api.get(`/reclaim/requests/${edge}`)).body).toMatchObject({
      phase: 'watching',
      lastOutcome: 'no-metrics',
    });
    expect((await api.get(`/requests/${edge}`)).body.status).toBe('active');

    // Showback: the reclaimed hours and busy hours from Prometheus; lab-edge "no metrics".
    const report = (
      await api.get(`/showback?period=day&team=${encodeURIComponent(ML)}`)
    ).body;
    const h100Rows = report.rows.filter((r: any) => r.pool === H100);
    expect(
      h100Rows.reduce((s: number, r: any) => s + r.reclaimedGpuHours, 0),
    ).toBeGreaterThan(3.9);
    expect(h100Rows.every((r: any) => typeof r.busyGpuHours === 'number')).toBe(
      true,
    );
    expect(report.rows.find((r: any) => r.pool === EDGE)).toMatchObject({
      busyMissing: 'no-metrics',
    });

    // Prometheus down: the check says so, and nothing is reclaimed.
    prometheus!.kill('SIGTERM');
    await eventually(
      async () =>
        (await api.get(`/reclaim/requests/${busy}`)).body.lastOutcome ===
        'metrics-unavailable',
      { timeoutMs: 20_000, what: 'the check seeing Prometheus down' },
    );
    for (const id of [kept, busy]) {
      expect((await api.get(`/requests/${id}`)).body.status).toBe('active');
    }
  });
});
