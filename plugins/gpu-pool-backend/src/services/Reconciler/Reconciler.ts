import { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import { holdingStatuses } from '@internal/plugin-gpu-pool-common';
import { GpuPoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore, RequestRow } from '../../database/GpuPoolStore';
import { GPU_POOL_FIELD_MANAGER } from '../Capacity/CapacityService';
import {
  DefaultGpuPoolService,
  isUnavailable,
} from '../GpuPool/DefaultGpuPoolService';
import { buildManifests } from './manifests';

const PARALLEL = 8;

/**
 * Makes the grants true in the clusters by server-side apply: Namespace,
 * ResourceQuota, LimitRange, NetworkPolicy and RoleBinding per namespace.
 * Idempotent; every run re-applies with `force: true`, so hand edits of the
 * fields it owns are undone. Runs through the scheduler (one replica at a
 * time) and, in-process, right after each change.
 */
export class Reconciler {
  private running?: Promise<void>;
  private again = false;

  private constructor(
    private readonly options: {
      store: GpuPoolStore;
      service: DefaultGpuPoolService;
      kubernetes: KubernetesAccess;
      config: GpuPoolConfig;
      logger: LoggerService;
    },
  ) {}

  static create(options: {
    store: GpuPoolStore;
    service: DefaultGpuPoolService;
    kubernetes: KubernetesAccess;
    config: GpuPoolConfig;
    logger: LoggerService;
  }) {
    return new Reconciler(options);
  }

  /** Starts a run now, or one more right after the current run. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.reconcileAll();
        } while (this.again);
      } catch (error) {
        this.options.logger.error(`GPU pool reconcile failed: ${error}`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** One pass over every namespace that holds grants or awaits withdrawal. */
  async reconcileAll(): Promise<void> {
    const read = this.options.store.read;
    const [holding, cleanup] = await Promise.all([
      read.listRequests({ statuses: [...holdingStatuses] }),
      read.listRequests({ cleanupPending: true }),
    ]);
    const byNamespace = new Map<
      string,
      { holding: RequestRow[]; cleanup: RequestRow[] }
    >();
    const entry = (r: RequestRow) => {
      const key = `${r.cluster}/${r.namespace}`;
      if (!byNamespace.has(key))
        byNamespace.set(key, { holding: [], cleanup: [] });
      return byNamespace.get(key)!;
    };
    holding.forEach(r => entry(r).holding.push(r));
    cleanup.forEach(r => entry(r).cleanup.push(r));
    const work = [...byNamespace.values()];
    const workers = Array.from(
      { length: Math.min(PARALLEL, work.length) },
      async () => {
        for (let next = work.shift(); next; next = work.shift()) {
          await this.reconcileNamespace(next.holding, next.cleanup);
        }
      },
    );
    await Promise.all(workers);
  }

  private async reconcileNamespace(
    holding: RequestRow[],
    cleanup: RequestRow[],
  ) {
    const { service, kubernetes, config, logger } = this.options;
    const any = holding[0] ?? cleanup[0];
    const meta = { cluster: any.cluster, namespace: any.namespace };
    const client = kubernetes.forCluster(any.cluster, {
      fieldManager: GPU_POOL_FIELD_MANAGER,
      // The only writer in the portal: deploy/rbac's portal-writer identity.
      as: 'writer',
      timeoutMs: 5000,
    });
    try {
      if (holding.length === 0 && cleanup.some(r => r.ephemeral)) {
        await client.namespaces.delete(any.namespace, {
          propagationPolicy: 'Background',
        });
        logger.info(`Deleted ephemeral namespace ${any.namespace}`, meta);
      } else {
        const latestEnded = [...cleanup].sort(
          (a, b) => b.updatedAt - a.updatedAt,
        )[0];
        const manifests = buildManifests({
          cluster: any.cluster,
          namespace: any.namespace,
          team: any.team,
          holding,
          fallback: latestEnded,
          pools: config.pools,
          pods: config.pods,
        });
        if (holding.length > 0) {
          await client.namespaces.apply(manifests.namespace, { force: true });
        } else {
          try {
            await client.namespaces.get(any.namespace);
          } catch (error) {
            if ((error as Error).name === 'NotFoundError') {
              // Never created: nothing to withdraw.
              for (const r of cleanup) await service.markCleanedUp(r.id);
              return;
            }
            throw error;
          }
        }
        await client.resourceQuotas.apply(manifests.resourceQuota, {
          force: true,
        });
        if (holding.length > 0) {
          await Promise.all([
            client.limitRanges.apply(manifests.limitRange, { force: true }),
            client.networkPolicies.apply(manifests.networkPolicy, {
              force: true,
            }),
            client.roleBindings.apply(manifests.roleBinding, { force: true }),
          ]);
        }
      }
      for (const r of holding.filter(x => x.status === 'provisioning')) {
        await service.markActive(
          r.id,
          `namespace ${r.namespace} and its quota are in place on ${r.cluster}`,
        );
        logger.info(`GPU request ${r.id} is active`, {
          ...meta,
          requestId: r.id,
        });
      }
      for (const r of cleanup) await service.markCleanedUp(r.id);
    } catch (error) {
      const message = (error as Error).message;
      if (isUnavailable(error)) {
        logger.warn(`Cluster unreachable, will retry: ${message}`, meta);
        for (const r of holding.filter(x => x.status === 'provisioning')) {
          await service.recordError(r.id, message);
        }
        return;
      }
      logger.error(`Reconciling namespace failed: ${message}`, meta);
      for (const r of holding.filter(x => x.status === 'provisioning')) {
        if ((error as Error).name === 'InputError') {
          await service.markFailed(
            r.id,
            `the cluster refused the objects: ${message}`,
          );
        } else {
          await service.recordError(r.id, message);
        }
      }
    }
  }
}
