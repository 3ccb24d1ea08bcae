import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterDetails,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';
import { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import { ClusterCache } from './ClusterCache';
import { ClusterState } from './ClusterState';
import { ClusterWatcher } from './ClusterWatcher';
import { NamespaceRecord } from './projections';

/** One constant field manager for this component (it never writes). */
export const FIELD_MANAGER = 'portal-cluster-status';

/**
 * Options of {@link DefaultClusterCache.create}.
 *
 * @public
 */
export interface DefaultClusterCacheOptions {
  kubernetesAccess: KubernetesAccess;
  logger: LoggerService;
  /** Interval of the reachability probe; default 10 s. */
  probeIntervalMs?: number;
  /** Minimum time between two change notifications per cluster; default 2 s. */
  notifyThrottleMs?: number;
}

/**
 * Per-cluster caches fed by the access layer's watches. Start with
 * {@link DefaultClusterCache.start}, stop on shutdown.
 *
 * @public
 */
export class DefaultClusterCache implements ClusterCache {
  private readonly states = new Map<string, ClusterState>();
  private readonly watchers: ClusterWatcher[] = [];
  private readonly listeners = new Set<(cluster: string) => void>();
  private readonly pendingNotify = new Map<
    string,
    ReturnType<typeof setTimeout>
  >();
  private readonly lastNotify = new Map<string, number>();
  private readonly options: Required<
    Omit<DefaultClusterCacheOptions, 'kubernetesAccess' | 'logger'>
  > & { kubernetesAccess: KubernetesAccess; logger: LoggerService };

  static create(options: DefaultClusterCacheOptions): DefaultClusterCache {
    return new DefaultClusterCache(options);
  }

  private constructor(options: DefaultClusterCacheOptions) {
    this.options = {
      probeIntervalMs: 10_000,
      notifyThrottleMs: 2_000,
      ...options,
    };
    for (const cluster of options.kubernetesAccess.listClusters()) {
      this.states.set(
        cluster.name,
        new ClusterState({ name: cluster.name, title: cluster.title }),
      );
    }
  }

  /** Starts one watcher per cluster; returns at once. */
  start(): void {
    const { kubernetesAccess, logger } = this.options;
    for (const [name, state] of this.states) {
      const client = kubernetesAccess.forCluster(name, {
        fieldManager: FIELD_MANAGER,
      });
      const watcher = ClusterWatcher.create({
        client,
        state,
        logger: logger.child({ cluster: name }),
        probeIntervalMs: this.options.probeIntervalMs,
        probeTimeoutMs: Math.min(client.cluster.timeoutMs, 5_000),
        onChange: () => this.changed(name),
      });
      watcher.start();
      this.watchers.push(watcher);
    }
    logger.info(`Watching ${this.states.size} cluster(s)`, {
      clusters: [...this.states.keys()].join(','),
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.pendingNotify.values()) {
      clearTimeout(timer);
    }
    this.pendingNotify.clear();
    await Promise.all(this.watchers.map(w => w.stop()));
  }

  /** Leading and trailing edge throttle per cluster. */
  private changed(cluster: string): void {
    if (this.pendingNotify.has(cluster) || this.listeners.size === 0) {
      return;
    }
    const wait =
      (this.lastNotify.get(cluster) ?? 0) +
      this.options.notifyThrottleMs -
      Date.now();
    const fire = () => {
      this.pendingNotify.delete(cluster);
      this.lastNotify.set(cluster, Date.now());
      for (const listener of this.listeners) {
        try {
          listener(cluster);
        } catch (error) {
          this.options.logger.warn('Cluster change listener failed', {
            cluster,
            error: String(error),
          });
        }
      }
    };
    if (wait <= 0) {
      fire();
    } else {
      this.pendingNotify.set(cluster, setTimeout(fire, wait));
    }
  }

  subscribe(listener: (cluster: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private summariesMemo?: { key: string; value: ClusterSummary[] };

  /** The same array instance while nothing changed, so callers can memoize on it. */
  listSummaries(): ClusterSummary[] {
    const key = [...this.states.values()].map(s => s.getRevision()).join(',');
    if (this.summariesMemo?.key !== key) {
      this.summariesMemo = {
        key,
        value: [...this.states.values()].map(s => s.summary()),
      };
    }
    return this.summariesMemo.value;
  }

  getDetails(name: string): ClusterDetails {
    const state = this.states.get(name);
    if (!state) {
      throw new NotFoundError(`No cluster named "${name}" is configured`);
    }
    return state.details();
  }

  listNamespaces(cluster: string): NamespaceRecord[] | undefined {
    return this.states.get(cluster)?.listNamespaces();
  }

  /** For tests: resolves when every cluster is synced or has failed. */
  async waitForInitialSync(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const done = [...this.states.values()].every(
        s => s.isSynced() || s.getStatus() !== 'pending' && s.getStatus() !== 'reachable',
      );
      if (done) {
        return;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error('Timed out waiting for the cluster caches to sync');
  }
}
