import type {
  ClusterConnectionStatus,
  ClusterSummary,
  GpuModelCount,
  GpuProfileCount,
} from '@internal/plugin-cluster-status-common';
import {
  emptyRequests,
  gpuCount,
  healthOf,
  isReady,
  isSchedulable,
  kubernetesVersion,
} from './nodeFigures';
import type {
  EventRecord,
  NamespaceRecord,
  NodeRecord,
  PodRecord,
  QuotaRecord,
  Requests,
} from './projections';

/** What a cluster's state holds, as its summary and details read it. */
export interface ClusterRecords {
  name: string;
  title: string;
  status: ClusterConnectionStatus;
  error?: string;
  lastContact?: Date;
  updatedAt?: Date;
  nodes: ReadonlyMap<string, NodeRecord>;
  pods: ReadonlyMap<string, PodRecord>;
  namespaces: ReadonlyMap<string, NamespaceRecord>;
  quotas: ReadonlyMap<string, QuotaRecord>;
  events: ReadonlyMap<string, EventRecord>;
}

/**
 * The fleet page's figures of one cluster (nodes, pods, CPU, memory, GPUs by
 * model and MIG profile) from its records and its active pods' requests per
 * node.
 */
export function computeSummary(
  cluster: ClusterRecords,
  byNode: Map<string, Requests>,
): ClusterSummary {
  const nodes = [...cluster.nodes.values()];
  const models = new Map<string, GpuModelCount>();
  const profiles = new Map<string, GpuProfileCount>();
  const gpus = { total: 0, allocated: 0, free: 0 };
  let cpuAllocatable = 0;
  let memoryAllocatable = 0;
  let ready = 0;
  let cordoned = 0;
  const nodeTiles: ClusterSummary['nodeTiles'] = [];

  for (const node of nodes) {
    const used = byNode.get(node.name) ?? emptyRequests();
    const schedulable = isSchedulable(node);
    cpuAllocatable += node.cpu;
    memoryAllocatable += node.memory;
    if (isReady(node)) {
      ready += 1;
    }
    if (node.unschedulable) {
      cordoned += 1;
    }
    const allocated = Math.min(used.gpus, node.gpus);
    const free = schedulable ? Math.max(0, node.gpus - used.gpus) : 0;
    gpus.total += node.gpus;
    gpus.allocated += allocated;
    gpus.free += free;
    if (node.gpus > 0) {
      const model = node.gpuProduct ?? 'unknown';
      const m = models.get(model) ?? {
        model,
        memoryMiB: node.gpuMemoryMiB,
        total: 0,
        allocated: 0,
        free: 0,
        unavailable: 0,
      };
      m.total += node.gpus;
      m.allocated += allocated;
      m.free += free;
      models.set(model, m);
    }
    let sliceTotal = 0;
    let sliceAllocated = 0;
    for (const [profile, total] of Object.entries(node.mig)) {
      const usedSlices = Math.min(used.mig[profile] ?? 0, total);
      const p = profiles.get(profile) ?? {
        profile,
        total: 0,
        allocated: 0,
        free: 0,
        unavailable: 0,
      };
      p.total += total;
      p.allocated += usedSlices;
      p.free += schedulable ? total - usedSlices : 0;
      profiles.set(profile, p);
      sliceTotal += total;
      sliceAllocated += usedSlices;
    }
    nodeTiles.push({
      name: node.name,
      health: healthOf(node),
      gpuModel: node.gpuProduct,
      gpuTotal: node.gpus + sliceTotal,
      gpuAllocated: allocated + sliceAllocated,
    });
  }

  let cpuRequested = 0;
  let memoryRequested = 0;
  for (const used of byNode.values()) {
    cpuRequested += used.cpu;
    memoryRequested += used.memory;
  }
  let running = 0;
  let pending = 0;
  let failed = 0;
  for (const pod of cluster.pods.values()) {
    if (pod.phase === 'Running') running += 1;
    else if (pod.phase === 'Pending') pending += 1;
    else if (pod.phase === 'Failed') failed += 1;
  }

  const byName =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  return {
    name: cluster.name,
    title: cluster.title,
    status: cluster.status,
    version: kubernetesVersion(nodes),
    lastContact: cluster.lastContact?.toISOString(),
    error: cluster.error,
    updatedAt: cluster.updatedAt?.toISOString(),
    nodes: {
      total: nodes.length,
      ready,
      notReady: nodes.length - ready,
      cordoned,
    },
    pods: { total: cluster.pods.size, running, pending, failed },
    cpu: {
      allocatable: cpuAllocatable,
      requested: Math.round(cpuRequested * 1000) / 1000,
    },
    memory: { allocatable: memoryAllocatable, requested: memoryRequested },
    gpus: {
      ...gpuCount(gpus.total, gpus.allocated, gpus.free),
      byModel: [...models.values()]
        .map(m => ({ ...m, ...gpuCount(m.total, m.allocated, m.free) }))
        .sort(byName(m => m.model)),
      byProfile: [...profiles.values()]
        .map(p => ({ ...p, ...gpuCount(p.total, p.allocated, p.free) }))
        .sort(byName(p => p.profile)),
    },
    nodeTiles: nodeTiles.sort(byName(t => t.name)),
  };
}
