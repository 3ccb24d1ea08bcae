import type {
  ClusterConnectionStatus,
  ClusterDetails,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';
import { computeDetails } from './clusterDetails';
import { ClusterRecords, computeSummary } from './clusterSummary';
import { addInto, emptyRequests, isActive } from './nodeFigures';
import type {
  EventRecord,
  NamespaceRecord,
  NodeRecord,
  PodRecord,
  QuotaRecord,
  Requests,
} from './projections';

type Kind = 'nodes' | 'pods' | 'namespaces' | 'quotas' | 'events';

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
    const value = computeSummary(this.records(), this.requestsByNode());
    this.summaryCache = { revision: this.revision, value };
    return value;
  }

  /** The records and status, as the summary and the details read them. */
  private records(): ClusterRecords {
    return {
      name: this.name,
      title: this.title,
      status: this.status,
      error: this.error,
      lastContact: this.lastContact,
      updatedAt: this.updatedAt,
      nodes: this.nodes,
      pods: this.pods,
      namespaces: this.namespaces,
      quotas: this.quotas,
      events: this.events,
    };
  }

  /** Everything about the cluster, before any permission filtering. */
  details(): ClusterDetails {
    if (this.detailsCache?.revision === this.revision) {
      return this.detailsCache.value;
    }
    const value = computeDetails(
      this.records(),
      this.requestsByNode(),
      this.summary(),
    );
    this.detailsCache = { revision: this.revision, value };
    return value;
  }
}
