import {
  ClusterConnectionStatus,
  ClusterDetails,
  ClusterSummary,
  GpuModelCount,
  GpuProfileCount,
  NamespaceDetails,
  NodeDetails,
  NodeHealth,
  ProblemPod,
  QuotaUsage,
  WarningEvent,
} from '@internal/plugin-cluster-status-common';
import {
  EventRecord,
  NamespaceRecord,
  NodeRecord,
  PodRecord,
  QuotaRecord,
  Requests,
} from './projections';
import { parseQuantityNumber } from '@internal/kubernetes-quantity';

/** Warning events served per cluster, most recent first. */
const MAX_EVENTS = 50;

type Kind = 'nodes' | 'pods' | 'namespaces' | 'quotas' | 'events';

/** Condition taints the node lifecycle controller sets; they block scheduling. */
const BLOCKING_TAINT = /^node\.kubernetes\.io\//;

function isActive(pod: PodRecord): boolean {
  return (
    pod.nodeName !== undefined &&
    pod.phase !== 'Succeeded' &&
    pod.phase !== 'Failed'
  );
}

function isReady(node: NodeRecord): boolean {
  return node.conditions.some(c => c.type === 'Ready' && c.status === 'True');
}

function healthOf(node: NodeRecord): NodeHealth {
  if (!isReady(node)) {
    return 'not-ready';
  }
  if (
    node.conditions.some(c => c.type.endsWith('Pressure') && c.status === 'True')
  ) {
    return 'pressure';
  }
  return node.unschedulable ? 'cordoned' : 'ready';
}

