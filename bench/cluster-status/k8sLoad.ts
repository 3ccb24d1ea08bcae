// Requests per minute that reach the lab clusters while 20 users keep a view
// open: the cluster status fleet page (served from the watch cache) versus
// the upstream Kubernetes plugin's workload view (the Kubernetes tab, which
// refreshes every 10 s), on the same real backend and the same lab clusters.
// Counts come from the lab cluster's request counters.
//
// Run: node --import tsx bench/cluster-status/k8sLoad.ts   (repository root,
// after `source scripts/env.sh`; needs packages/app built like the e2e tests)
import { startBackend } from '../../packages/e2e-tests/src/support/backend';

const USERS = 20;
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 60_000);
const REFRESH_MS = 10_000;

async function main() {
  const backend = await startBackend();
  const lab = backend.lab!;
  const total = () =>
    lab.clusters.reduce(
      (n, c) => n + Object.values(lab.cluster(c.name).metrics()).reduce((a, b) => a + b, 0),
      0,
    );
  try {
    const auth = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const token = (await auth.json()).backstageIdentity.token as string;
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

    async function run(name: string, request: () => Promise<Response>) {
      const before = total();
      const deadline = Date.now() + WINDOW_MS;
      let calls = 0;
      await Promise.all(
        Array.from({ length: USERS }, async (_, u) => {
          await new Promise(r => setTimeout(r, (u * REFRESH_MS) / USERS));
          while (Date.now() < deadline) {
            const res = await request();
            if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
            await res.arrayBuffer();
            calls += 1;
            await new Promise(r => setTimeout(r, REFRESH_MS));
          }
        }),
      );
      const perMinute = ((total() - before) * 60_000) / WINDOW_MS;
      console.log(`${name}: ${calls} page refreshes by ${USERS} users in ${WINDOW_MS / 1000}s -> ${perMinute.toFixed(0)} Kubernetes API requests/min`);
      return perMinute;
    }

    // Let the cache finish its initial lists first.
    await new Promise(r => setTimeout(r, 5_000));
    // Ours: users refetch every 10 s (more often than the signal-driven page does).
    const ours = await run('cluster-status fleet page', () =>
      fetch(`${backend.baseUrl}/api/cluster-status/clusters`, { headers }),
    );
    const upstream = await run('upstream Kubernetes tab (payments-api)', () =>
      fetch(`${backend.baseUrl}/api/kubernetes/resources/workloads/query`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ entityRef: 'component:default/payments-api' }),
      }),
    );
    console.log(`ratio ours/upstream: ${(ours / upstream).toFixed(3)} (target <= 0.05)`);
  } finally {
    await backend.stop();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
