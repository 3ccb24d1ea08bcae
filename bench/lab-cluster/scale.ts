/* eslint-disable no-console */
// Scale benchmark of the lab cluster: 10 clusters, 5,000 nodes and 20,000 pods
// in one process. Run: node_modules/.bin/tsx bench/lab-cluster/scale.ts
// (add NODE_OPTIONS=--expose-gc for heap figures after a full GC).
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { FleetFixture, startLabFleet } from '../../packages/lab-cluster/src';

const CLUSTERS = 10;
const NODES_PER_CLUSTER = 500;
const PODS_PER_CLUSTER = 2000;
const GPU_PRODUCTS = [
  'NVIDIA-A100-SXM4-80GB',
  'NVIDIA-H100-80GB-HBM3',
  'NVIDIA-L40S',
  'NVIDIA-A30',
];

function fixture(): FleetFixture {
  return {
    clusters: Array.from({ length: CLUSTERS }, (_, c) => ({
      name: `scale-${c}`,
      tokens: { admin: `scale-${c}-admin` },
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: 'batch',
            labels: { 'portal.cloud-smart.io/owner': 'ml-team' },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'gpu-quota', namespace: 'batch' },
          spec: { hard: { pods: '5000', 'requests.nvidia.com/gpu': '4000' } },
        },
      ],
      generate: [
        {
          count: NODES_PER_CLUSTER,
          template: {
            apiVersion: 'v1',
            kind: 'Node',
            metadata: {
              name: `c${c}-gpu-{{i}}`,
              labels: {
                'kubernetes.io/hostname': `c${c}-gpu-{{i}}`,
                'node-role.kubernetes.io/gpu': '',
                'topology.kubernetes.io/zone': 'zone-{{i%4}}',
                'nvidia.com/gpu.product': GPU_PRODUCTS[c % GPU_PRODUCTS.length],
                'nvidia.com/gpu.count': '8',
                'nvidia.com/gpu.memory': '81920',
              },
            },
            status: {
              capacity: {
                cpu: '128',
                memory: '1056561584Ki',
                pods: '110',
                'nvidia.com/gpu': '8',
              },
              allocatable: {
                cpu: '126',
                memory: '1046075824Ki',
                pods: '110',
                'nvidia.com/gpu': '8',
              },
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'KubeletReady',
                  message: 'kubelet is posting ready status',
                },
              ],
              nodeInfo: {
                kubeletVersion: 'v1.31.4',
                osImage: 'Ubuntu 22.04.4 LTS',
                containerRuntimeVersion: 'containerd://1.7.22',
              },
            },
          },
        },
        {
          count: PODS_PER_CLUSTER,
          template: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: 'job-{{i}}',
              namespace: 'batch',
              labels: {
                app: 'job',
                shard: 's{{i%16}}',
                'portal.cloud-smart.io/owner': 'ml-team',
              },
            },
            spec: {
              nodeName: `c${c}-gpu-{{i%${NODES_PER_CLUSTER}+1}}`,
              containers: [
                {
                  name: 'main',
                  image: 'registry.cloud-smart.io/ml/train:1.0.{{i%7}}',
                  resources: {
                    requests: {
                      cpu: '4',
                      memory: '32Gi',
                      'nvidia.com/gpu': '1',
                    },
                    limits: { 'nvidia.com/gpu': '1' },
                  },
                },
              ],
            },
            status: {
              phase: 'Running',
              podIP: '10.{{i%250}}.{{i/250}}.7',
              conditions: [{ type: 'Ready', status: 'True' }],
              containerStatuses: [
                {
                  name: 'main',
                  ready: true,
                  restartCount: 0,
                  image: 'train',
                  imageID: '',
                  state: { running: {} },
                },
              ],
            },
          },
        },
      ],
    })),
  };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await fn();
  return [performance.now() - started, result];
}

async function main(): Promise<void> {
  const baseline = process.memoryUsage();
  const [loadMs, fleet] = await time(() =>
    startLabFleet({ fixture: fixture() }),
  );
  try {
    (globalThis as any).gc?.();
    const mem = process.memoryUsage();
    console.log(
      `clusters: ${CLUSTERS}, nodes: ${CLUSTERS * NODES_PER_CLUSTER}, pods: ${
        CLUSTERS * PODS_PER_CLUSTER
      }`,
    );
    console.log(`startup (generate + seed + listen): ${loadMs.toFixed(0)} ms`);
    console.log(
      `rss: ${mib(mem.rss)} (baseline ${mib(baseline.rss)}), heapUsed: ${mib(
        mem.heapUsed,
      )}${(globalThis as any).gc ? ' after gc' : ''}`,
    );
    const limit = 1.5 * 1024 ** 3;
    console.log(`rss within 1.5 GiB: ${mem.rss < limit ? 'yes' : 'NO'}`);

    const c = fleet.clusters[3];
    const headers = { authorization: `Bearer ${c.token}` };
    const fetchJson = async (p: string) =>
      (await fetch(`${c.url}${p}`, { headers })).json();
    const [coldMs, cold] = await time(() =>
      fetchJson('/api/v1/namespaces/batch/pods'),
    );
    const warm: number[] = [];
    for (let i = 0; i < 5; i++)
      warm.push(
        (await time(() => fetchJson('/api/v1/namespaces/batch/pods')))[0],
      );
    console.log(
      `fetch list of ${cold.items.length}-pod namespace: cold ${coldMs.toFixed(
        0,
      )} ms, warm median ${median(warm).toFixed(0)} ms`,
    );

    const kc = new KubeConfig();
    kc.loadFromOptions({
      // client-node refuses plain HTTP unless skipTLSVerify is set.
      clusters: [{ name: c.name, server: c.url, skipTLSVerify: true }],
      users: [{ name: 'admin', token: c.token }],
      contexts: [{ name: c.name, cluster: c.name, user: 'admin' }],
      currentContext: c.name,
    });
    const core = kc.makeApiClient(CoreV1Api);
    const cn: number[] = [];
    let count = 0;
    for (let i = 0; i < 3; i++) {
      const [ms, list] = await time(() =>
        core.listNamespacedPod({ namespace: 'batch' }),
      );
      cn.push(ms);
      count = list.items.length;
    }
    console.log(
      `client-node listNamespacedPod (${count} pods, typed models): median ${median(
        cn,
      ).toFixed(0)} ms`,
    );

    const pages: number[] = [];
    let cont: string | undefined;
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const [ms, page] = await time(() =>
        fetchJson(
          `/api/v1/namespaces/batch/pods?limit=500${
            cont ? `&continue=${encodeURIComponent(cont)}` : ''
          }`,
        ),
      );
      pages.push(ms);
      total += page.items.length;
      cont = page.metadata.continue;
      if (!cont) break;
    }
    console.log(
      `limit=500 pages: ${
        pages.length
      } pages, ${total} pods, per page median ${median(pages).toFixed(
        0,
      )} ms, max ${Math.max(...pages).toFixed(0)} ms`,
    );

    const [selMs, sel] = await time(() =>
      fetchJson('/api/v1/pods?labelSelector=shard%3Ds3'),
    );
    console.log(
      `label-selected list across namespaces (${
        sel.items.length
      } of ${PODS_PER_CLUSTER}): ${selMs.toFixed(0)} ms`,
    );
    const [nodesMs, nodes] = await time(() => fetchJson('/api/v1/nodes'));
    console.log(`list ${nodes.items.length} nodes: ${nodesMs.toFixed(0)} ms`);
    const ok = coldMs < 1000 && mem.rss < limit;
    console.log(ok ? 'PASS: within budget' : 'FAIL: over budget');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await fleet.stop();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
