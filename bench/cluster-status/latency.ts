// GET /clusters and GET /clusters/{name} latency with 20 concurrent clients
// over a 10-cluster, 5,000-node, 20,000-pod lab fleet, and the cache's heap.
//
// Run: node --expose-gc --import tsx bench/cluster-status/latency.ts
// (from the repository root, after `source scripts/env.sh`).
//
// The lab fleet runs in a child process so that the heap figure is the
// portal's alone. The plugin's real cache, service and router are used; the
// Backstage auth middleware is replaced by fixed credentials.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DefaultGpuMetrics, DefaultKubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import { DefaultClusterCache } from '../../plugins/cluster-status-backend/src/services/ClusterCache/DefaultClusterCache';
import { AuthorizedClusterStatusService } from '../../plugins/cluster-status-backend/src/services/ClusterStatusService/AuthorizedClusterStatusService';
import { DefaultGpuActivityService } from '../../plugins/cluster-status-backend/src/services/GpuActivity/DefaultGpuActivityService';
import { createRouter } from '../../plugins/cluster-status-backend/src/router';
import { isNamespaceOwnerRule } from '../../plugins/cluster-status-backend/src/permissions/rules';
import { CLUSTERS, NODES_PER_CLUSTER, PODS_PER_CLUSTER, writeBigFleetFixture } from './bigFleet';

const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 17443);
const CONCURRENCY = 20;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);

const silentLogger: any = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

function startLab(fixture: string): Promise<() => void> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(
    path.join(root, 'packages/lab-cluster/bin/lab-cluster'),
    ['--fixture', fixture, '--base-port', String(BASE_PORT), '--tls-base-port', String(BASE_PORT + 100), '--admin-port', String(BASE_PORT - 3)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', d => {
      out += d;
      if (out.includes('admin:')) resolve(() => child.kill('SIGTERM'));
    });
    child.on('exit', code => reject(new Error(`lab-cluster exited with ${code}`)));
  });
}

function get(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, res => {
        let bytes = 0;
        res.on('data', d => (bytes += d.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      })
      .on('error', reject);
  });
}
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

async function load(urls: () => string) {
  const latencies: number[] = [];
  let bytes = 0;
  const deadline = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const start = process.hrtime.bigint();
        const res = await get(urls());
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        bytes = res.bytes;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return { requests: latencies.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: latencies[latencies.length - 1].toFixed(1), bytes };
}

async function main() {
  const fixture = writeBigFleetFixture();
  const stopLab = await startLab(fixture);
  try {
    const gc = (global as any).gc as (() => void) | undefined;
    gc?.();
    const baseline = process.memoryUsage().heapUsed;
    const config = new ConfigReader({
      kubernetesAccess: {
        defaultTimeoutMs: 30_000,
        clusters: Array.from({ length: CLUSTERS }, (_, i) => ({
          name: `bench-${i + 1}`,
          url: `http://127.0.0.1:${BASE_PORT + i}`,
          auth: { provider: 'serviceAccount', serviceAccountToken: `bench-${i + 1}-admin-token` },
        })),
      },
    });
    const kubernetesAccess = DefaultKubernetesAccess.fromConfig(config, { logger: silentLogger });
    const cache = DefaultClusterCache.create({ kubernetesAccess, logger: silentLogger });
    const syncStart = Date.now();
    cache.start();
    await cache.waitForInitialSync(300_000);
    const syncMs = Date.now() - syncStart;
    const summaries = cache.listSummaries();
    const nodes = summaries.reduce((n, s) => n + s.nodes.total, 0);
    const pods = summaries.reduce((n, s) => n + s.pods.total, 0);
    if (nodes !== CLUSTERS * NODES_PER_CLUSTER || pods !== CLUSTERS * PODS_PER_CLUSTER) {
      throw new Error(`cache incomplete: ${nodes} nodes, ${pods} pods`);
    }
    gc?.();
    const cacheHeapMiB = (process.memoryUsage().heapUsed - baseline) / 2 ** 20;

    const ruleset = { getRuleByName: () => isNamespaceOwnerRule };
    const service = AuthorizedClusterStatusService.create({
      cache,
      // The bench measures the cache; its clusters have no GPU metrics.
      gpuActivity: DefaultGpuActivityService.fromConfig(config, {
        cache,
        gpuMetrics: DefaultGpuMetrics.fromConfig(config, { logger: silentLogger }),
        logger: silentLogger,
      }),
      permissions: {
        authorize: async (reqs: any[]) => reqs.map(() => ({ result: AuthorizeResult.ALLOW })),
        authorizeConditional: async (reqs: any[]) => reqs.map(() => ({ result: AuthorizeResult.ALLOW })),
      } as any,
      permissionsRegistry: { getPermissionRuleset: () => ruleset } as any,
    });
    const app = express();
    app.use(
      '/api/cluster-status',
      await createRouter({
        httpAuth: { credentials: async () => ({ principal: { type: 'user', userEntityRef: 'user:default/bench' } }) } as any,
        clusterStatus: service,
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise(r => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/cluster-status`;

    // Warm up.
    await load(() => `${base}/clusters`).catch(() => undefined);
    const list = await load(() => `${base}/clusters`);
    let i = 0;
    const details = await load(() => `${base}/clusters/bench-${(i++ % CLUSTERS) + 1}`);
    gc?.();
    const rssMiB = process.memoryUsage().rss / 2 ** 20;

    console.log(`fleet: ${CLUSTERS} clusters, ${nodes} nodes, ${pods} pods; initial sync ${syncMs} ms`);
    console.log(`cache heap: ${cacheHeapMiB.toFixed(0)} MiB (process RSS ${rssMiB.toFixed(0)} MiB)${gc ? '' : ' [run with --expose-gc for a precise figure]'}`);
    console.log(`GET /clusters        ${CONCURRENCY} clients ${DURATION_MS / 1000}s: ${list.requests} req, p50 ${list.p50} ms, p95 ${list.p95} ms, p99 ${list.p99} ms, max ${list.max} ms, ${(list.bytes / 1024).toFixed(0)} KiB`);
    console.log(`GET /clusters/{name} ${CONCURRENCY} clients ${DURATION_MS / 1000}s: ${details.requests} req, p50 ${details.p50} ms, p95 ${details.p95} ms, p99 ${details.p99} ms, max ${details.max} ms, ${(details.bytes / 1024).toFixed(0)} KiB`);
    server.close();
    agent.destroy();
    await cache.stop();
  } finally {
    stopLab();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