/** Whether free capacity on the node can be used by new pods right now. */
function isSchedulable(node: NodeRecord): boolean {
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

function emptyRequests(): Requests {
  return { cpu: 0, memory: 0, gpus: 0, mig: {} };
}

function addInto(target: Requests, add: Requests): void {
  target.cpu += add.cpu;
  target.memory += add.memory;
  target.gpus += add.gpus;
  for (const [k, v] of Object.entries(add.mig)) {
    target.mig[k] = (target.mig[k] ?? 0) + v;
  }
}

function kubernetesVersion(nodes: NodeRecord[]): string | undefined {
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

function gpuCount(total: number, allocated: number, free: number) {
  return {
    total,
    allocated,
    free,
    unavailable: Math.max(0, total - allocated - free),
  };
}

/**
 * The cached state of one cluster: slim projections of its objects,
 * its connection status, and the figures derived from them. Derived views
 * are computed at most once per change, so page views cost no recomputation
 * while nothing changes.
 */
export class ClusterState {
  readonly name: string;
  readonly title: string;
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly pods = new Map<string, PodRecord>();
  private readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly quotas = new Map<string, QuotaRecord>();
  private readonly events = new Map<string, EventRecord>();
  private readonly synced = new Set<Kind>();
  private status: ClusterConnectionStatus = 'pending';
  private error?: string;
  private lastContact?: Date;
  private updatedAt?: Date;
  private revision = 0;
  private summaryCache?: { revision: number; value: ClusterSummary };
  private detailsCache?: { revision: number; value: ClusterDetails };

  constructor(options: { name: string; title: string }) {
    this.name = options.name;
    this.title = options.title;
  }

  /** Increases with every change of data or status. */
  getRevision(): number {
    return this.revision;
  }

  getStatus(): ClusterConnectionStatus {
    return this.status;
  }

  /** Whether every resource type was listed at least once. */
  isSynced(): boolean {
    return this.synced.size === 5;
  }

  private touch(): void {
    this.revision += 1;
    this.updatedAt = new Date();
  }

  /** Records a successful call; returns whether the status changed. */
  markContact(at = new Date()): boolean {
    this.lastContact = at;
    if (this.status === 'reachable') {
      return false;
    }
    this.status = 'reachable';
    this.error = undefined;
    this.touch();
    return true;
  }

  /** Records a failed call; returns whether the status changed. */
  markFailure(status: 'unreachable' | 'authentication-failed', error: string) {
    const changed = this.status !== status || this.error !== error;
    this.status = status;
    this.error = error;
    if (changed) {
      this.touch();
    }
    return changed;
  }

  private replace<T>(
    kind: Kind,
    map: Map<string, T>,
    items: T[],
    key: (item: T) => string,
  ) {
    map.clear();
    for (const item of items) {
      map.set(key(item), item);
    }
    this.synced.add(kind);
    this.touch();
  }

  private apply<T>(
    map: Map<string, T>,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    item: T,
    key: (item: T) => string,
  ) {
    if (type === 'DELETED') {
      map.delete(key(item));
    } else {
      map.set(key(item), item);
    }
    this.touch();
  }

  replaceNodes(items: NodeRecord[]) {
    this.replace('nodes', this.nodes, items, n => n.name);
  }
  applyNode(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: NodeRecord) {
    this.apply(this.nodes, type, item, n => n.name);
  }
  replacePods(items: PodRecord[]) {
    this.replace('pods', this.pods, items, p => `${p.namespace}/${p.name}`);
  }
  applyPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: PodRecord) {
    this.apply(this.pods, type, item, p => `${p.namespace}/${p.name}`);
  }
  replaceNamespaces(items: NamespaceRecord[]) {
    this.replace('namespaces', this.namespaces, items, n => n.name);
  }
  applyNamespace(
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    item: NamespaceRecord,
  ) {
    this.apply(this.namespaces, type, item, n => n.name);
  }
  replaceQuotas(items: QuotaRecord[]) {
    this.replace('quotas', this.quotas, items, q => `${q.namespace}/${q.name}`);
  }
  applyQuota(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: QuotaRecord) {
    this.apply(this.quotas, type, item, q => `${q.namespace}/${q.name}`);
  }
  replaceEvents(items: EventRecord[]) {
    this.replace(
      'events',
      this.events,
      items.filter(e => e.warning),
      e => e.key,
    );
  }
  applyEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: EventRecord) {
    if (!item.warning && type !== 'DELETED') {
      return;
    }
    this.apply(this.events, type, item, e => e.key);
  }

  /** Namespace records, for the catalog and the permission rules. */
  listNamespaces(): NamespaceRecord[] {
    return [...this.namespaces.values()];
  }

  getNamespace(name: string): NamespaceRecord | undefined {
    return this.namespaces.get(name);
  }

  private requestsByNode(): Map<string, Requests> {
    const byNode = new Map<string, Requests>();
    for (const pod of this.pods.values()) {
      if (!isActive(pod)) {
        continue;
      }
      let acc = byNode.get(pod.nodeName!);
      if (!acc) {
        acc = emptyRequests();
        byNode.set(pod.nodeName!, acc);
      }
      addInto(acc, pod.requests);
    }
    return byNode;
  }

  summary(): ClusterSummary {
    if (this.summaryCache?.revision === this.revision) {
      return this.summaryCache.value;
    }
    const value = this.computeSummary(this.requestsByNode());
    this.summaryCache = { revision: this.revision, value };
    return value;
  }

  private computeSummary(byNode: Map<string, Requests>): ClusterSummary {
    const nodes = [...this.nodes.values()];
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
    for (const pod of this.pods.values()) {
      if (pod.phase === 'Running') running += 1;
      else if (pod.phase === 'Pending') pending += 1;
      else if (pod.phase === 'Failed') failed += 1;
    }

    const byName = <T>(key: (t: T) => string) => (a: T, b: T) =>
      key(a).localeCompare(key(b));
    return {
      name: this.name,
      title: this.title,
      status: this.status,
      version: kubernetesVersion(nodes),
      lastContact: this.lastContact?.toISOString(),
      error: this.error,
      updatedAt: this.updatedAt?.toISOString(),
      nodes: {
        total: nodes.length,
        ready,
        notReady: nodes.length - ready,
        cordoned,
      },
      pods: { total: this.pods.size, running, pending, failed },
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

  /** Everything about the cluster, before any permission filtering. */
  details(): ClusterDetails {
    if (this.detailsCache?.revision === this.revision) {
      return this.detailsCache.value;
    }
    const byNode = this.requestsByNode();
    const summary = this.summary();
    const podsByNode = new Map<string, number>();
    const nsPods = new Map<string, { pods: number; gpus: number }>();
    const problemPods: ProblemPod[] = [];
    for (const pod of this.pods.values()) {
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

    const nodeDetails: NodeDetails[] = [...this.nodes.values()]
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
    for (const quota of this.quotas.values()) {
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
    const namespaces: NamespaceDetails[] = [...this.namespaces.values()]
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

    const warningEvents: WarningEvent[] = [...this.events.values()]
      .sort((a, b) =>
        (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
      )
      .map(e => ({
        namespace: e.namespace,
        involvedObject: { kind: e.involvedObject.kind, name: e.involvedObject.name },
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
    this.detailsCache = { revision: this.revision, value };
    return value;
  }
}

/**
 * Keeps the namespaces the caller may see in detail and reduces the rest to
 * counts and totals. Node-level figures stay: they name no team's workloads.
 */
export function redactDetails(
  details: ClusterDetails,
  canSee: (namespace: string) => boolean,
): ClusterDetails {
  const namespaces: NamespaceDetails[] = [];
  const hidden = { count: 0, pods: 0, gpuRequested: 0 };
  for (const ns of details.namespaces) {
    if (canSee(ns.name)) {
      namespaces.push(ns);
    } else {
      hidden.count += 1;
      hidden.pods += ns.pods;
      hidden.gpuRequested += ns.gpuRequested;
    }
  }
  const problemPods = details.problemPods.filter(p => canSee(p.namespace));
  const visibleEvents = details.warningEvents.filter(
    e => e.namespace === undefined || e.involvedObject.kind === 'Node' || canSee(e.namespace),
  );
  return {
    ...details,
    namespaces,
    hiddenNamespaces: hidden,
    problemPods,
    hiddenProblemPods: details.problemPods.length - problemPods.length,
    warningEvents: visibleEvents.slice(0, MAX_EVENTS),
    hiddenWarningEvents: details.warningEvents.length - visibleEvents.length,
  };
}
