import { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import type { GpuHolderOutsideGrants } from '@internal/plugin-gpu-pool-common';
import { PoolConfig } from '../../config/readGpuPoolConfig';
import { podGpus } from '../Enforcement/beyondGrant';

/** Capacity of one pool. */
export interface PoolCapacity {
  /** Healthy allocatable minus the reserve. */
  capacity: number;
  /**
   * GPUs held by bound pods on healthy nodes that no active grant covers
   * (absent: none known, e.g. a capacity source without pods).
   */
  outsideGrants?: number;
  /** Those pods. */
  holders?: GpuHolderOutsideGrants[];
  /** False when the cluster could not be read and the value is the last known one. */
  live: boolean;
}

/** GPUs granted per namespace and pool, from requests that hold grants. */
export interface NamespaceGrant {
  cluster: string;
  namespace: string;
  pool: string;
  count: number;
}

/** The grants of requests, per namespace and pool. */
export function namespaceGrants(
  rows: Array<{
    cluster: string;
    namespace: string;
    gpus: Array<{ pool: string; count: number }>;
  }>,
): NamespaceGrant[] {
  return rows.flatMap(r =>
    r.gpus.map(g => ({
      cluster: r.cluster,
      namespace: r.namespace,
      pool: g.pool,
      count: g.count,
    })),
  );
}

/** What a pool can grant now: capacity minus what is held outside grants. */
export function grantable(cap: PoolCapacity | undefined) {
  return cap ? Math.max(0, cap.capacity - (cap.outsideGrants ?? 0)) : undefined;
}

/** Where pool capacity comes from. */
export interface CapacityService {
  /** Capacity per pool id; unknown pools are absent. */
  getCapacities(options?: {
    maxAgeMs?: number;
  }): Promise<Map<string, PoolCapacity>>;
}

/** Field manager of everything the GPU pool writes to clusters. */
export const GPU_POOL_FIELD_MANAGER = 'portal-gpu-pool';

interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: {
    unschedulable?: boolean;
    taints?: Array<{ key: string; effect: string }>;
  };
  status?: {
    allocatable?: Record<string, string>;
    conditions?: Array<{ type: string; status: string }>;
  };
}

/** Ready, schedulable, not tainted by the node lifecycle controller. */
function isHealthy(node: NodeLike) {
  const ready = node.status?.conditions?.some(
    c => c.type === 'Ready' && c.status === 'True',
  );
  const tainted = node.spec?.taints?.some(
    t =>
      t.key.startsWith('node.kubernetes.io/') &&
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
  );
  return Boolean(ready) && !node.spec?.unschedulable && !tainted;
}

/** Whether a node's GPUs of `resource` belong to the pool. */
function nodeInPool(pool: PoolConfig, node: NodeLike) {
  return (
    !pool.product ||
    node.metadata?.labels?.['nvidia.com/gpu.product'] === pool.product
  );
}

/**
 * GPUs of each pool held by bound, running pods on healthy nodes beyond
 * what the grants of their namespace cover. Within a namespace the oldest
 * pods count as covered first (the youngest are the ones a stop would end).
 */
export function holdersOutsideGrants(
  cluster: string,
  pools: PoolConfig[],
  nodes: NodeLike[],
  pods: any[],
  grants: NamespaceGrant[],
): GpuHolderOutsideGrants[] {
  const byName = new Map(nodes.map(n => [n.metadata?.name, n]));
  const ofCluster = pools.filter(p => p.cluster === cluster);
  const resources = [...new Set(ofCluster.map(p => p.resource))];
  const covered = new Map<string, number>();
  for (const g of grants.filter(x => x.cluster === cluster)) {
    const key = `${g.namespace}/${g.pool}`;
    covered.set(key, (covered.get(key) ?? 0) + g.count);
  }
  const running = pods
    .filter(
      p =>
        p?.spec?.nodeName &&
        !p.metadata?.deletionTimestamp &&
        p.status?.phase !== 'Succeeded' &&
        p.status?.phase !== 'Failed',
    )
    .sort(
      (a, b) =>
        new Date(a.metadata?.creationTimestamp ?? 0).getTime() -
        new Date(b.metadata?.creationTimestamp ?? 0).getTime(),
    );
  const out: GpuHolderOutsideGrants[] = [];
  for (const pod of running) {
    const node = byName.get(pod.spec.nodeName);
    if (!node || !isHealthy(node)) continue;
    for (const [resource, n] of podGpus(pod, resources)) {
      const pool = ofCluster.find(
        p => p.resource === resource && nodeInPool(p, node),
      );
      if (!pool) continue;
      const key = `${pod.metadata.namespace}/${pool.id}`;
      const cover = Math.min(n, covered.get(key) ?? 0);
      covered.set(key, (covered.get(key) ?? 0) - cover);
      if (n - cover > 0) {
        out.push({
          cluster,
          pool: pool.id,
          namespace: pod.metadata.namespace,
          pod: pod.metadata.name,
          node: pod.spec.nodeName,
          gpus: n - cover,
        });
      }
    }
  }
  return out;
}

