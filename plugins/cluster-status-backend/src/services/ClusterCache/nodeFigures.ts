import type { NodeHealth } from '@internal/plugin-cluster-status-common';
import type { NodeRecord, PodRecord, Requests } from './projections';

// Predicates and arithmetic over the projections, shared by the summary and
// the details of a cluster.

/** Condition taints the node lifecycle controller sets; they block scheduling. */
const BLOCKING_TAINT = /^node\.kubernetes\.io\//;

export function isActive(pod: PodRecord): boolean {
  return (
    pod.nodeName !== undefined &&
    pod.phase !== 'Succeeded' &&
    pod.phase !== 'Failed'
  );
}

export function isReady(node: NodeRecord): boolean {
  return node.conditions.some(c => c.type === 'Ready' && c.status === 'True');
}

export function healthOf(node: NodeRecord): NodeHealth {
  if (!isReady(node)) {
    return 'not-ready';
  }
  if (
    node.conditions.some(
      c => c.type.endsWith('Pressure') && c.status === 'True',
    )
  ) {
    return 'pressure';
  }
  return node.unschedulable ? 'cordoned' : 'ready';
}

/** Whether free capacity on the node can be used by new pods right now. */
export function isSchedulable(node: NodeRecord): boolean {
  return (
    isReady(node) &&
    !node.unschedulable &&
    !node.taints.some(
      t =>
        BLOCKING_TAINT.test(t.key) &&
        (t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
    )
  );
}

export function emptyRequests(): Requests {
  return { cpu: 0, memory: 0, gpus: 0, mig: {} };
}

export function addInto(target: Requests, add: Requests): void {
  target.cpu += add.cpu;
  target.memory += add.memory;
  target.gpus += add.gpus;
  for (const [k, v] of Object.entries(add.mig)) {
    target.mig[k] = (target.mig[k] ?? 0) + v;
  }
}

export function kubernetesVersion(nodes: NodeRecord[]): string | undefined {
  const controlPlane = nodes.find(
    n => n.roles.includes('control-plane') && n.kubeletVersion,
  );
  if (controlPlane) {
    return controlPlane.kubeletVersion;
  }
  const counts = new Map<string, number>();
  for (const n of nodes) {
    if (n.kubeletVersion) {
      counts.set(n.kubeletVersion, (counts.get(n.kubeletVersion) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export function gpuCount(total: number, allocated: number, free: number) {
  return {
    total,
    allocated,
    free,
    unavailable: Math.max(0, total - allocated - free),
  };
}
