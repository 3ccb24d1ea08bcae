// POST /api/gpu-pool/requests → `active`, against the real backend (dev
// config, started like the README's start command) and a lab fleet, with the
// Namespace and its quota already present in the lab cluster.
//
// Run (from the repository root, after `source scripts/env.sh`):
//   node_modules/.bin/tsx bench/gpu-pool/latency.ts
// Env: N (measured requests, default 100).
//
// Each round: the guest (jiwoo.kim, ml-team) requests 1 H100 (within the ML
// team's allowance) for the namespace `ml-bench`, polls GET /requests/{id}
// every 5 ms until it is active, then releases it (not timed) so the next
// round starts from the same state. A warm-up request creates the namespace
// first. Client-side figures include the polling; server-side figures are
// the request's own history (created → active).
import { startBackend } from '../../packages/e2e-tests/src/support/backend';
import { eventually } from '../../packages/e2e-tests/src/support/eventually';
import { guestToken } from '../../packages/e2e-tests/src/support/session';
import { gpuPoolApi } from '../../packages/e2e-tests/src/gpu-pool/support';

const N = Number(process.env.N ?? 100);
const NAMESPACE = 'ml-bench';

function quantile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function summary(label: string, values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const f = (v: number) => `${v.toFixed(0)} ms`;
  console.log(
    `${label.padEnd(34)} p50 ${f(quantile(s, 0.5)).padStart(7)}  p90 ${f(
      quantile(s, 0.9),
    ).padStart(7)}  ` +
      `p99 ${f(quantile(s, 0.99)).padStart(7)}  max ${f(
        s[s.length - 1],
      ).padStart(7)}  mean ${f(mean).padStart(7)}`,
  );
}

async function main() {
  const bootStart = Date.now();
  const backend = await startBackend();
  try {
    const token = await guestToken(backend.baseUrl, 'group:default/ml-team');
    console.log(
      `backend ready and guest signed in after ${(
        (Date.now() - bootStart) /
        1000
      ).toFixed(0)} s`,
    );
    const api = gpuPoolApi(backend.baseUrl, token);
    const body = {
      team: 'group:default/ml-team',
      cluster: 'lab-main',
      namespace: NAMESPACE,
      gpus: [{ pool: 'lab-main-h100', count: 1 }],
      cpu: '8',
      memory: '64Gi',
      duration: 'PT2H',
      justification: 'latency benchmark',
    };
    const cluster = backend.lab!.clusters.find(c => c.name === 'lab-main')!;
    async function quotaPresent() {
      const res = await fetch(
        `${cluster.url}/api/v1/namespaces/${NAMESPACE}/resourcequotas/portal-gpu-pool`,
        { headers: { authorization: `Bearer ${cluster.token}` } },
      );
      return res.status === 200;
    }

    async function round() {
      const t0 = performance.now();
      const created = await api.post('/requests', body);
      const tPost = performance.now() - t0;
      if (created.status !== 201) {
        throw new Error(
          `POST answered ${created.status}: ${JSON.stringify(created.body)}`,
        );
      }
      let request = created.body;
      while (request.status !== 'active') {
        if (
          ['failed', 'rejected', 'pending-approval'].includes(request.status)
        ) {
          throw new Error(
            `request ended ${request.status}: ${request.lastError ?? ''}`,
          );
        }
        await new Promise(r => setTimeout(r, 5));
        request = (await api.get(`/requests/${request.id}`)).body;
      }
      const tActive = performance.now() - t0;
      const history: Array<{ to: string; at: string }> = request.history;
      const server =
        Date.parse(history.find(h => h.to === 'active')!.at) -
        Date.parse(history[0].at);
      const released = await api.post(`/requests/${request.id}/release`, {});
      if (released.status !== 200)
        throw new Error(`release answered ${released.status}`);
      return { tPost, tActive, server };
    }

    // Warm-up: creates the namespace and its quota.
    await round();
    if (!(await quotaPresent()))
      throw new Error('the warm-up did not create the quota');
    await eventually(
      async () => {
        const pools = (await api.get('/pools')).body.items;
        return pools.find((p: any) => p.id === 'lab-main-h100').allocated === 0;
      },
      { timeoutMs: 10_000, what: 'the warm-up lease released' },
    );

    const post: number[] = [];
    const active: number[] = [];
    const server: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = await round();
      post.push(r.tPost);
      active.push(r.tActive);
      server.push(r.server);
    }
    console.log(
      `\n${N} requests, 1 × lab-main-h100 each, namespace ${NAMESPACE} present (targets: p50 < 1 s, p99 < 3 s)`,
    );
    summary('POST answered (201)', post);
    summary('POST → active (client)', active);
    summary('created → active (server history)', server);
    const errors = backend
      .output()
      .split('\n')
      .filter(l => /^\S+\s+gpu-pool\s+(error|warn)\s/.test(l));
    console.log(
      `gpu-pool warn/error log lines during the run: ${errors.length}`,
    );
    for (const line of errors.slice(0, 5)) console.log(`  ${line}`);
  } finally {
    await backend.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
