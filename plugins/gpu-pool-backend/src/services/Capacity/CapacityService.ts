import { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import { PoolConfig } from '../../config/readGpuPoolConfig';

/** Capacity of one pool. */
export interface PoolCapacity {
  capacity: number;
  /** False when the cluster could not be read and the value is the last known one. */
  live: boolean;
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
  metadata?: { labels?: Record<string, string> };
  spec?: {
    unschedulable?: boolean;
    taints?: Array<{ key: string; effect: string }>;
  };
  status?: {
    allocatable?: Record<string, string>;
    conditions?: Array<{ type: string; status: string }>;
  };
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
    const ready = node.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    );
    const tainted = node.spec?.taints?.some(
      t =>
        t.key.startsWith('node.kubernetes.io/') &&
        (t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
    );
    if (!ready || node.spec?.unschedulable || tainted) continue;
    if (
      pool.product &&
      node.metadata?.labels?.['nvidia.com/gpu.product'] !== pool.product
    ) {
      continue;
    }
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
  private readonly lastKnown = new Map<string, number>();

  private constructor(
    private readonly options: {
      pools: PoolConfig[];
      kubernetes: KubernetesAccess;
      logger: LoggerService;
      ttlMs: number;
      fallback: () => Promise<Map<string, number>>;
    },
  ) {}

  static create(options: {
    pools: PoolConfig[];
    kubernetes: KubernetesAccess;
    logger: LoggerService;
    ttlMs?: number;
    /** Last known capacities, e.g. from the database. */
    fallback: () => Promise<Map<string, number>>;
  }): DefaultCapacityService {
    return new DefaultCapacityService({ ttlMs: 2000, ...options });
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
    const { results, errors } = await kubernetes.forEachCluster(
      client => client.nodes.listAll({ limit: 500 }),
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
    for (const pool of pools) {
      const result = results.find(r => r.cluster === pool.cluster);
      if (result) {
        const capacity = poolCapacityFromNodes(
          pool,
          result.value as NodeLike[],
        );
        this.lastKnown.set(pool.id, capacity);
        out.set(pool.id, { capacity, live: true });
      } else {
        out.set(pool.id, {
          capacity: this.lastKnown.get(pool.id) ?? failed.get(pool.id) ?? 0,
          live: false,
        });
      }
    }
    this.cache = { at: Date.now(), value: out };
    return out;
  }
}
