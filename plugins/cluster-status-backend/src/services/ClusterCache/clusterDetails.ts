import type {
  ClusterDetails,
  ClusterSummary,
  NamespaceDetails,
  NodeDetails,
  ProblemPod,
  QuotaUsage,
  WarningEvent,
} from '@internal/plugin-cluster-status-common';
import { parseQuantityNumber } from '@internal/kubernetes-quantity';
import type { ClusterRecords } from './clusterSummary';
import {
  emptyRequests,
  gpuCount,
  healthOf,
  isActive,
  isSchedulable,
} from './nodeFigures';
import type { Requests } from './projections';

/**
 * Everything about the cluster, before any permission filtering: its summary,
 * each node, each namespace with its quotas, problem pods and warning events.
 */
export function computeDetails(
  cluster: ClusterRecords,
  byNode: Map<string, Requests>,
  summary: ClusterSummary,
): ClusterDetails {
  const podsByNode = new Map<string, number>();
  const nsPods = new Map<string, { pods: number; gpus: number }>();
  const problemPods: ProblemPod[] = [];
  for (const pod of cluster.pods.values()) {
    const ns = nsPods.get(pod.namespace) ?? { pods: 0, gpus: 0 };
    ns.pods += 1;
    if (isActive(pod)) {
      podsByNode.set(pod.nodeName!, (podsByNode.get(pod.nodeName!) ?? 0) + 1);
      ns.gpus += pod.requests.gpus;
    }
    nsPods.set(pod.namespace, ns);
    if (pod.problem) {
      problemPods.push({
        namespace: pod.namespace,
        name: pod.name,
        nodeName: pod.nodeName,
        ...pod.problem,
      });
    }
  }

  const nodeDetails: NodeDetails[] = [...cluster.nodes.values()]
    .map(node => {
      const used = byNode.get(node.name) ?? emptyRequests();
      const schedulable = isSchedulable(node);
      const hasGpu =
        node.gpus > 0 || Object.keys(node.mig).length > 0 || !!node.gpuProduct;
      return {
        name: node.name,
        health: healthOf(node),
        roles: node.roles,
        unschedulable: node.unschedulable,
        kubeletVersion: node.kubeletVersion,
        conditions: node.conditions,
        taints: node.taints,
        cpu: { allocatable: node.cpu, requested: used.cpu },
        memory: { allocatable: node.memory, requested: used.memory },
        pods: podsByNode.get(node.name) ?? 0,
        gpu: hasGpu
          ? {
              product: node.gpuProduct,
              count: node.gpuCount,
              memoryMiB: node.gpuMemoryMiB,
              migStrategy: node.migStrategy,
              devices: gpuCount(
                node.gpus,
                Math.min(used.gpus, node.gpus),
                schedulable ? Math.max(0, node.gpus - used.gpus) : 0,
              ),
              mig: Object.entries(node.mig)
                .map(([profile, total]) => {
                  const allocated = Math.min(used.mig[profile] ?? 0, total);
                  return {
                    profile,
                    ...gpuCount(
                      total,
                      allocated,
                      schedulable ? total - allocated : 0,
                    ),
                  };
                })
                .sort((a, b) => a.profile.localeCompare(b.profile)),
            }
          : undefined,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  const quotasByNs = new Map<string, QuotaUsage[]>();
  for (const quota of cluster.quotas.values()) {
    const list = quotasByNs.get(quota.namespace) ?? [];
    for (const [resource, hard] of Object.entries(quota.hard)) {
      const used = quota.used[resource] ?? '0';
      const hardValue = parseQuantityNumber(hard) ?? 0;
      list.push({
        resource,
        hard,
        used,
        ratio:
          hardValue > 0
            ? (parseQuantityNumber(used) ?? 0) / hardValue
            : undefined,
      });
    }
    quotasByNs.set(quota.namespace, list);
  }
  const namespaces: NamespaceDetails[] = [...cluster.namespaces.values()]
    .map(ns => ({
      name: ns.name,
      owner: ns.owner,
      pods: nsPods.get(ns.name)?.pods ?? 0,
      gpuRequested: nsPods.get(ns.name)?.gpus ?? 0,
      quotas: (quotasByNs.get(ns.name) ?? []).sort((a, b) =>
        a.resource.localeCompare(b.resource),
      ),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const warningEvents: WarningEvent[] = [...cluster.events.values()]
    .sort((a, b) =>
      (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
    )
    .map(e => ({
      namespace: e.namespace,
      involvedObject: {
        kind: e.involvedObject.kind,
        name: e.involvedObject.name,
      },
      reason: e.reason,
      message: e.message,
      count: e.count,
      lastTimestamp: e.lastTimestamp,
    }));

  const value: ClusterDetails = {
    ...summary,
    nodeDetails,
    namespaces,
    hiddenNamespaces: { count: 0, pods: 0, gpuRequested: 0 },
    problemPods: problemPods.sort(
      (a, b) =>
        a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    ),
    hiddenProblemPods: 0,
    warningEvents,
    hiddenWarningEvents: 0,
  };
  return value;
}
