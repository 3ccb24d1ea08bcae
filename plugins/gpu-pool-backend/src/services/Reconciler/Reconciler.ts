import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type {
  ClusterClient,
  KubernetesAccess,
} from '@internal/plugin-kubernetes-access-node';
import {
  formatReason,
  holdingStatuses,
  isProtectedNamespace,
} from '@internal/plugin-gpu-pool-common';
import { GpuPoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore, RequestRow } from '../../database/GpuPoolStore';
import { AuditTarget } from '../Audit/GpuPoolAudit';
import { GPU_POOL_FIELD_MANAGER } from '../Capacity/CapacityService';
import {
  DefaultGpuPoolService,
  isUnavailable,
} from '../GpuPool/DefaultGpuPoolService';
import { SYSTEM_ACTOR } from '../GpuPool/types';
import {
  decideWrite,
  NamespaceFacts,
  readNamespaceFacts,
} from '../Namespaces/namespaceOwnership';
import { buildManifests, OBJECT_NAME } from './manifests';
import { Enforcer } from '../Enforcement/Enforcer';
import { gpuCeilings } from '../Enforcement/kueueManifests';

const PARALLEL = 8;

/**
 * Makes the grants true in the clusters by server-side apply: Namespace,
 * ResourceQuota, LimitRange, NetworkPolicy and RoleBinding per namespace.
 * Idempotent; every run re-applies with `force: true`, so hand edits of the
 * fields it owns are undone. Before every write and delete it re-reads the
 * namespace and checks that it is still the team's and the portal's to
 * touch; otherwise it refuses, audited. Runs through the scheduler (one
 * replica at a time) and, in-process, right after each change.
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
      enforcer: Enforcer;
    },
  ) {}

  static create(options: {
    store: GpuPoolStore;
    service: DefaultGpuPoolService;
    kubernetes: KubernetesAccess;
    config: GpuPoolConfig;
    logger: LoggerService;
    /** Per-cluster enforcement; by default built from the same options. */
    enforcer?: Enforcer;
  }) {
    return new Reconciler({
      ...options,
      enforcer:
        options.enforcer ??
        Enforcer.create({
          config: options.config,
          kubernetes: options.kubernetes,
          store: options.store,
          audit: options.service.audit,
          logger: options.logger,
        }),
    });
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
    const kueueErrors = await this.syncKueue([...holding, ...cleanup]);
    const work = [...byNamespace.values()];
    const workers = Array.from(
      { length: Math.min(PARALLEL, work.length) },
      async () => {
        for (let next = work.shift(); next; next = work.shift()) {
          await this.reconcileNamespace(
            next.holding,
            next.cleanup,
            holding,
            kueueErrors,
          );
        }
      },
    );
    await Promise.all(workers);
  }

  /**
   * Kueue clusters first: flavors and ClusterQueues must exist before a
   * LocalQueue points at them. Returns the error per cluster that could not
   * be synced; its namespaces are then left as they are (fail closed).
   */
  private async syncKueue(requests: RequestRow[]) {
    const { enforcer, logger } = this.options;
    const errors = new Map<string, Error>();
    const clusters = [...new Set(requests.map(r => r.cluster))];
    await Promise.all(
      clusters
        .filter(c => enforcer.isKueue(c))
        .map(async cluster => {
          try {
            await enforcer.syncKueueCluster(
              cluster,
              requests.filter(r => r.cluster === cluster),
            );
          } catch (error) {
            errors.set(cluster, error as Error);
            logger.warn(
              `Kueue objects on ${cluster} could not be applied: ${error}`,
              { cluster },
            );
          }
        }),
    );
    return errors;
  }

  private async reconcileNamespace(
    holding: RequestRow[],
    cleanup: RequestRow[],
    allHolding: RequestRow[],
    kueueErrors: Map<string, Error>,
  ) {
    const { service, kubernetes, config, logger } = this.options;
    const any = holding[0] ?? cleanup[0];
    const meta = { cluster: any.cluster, namespace: any.namespace };
    const clusterHolding = allHolding.filter(r => r.cluster === any.cluster);
    const kueueError = kueueErrors.get(any.cluster);
    if (kueueError) {
      // Fail closed: without its ClusterQueue nothing here is enforced.
      const message = formatReason('kueueNotInPlace', {
        cluster: any.cluster,
        error: kueueError.message,
      });
      for (const r of holding.filter(x => x.status === 'provisioning')) {
        await service.recordError(r.id, message);
      }
      return;
    }
    const client = kubernetes.forCluster(any.cluster, {
      fieldManager: GPU_POOL_FIELD_MANAGER,
      // The only writer in the portal: deploy/rbac's portal-writer identity.
      as: 'writer',
      timeoutMs: 5000,
    });
    try {
      if (isProtectedNamespace(any.namespace, config.protectedNamespaces)) {
        await this.refuse(
          holding,
          cleanup,
          formatReason('namespaceProtected', { namespace: any.namespace }),
        );
        return;
      }
      const facts = await readNamespaceFacts(
        client,
        any.cluster,
        any.namespace,
      );
      if (holding.length > 0) {
        await this.provision(client, facts, holding, cleanup, clusterHolding);
      } else {
        await this.withdraw(client, facts, cleanup, clusterHolding);
      }
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
            formatReason('clusterRefusedObjects', { error: message }),
          );
        } else {
          await service.recordError(r.id, message);
        }
      }
    }
  }

  /** Applies the objects of a namespace whose requests hold grants. */
  private async provision(
    client: ClusterClient,
    facts: NamespaceFacts,
    holding: RequestRow[],
    cleanup: RequestRow[],
    clusterHolding: RequestRow[],
  ) {
    const { service, config, logger, store, enforcer } = this.options;
    const kueue = enforcer.isKueue(holding[0].cluster);
    const teamHolding = clusterHolding.filter(r => r.team === holding[0].team);
    const any = holding[0];
    const decision = decideWrite(facts, {
      team: any.team,
      namespace: any.namespace,
      holding,
    });
    if (!decision.allowed) {
      await this.refuse(holding, cleanup, decision.reason);
      return;
    }
    // The namespace is created for the oldest request that holds it.
    const creator = [...holding].sort((a, b) => a.createdAt - b.createdAt)[0];
    const manifests = buildManifests({
      cluster: any.cluster,
      namespace: any.namespace,
      team: any.team,
      holding,
      pools: config.pools,
      pods: config.pods,
      createdFor: decision.create ? creator.id : decision.createdFor,
      gpuCeilings: kueue
        ? gpuCeilings(config, any.cluster, any.team, clusterHolding)
        : undefined,
    });
    await service.audit.run(
      {
        eventId: decision.create ? 'namespace-create' : 'namespace-write',
        actor: SYSTEM_ACTOR,
        target: this.target(any),
        meta: { requestIds: holding.map(r => r.id) },
      },
      async () => {
        const checked = facts.resourceVersion
          ? {
              ...manifests.namespace,
              metadata: {
                ...manifests.namespace.metadata,
                resourceVersion: facts.resourceVersion,
              },
            }
          : manifests.namespace;
        await client.namespaces.apply(checked, { force: true });
        if (decision.create) await store.read.markNamespaceCreated(creator);
        await client.resourceQuotas.apply(manifests.resourceQuota, {
          force: true,
        });
        await Promise.all([
          client.limitRanges.apply(manifests.limitRange, { force: true }),
          client.networkPolicies.apply(manifests.networkPolicy, {
            force: true,
          }),
          client.roleBindings.apply(manifests.roleBinding, { force: true }),
        ]);
        if (kueue) {
          await enforcer.applyLocalQueue(
            client,
            any.namespace,
            any.team,
            false,
          );
        }
      },
    );
    for (const r of holding.filter(x => x.status === 'provisioning')) {
      await service.markActive(
        r.id,
        formatReason(kueue ? 'inPlaceWithKueue' : 'inPlace', {
          namespace: r.namespace,
          cluster: r.cluster,
        }),
      );
      logger.info(`GPU request ${r.id} is active`, {
        cluster: r.cluster,
        namespace: r.namespace,
        requestId: r.id,
      });
    }
    await this.finishCleanup(any, holding, cleanup, teamHolding);
  }

  /**
   * Ended grants are withdrawn once what exceeds the remaining grant has
   * been stopped (after the owners' grace period); until then they stay
   * pending and are checked on every pass.
   */
  private async finishCleanup(
    any: RequestRow,
    holding: RequestRow[],
    cleanup: RequestRow[],
    teamHolding: RequestRow[],
  ) {
    if (cleanup.length === 0) return;
    const done = await this.options.enforcer.stopBeyondGrant({
      cluster: any.cluster,
      namespace: any.namespace,
      team: any.team,
      holding,
      ended: cleanup,
      teamHolding,
    });
    if (!done) return;
    for (const r of cleanup) await this.options.service.markCleanedUp(r.id);
  }

  /**
   * After the last grant of a namespace ended: deletes the namespace only
   * when the portal created it for an ended ephemeral request; removes only
   * the portal's own objects from other ephemeral ones; otherwise withdraws
   * the GPU quota and keeps the namespace and its data.
   */
  private async withdraw(
    client: ClusterClient,
    facts: NamespaceFacts,
    cleanup: RequestRow[],
    clusterHolding: RequestRow[],
  ) {
    const { service, config, logger, store, enforcer } = this.options;
    const any = cleanup[0];
    const teamHolding = clusterHolding.filter(r => r.team === any.team);
    const meta = { cluster: any.cluster, namespace: any.namespace };
    if (!facts.exists) {
      // Never created, or already gone: nothing to withdraw.
      for (const r of cleanup) await service.markCleanedUp(r.id);
      return;
    }
    const decision = decideWrite(facts, {
      team: any.team,
      namespace: any.namespace,
      holding: cleanup,
    });
    if (!decision.allowed) {
      await this.refuse([], cleanup, decision.reason);
      return;
    }
    const target = this.target(any);
    const createdFor = cleanup.find(
      r => r.ephemeral && facts.createdFor === r.id,
    );
    if (createdFor) {
      await service.audit.run(
        {
          eventId: 'namespace-delete',
          actor: SYSTEM_ACTOR,
          target: { ...target, requestId: createdFor.id },
        },
        () =>
          client.namespaces.delete(any.namespace, {
            propagationPolicy: 'Background',
          }),
      );
      await store.read.dropClaim(any.cluster, any.namespace);
      logger.info(`Deleted ephemeral namespace ${any.namespace}`, meta);
      // Everything in it goes with it; in Kueue mode the team's other
      // namespaces may still run beyond the remaining grant.
      if (enforcer.isKueue(any.cluster)) {
        await this.finishCleanup(any, [], cleanup, teamHolding);
      } else {
        for (const r of cleanup) await service.markCleanedUp(r.id);
      }
      return;
    } else if (cleanup.some(r => r.ephemeral)) {
      // Ephemeral, but not created for this request: the namespace and
      // whatever else is in it stay; only the portal's objects go.
      await service.audit.run(
        {
          eventId: 'namespace-objects-delete',
          actor: SYSTEM_ACTOR,
          target,
          meta: { requestIds: cleanup.map(r => r.id) },
        },
        async () => {
          const opts = { namespace: any.namespace };
          await client.resourceQuotas.delete(OBJECT_NAME, opts);
          await client.limitRanges.delete(OBJECT_NAME, opts);
          await client.networkPolicies.delete(OBJECT_NAME, opts);
          await client.roleBindings.delete(OBJECT_NAME, opts);
        },
      );
      logger.info(
        `Removed the portal's objects from namespace ${any.namespace}; the namespace was not created for this request and stays`,
        meta,
      );
    } else {
      const latestEnded = [...cleanup].sort(
        (a, b) => b.updatedAt - a.updatedAt,
      )[0];
      const manifests = buildManifests({
        cluster: any.cluster,
        namespace: any.namespace,
        team: any.team,
        holding: [],
        fallback: latestEnded,
        pools: config.pools,
        pods: config.pods,
        gpuCeilings: enforcer.isKueue(any.cluster)
          ? gpuCeilings(config, any.cluster, any.team, clusterHolding)
          : undefined,
      });
      await service.audit.run(
        {
          eventId: 'namespace-write',
          actor: SYSTEM_ACTOR,
          target,
          meta: {
            requestIds: cleanup.map(r => r.id),
            change: 'quota-withdrawn',
          },
        },
        () =>
          client.resourceQuotas.apply(manifests.resourceQuota, { force: true }),
      );
    }
    await this.finishCleanup(any, [], cleanup, teamHolding);
  }

  /**
   * Ownership does not match: writes nothing, audits the refusal, fails
   * requests still provisioning (their GPUs go back to the pool) and
   * records the reason on the others.
   */
  private async refuse(
    holding: RequestRow[],
    cleanup: RequestRow[],
    reason: string,
  ) {
    const { service, logger } = this.options;
    const any = holding[0] ?? cleanup[0];
    await service.audit.refused(
      {
        eventId: holding.length ? 'namespace-write' : 'namespace-cleanup',
        actor: SYSTEM_ACTOR,
        target: this.target(any),
        severityLevel: 'high',
        meta: { requestIds: [...holding, ...cleanup].map(r => r.id) },
      },
      new NotAllowedError(reason),
    );
    logger.warn(`GPU pool refused to touch a namespace: ${reason}`, {
      cluster: any.cluster,
      namespace: any.namespace,
    });
    for (const r of holding) {
      if (r.status === 'provisioning') {
        await service.markFailed(r.id, reason);
      } else {
        await service.recordError(r.id, reason);
      }
    }
    for (const r of cleanup) {
      await service.recordError(r.id, reason);
      await service.markCleanedUp(r.id);
    }
  }

  private target(row: RequestRow): AuditTarget {
    return { team: row.team, cluster: row.cluster, namespace: row.namespace };
  }
}
