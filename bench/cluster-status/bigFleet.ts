// A lab fleet of 10 clusters, 5,000 nodes and 20,000 pods in total, written
// as a lab-cluster fixture (generators keep the file small).
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { stringify } from 'yaml';

const MODELS = [
  { product: 'NVIDIA-H100-80GB-HBM3', gpus: 8, mig: {} as Record<string, number> },
  { product: 'NVIDIA-A100-SXM4-80GB', gpus: 4, mig: { '1g.10gb': 14, '3g.40gb': 4 } },
  { product: 'NVIDIA-L40S', gpus: 4, mig: {} },
  { product: 'NVIDIA-A30', gpus: 1, mig: { '1g.6gb': 4 } },
];

export const CLUSTERS = 10;
export const NODES_PER_CLUSTER = 500;
export const PODS_PER_CLUSTER = 2000;
const NAMESPACES = 20;

function clusterFixture(index: number) {
  const name = `bench-${index}`;
  const perModel = NODES_PER_CLUSTER / MODELS.length;
  const ready = [
    { type: 'MemoryPressure', status: 'False' },
    { type: 'DiskPressure', status: 'False' },
    { type: 'PIDPressure', status: 'False' },
    { type: 'Ready', status: 'True', reason: 'KubeletReady' },
  ];
  const generate: any[] = MODELS.map((m, mi) => {
    const resources: Record<string, string> = {
      cpu: '128',
      memory: '1056561584Ki',
      pods: '110',
      'nvidia.com/gpu': String(m.gpus),
    };
    for (const [profile, n] of Object.entries(m.mig)) {
      resources[`nvidia.com/mig-${profile}`] = String(n);
    }
    return {
      count: perModel,
      template: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: `gpu-${mi}-{{i}}`,
          labels: {
            'kubernetes.io/hostname': `gpu-${mi}-{{i}}`,
            'node-role.kubernetes.io/gpu': '',
            'nvidia.com/gpu.product': m.product,
            'nvidia.com/gpu.count': String(m.gpus),
            'nvidia.com/gpu.memory': '81920',
          },
        },
        status: {
          capacity: resources,
          allocatable: resources,
          conditions: ready,
          nodeInfo: { kubeletVersion: 'v1.31.4' },
        },
      },
    };
  });
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: `team-${i}`,
      labels: { 'portal.cloud-smart.io/owner': `team-${i % 5}` },
    },
  }));
  const quotas = namespaces.map(ns => ({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'gpu', namespace: ns.metadata.name },
    spec: { hard: { pods: '500', 'requests.nvidia.com/gpu': '64' } },
  }));
  // Pods spread over namespaces and the first model's nodes; one GPU each.
  for (let ns = 0; ns < NAMESPACES; ns++) {
    generate.push({
      count: PODS_PER_CLUSTER / NAMESPACES,
      template: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `worker-${ns}-{{i}}`,
          namespace: `team-${ns}`,
          labels: { app: `worker-${ns}` },
        },
        spec: {
          nodeName: `gpu-0-{{i%${perModel}}}`,
          containers: [
            {
              name: 'main',
              image: 'registry.local/worker:1',
              resources: {
                requests: { cpu: '1', memory: '4Gi', 'nvidia.com/gpu': ns % 4 === 0 ? '1' : '0' },
              },
            },
          ],
        },
        status: { phase: 'Running' },
      },
    });
  }
  return {
    name,
    version: 'v1.31.4',
    tokens: { admin: `${name}-admin-token` },
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
      ...namespaces,
      ...quotas,
    ],
    generate,
  };
}

/** Writes the fixture and returns its path. */
export function writeBigFleetFixture(): string {
  const file = path.join(os.tmpdir(), `cluster-status-bench-fleet.yaml`);
  fs.writeFileSync(
    file,
    stringify({ clusters: Array.from({ length: CLUSTERS }, (_, i) => clusterFixture(i + 1)) }),
  );
  return file;
}