/**
 * GPUs a pool can hand out on these nodes: allocatable of the pool's
 * resource on nodes that are Ready, schedulable, not tainted by the node
 * lifecycle controller, and carry the pool's product label; minus reserve.
 */
export function poolCapacityFromNodes(
  pool: PoolConfig,
  nodes: NodeLike[],
): number {
  let total = 0;
  for (const node of nodes) {
    if (!isHealthy(node) || !nodeInPool(pool, node)) continue;
    const value = Number(node.status?.allocatable?.[pool.resource] ?? 0);
    if (Number.isFinite(value)) total += Math.floor(value);
  }
  return Math.max(0, total - pool.reserve);
}

/**
 * Reads capacity live from node allocatable through the Kubernetes access
 * layer, one node list per cluster, cached briefly. A cluster that cannot be
 * read yields the last known capacity with `live: false`.
 */
export class DefaultCapacityService implements CapacityService {
  private cache?: { at: number; value: Map<string, PoolCapacity> };
  private inflight?: Promise<Map<string, PoolCapacity>>;
  private readonly lastKnown = new Map<string, PoolCapacity>();

  private constructor(
    private readonly options: {
      pools: PoolConfig[];
      kubernetes: KubernetesAccess;
      logger: LoggerService;
      ttlMs: number;
      fallback: () => Promise<Map<string, number>>;
      grants: () => Promise<NamespaceGrant[]>;
    },
  ) {}

  static create(options: {
    pools: PoolConfig[];
    kubernetes: KubernetesAccess;
    logger: LoggerService;
    ttlMs?: number;
    /** Last known capacities, e.g. from the database. */
    fallback: () => Promise<Map<string, number>>;
    /**
     * The grants of requests that hold them; pods beyond them count as
     * taken outside grants. Without it every GPU pod counts as outside.
     */
    grants?: () => Promise<NamespaceGrant[]>;
  }): DefaultCapacityService {
    return new DefaultCapacityService({
      ttlMs: 2000,
      grants: async () => [],
      ...options,
    });
  }

  async getCapacities(options?: { maxAgeMs?: number }) {
    const maxAge = options?.maxAgeMs ?? this.options.ttlMs;
    if (this.cache && Date.now() - this.cache.at <= maxAge) {
      return this.cache.value;
    }
    if (!this.inflight) {
      this.inflight = this.read().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private async read(): Promise<Map<string, PoolCapacity>> {
    const { pools, kubernetes, logger } = this.options;
    const clusters = [...new Set(pools.map(p => p.cluster))];
    const known = new Set(kubernetes.listClusters().map(c => c.name));
    const grants = this.options.grants();
    const { results, errors } = await kubernetes.forEachCluster(
      async client => {
        // Pods after nodes: a pod bound to a node the list missed is skipped
        // rather than counted against a pool it may not be in.
        const nodes = await client.nodes.listAll({ limit: 500 });
        const pods = await client.pods.listAll({ limit: 500 });
        return { nodes, pods };
      },
      {
        fieldManager: GPU_POOL_FIELD_MANAGER,
        clusters: clusters.filter(c => known.has(c)),
        timeoutMs: 3000,
      },
    );
    const out = new Map<string, PoolCapacity>();
    const failed =
      errors.length > 0 ? await this.options.fallback() : new Map();
    for (const { cluster, error } of errors) {
      logger.warn(
        `Could not read nodes of cluster ${cluster}: ${error.message}`,
        { cluster },
      );
    }
    const granted = await grants;
    const outside = new Map<string, GpuHolderOutsideGrants[]>();
    for (const { cluster, value } of results) {
      for (const h of holdersOutsideGrants(
        cluster,
        pools,
        value.nodes as NodeLike[],
        value.pods,
        granted,
      )) {
        outside.set(h.pool, [...(outside.get(h.pool) ?? []), h]);
      }
    }
    for (const pool of pools) {
      const result = results.find(r => r.cluster === pool.cluster);
      if (result) {
        const holders = outside.get(pool.id) ?? [];
        const value: PoolCapacity = {
          capacity: poolCapacityFromNodes(
            pool,
            result.value.nodes as NodeLike[],
          ),
          outsideGrants: holders.reduce((s, h) => s + h.gpus, 0),
          holders,
          live: true,
        };
        this.lastKnown.set(pool.id, value);
        out.set(pool.id, value);
      } else {
        // Last known, taken GPUs included: never grant more than then.
        const last = this.lastKnown.get(pool.id);
        out.set(pool.id, {
          capacity: last?.capacity ?? failed.get(pool.id) ?? 0,
          outsideGrants: last?.outsideGrants ?? 0,
          holders: last?.holders ?? [],
          live: false,
        });
      }
    }
    this.cache = { at: Date.now(), value: out };
    return out;
  }
}
