import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type {
  ClusterClient,
  KubernetesAccess,
} from '@internal/plugin-kubernetes-access-node';
import {
  formatReason,
  holdingStatuses,
} from '@internal/plugin-gpu-pool-common';
import { enforcementOf, GpuPoolConfig } from '../../config/readGpuPoolConfig';
import { GpuPoolStore, RequestRow } from '../../database/GpuPoolStore';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import { GPU_POOL_FIELD_MANAGER } from '../Capacity/CapacityService';
import { SYSTEM_ACTOR } from '../GpuPool/types';
import {
  admittedWorkloadGpus,
  gpuPodHolder,
  GpuHolder,
  holdersBeyond,
} from './beyondGrant';
import {
  buildClusterQueue,
  buildComputeFlavor,
  buildLocalQueue,
  buildResourceFlavor,
  clusterQueueName,
  heldGpus,
  isPortalManaged,
  kueueTypes,
  LOCAL_QUEUE_NAME,
  nominalGpus,
  teamsOf,
} from './kueueManifests';
import { OWNER_LABEL } from '../Namespaces/namespaceOwnership';
import { parseEntityRef } from '@backstage/catalog-model';

/** What the reconciler knows about one namespace when a grant in it ended. */
export interface EndedGrants {
  cluster: string;
  namespace: string;
  team: string;
  /** Requests of the namespace that still hold grants. */
  holding: RequestRow[];
  /** Requests of the namespace whose grants ended and await withdrawal. */
  ended: RequestRow[];
  /** Every request of the team on the cluster that holds grants. */
  teamHolding: RequestRow[];
}

/**
 * Makes grants true in the cluster per its enforcement: Kueue objects
 * (flavors, ClusterQueues, LocalQueues) and, when grants end, stopping what
 * exceeds the remaining grant after the grace period: evicting the youngest
 * admitted Workloads (`spec.active: false`) or draining the LocalQueue
 * (Kueue), or deleting the youngest GPU pods (quota). Every stop is audited
 * and written to the ended request's hash-chained history.
 */
export class Enforcer {
  private constructor(
    private readonly options: {
      config: GpuPoolConfig;
      kubernetes: KubernetesAccess;
      store: GpuPoolStore;
      audit: GpuPoolAudit;
      logger: LoggerService;
      now: () => number;
    },
  ) {}

  static create(options: {
    config: GpuPoolConfig;
    kubernetes: KubernetesAccess;
    store: GpuPoolStore;
    audit: GpuPoolAudit;
    logger: LoggerService;
    now?: () => number;
  }) {
    return new Enforcer({ now: () => Date.now(), ...options });
  }

  isKueue(cluster: string) {
    return enforcementOf(this.options.config, cluster) === 'kueue';
  }

  private reader(cluster: string) {
    return this.options.kubernetes.forCluster(cluster, {
      fieldManager: GPU_POOL_FIELD_MANAGER,
      timeoutMs: 5000,
    });
  }

  private writer(cluster: string) {
    return this.options.kubernetes.forCluster(cluster, {
      fieldManager: GPU_POOL_FIELD_MANAGER,
      as: 'writer',
      timeoutMs: 5000,
    });
  }

  /**
   * Kueue mode: applies the cluster's ResourceFlavors (one per pool, plus
   * CPU and memory) and one ClusterQueue per team that has an allowance in
   * the cluster's pools or holds or ends grants there. An existing object
   * of the same name that the portal does not manage is never touched: the
   * refusal is audited and thrown, so the cluster's requests stay
   * unprovisioned (fail closed). Throws when the cluster or Kueue cannot
   * be reached.
   */
  async syncKueueCluster(cluster: string, requests: RequestRow[]) {
    const { config, audit } = this.options;
    const reader = this.reader(cluster);
    const writer = this.writer(cluster);
    const [flavors, queues] = await Promise.all([
      reader.customResources(kueueTypes.resourceFlavors).listAll(),
      reader.customResources(kueueTypes.clusterQueues).listAll(),
    ]);
    const foreign = (existing: any[], name: string) => {
      const found = existing.find(o => o.metadata?.name === name);
      return found !== undefined && !isPortalManaged(found);
    };
    // Applied only when the cluster's object differs: every request kicks a
    // pass, and rewriting unchanged flavors and queues cost most of its time.
    const changed = (existing: any[], wanted: any) =>
      !isAppliedIn(
        wanted,
        existing.find(o => o.metadata?.name === wanted.metadata.name),
      );
    const pools = config.pools.filter(p => p.cluster === cluster);
    const wantedFlavors = [
      buildComputeFlavor(),
      ...pools.map(buildResourceFlavor),
    ];
    const wantedQueues = teamsOf(config, cluster, requests).map(team =>
      buildClusterQueue({
        config,
        cluster,
        team,
        holding: requests.filter(r => r.team === team && isHolding(r)),
      }),
    );
    const refused = [
      ...wantedFlavors.filter(f => foreign(flavors, f.metadata.name)),
      ...wantedQueues.filter(q => foreign(queues, q.metadata.name)),
    ];
    if (refused.length) {
      const names = refused.map(o => `${o.kind} ${o.metadata.name}`).join(', ');
      const error = new NotAllowedError(
        `cluster ${cluster}: ${names} exist and are not managed by the portal; the GPU pool never takes them over`,
      );
      await audit.refused(
        {
          eventId: 'kueue-write',
          actor: SYSTEM_ACTOR,
          target: { cluster },
          severityLevel: 'high',
        },
        error,
      );
      throw error;
    }
    const flavorWrites = wantedFlavors.filter(f => changed(flavors, f));
    const queueWrites = wantedQueues.filter(q => changed(queues, q));
    if (flavorWrites.length === 0 && queueWrites.length === 0) return;
    await audit.run(
      {
        eventId: 'kueue-write',
        actor: SYSTEM_ACTOR,
        target: { cluster },
        meta: {
          resourceFlavors: flavorWrites.map(f => f.metadata.name),
          clusterQueues: queueWrites.map(q => q.metadata.name),
        },
        severityLevel: 'low',
      },
      async () => {
        const rf = writer.customResources(kueueTypes.resourceFlavors);
        await Promise.all(flavorWrites.map(f => rf.apply(f, { force: true })));
        const cq = writer.customResources(kueueTypes.clusterQueues);
        await Promise.all(queueWrites.map(q => cq.apply(q, { force: true })));
      },
    );
  }

  /** Kueue mode: the namespace's LocalQueue, open or draining. */
  async applyLocalQueue(
    client: ClusterClient,
    namespace: string,
    team: string,
    stop: boolean,
  ) {
    await client
      .customResources(kueueTypes.localQueues)
      .apply(buildLocalQueue({ namespace, team, stop }), { force: true });
  }

  /** When the grace period after the latest end in `ended` is over (ms). */
  async stopDeadline(ended: RequestRow[]) {
    let endedAt = 0;
    for (const r of ended) {
      const history = await this.options.store.read.history(r.id);
      const end = [...history].reverse().find(t => t.to === r.status);
      endedAt = Math.max(
        endedAt,
        end ? new Date(end.at).getTime() : r.updatedAt,
      );
    }
    return endedAt + this.options.config.stopGracePeriodMs;
  }

  /**
   * Stops what exceeds the remaining grant once the grace period is over.
   * Returns false while the owners' notice period runs (nothing stopped
   * yet), true when everything beyond the grant has been stopped. Throws
   * when the cluster cannot be read or written: nothing is assumed.
   */
  async stopBeyondGrant(state: EndedGrants): Promise<boolean> {
    const ended = state.ended.filter(r => r.gpus.length > 0);
    if (ended.length === 0) return true;
    if (this.options.now() < (await this.stopDeadline(ended))) return false;
    if (this.isKueue(state.cluster)) {
      await this.stopKueue(state, ended);
    } else {
      await this.stopPods(state, ended);
    }
    return true;
  }

  private async stopKueue(state: EndedGrants, ended: RequestRow[]) {
    const { config } = this.options;
    const writer = this.writer(state.cluster);
    if (state.holding.length === 0) {
      await this.audited(state, ended, 'localqueue-drain', async () => {
        await this.applyLocalQueue(writer, state.namespace, state.team, true);
        return formatReason('localQueueDrained', {
          namespace: state.namespace,
          queue: LOCAL_QUEUE_NAME,
        });
      });
    }
    // Team-wide: the ClusterQueue is the team's across its namespaces.
    const pools = config.pools.filter(p => p.cluster === state.cluster);
    const teamName = parseEntityRef(state.team).name;
    const reader = this.reader(state.cluster);
    const namespaces = (
      await reader.namespaces.listAll({
        labelSelector: `${OWNER_LABEL}=${teamName}`,
      })
    ).map(n => n.metadata!.name!);
    const holders: GpuHolder[] = [];
    for (const ns of namespaces) {
      const workloads = await reader
        .customResources(kueueTypes.workloads)
        .listAll({ namespace: ns });
      for (const w of workloads) {
        const h = admittedWorkloadGpus(w, pools);
        if (h) holders.push(h);
      }
    }
    const held = heldGpus(state.teamHolding);
    const allowed = new Map(
      pools.map(p => [p.id, nominalGpus(config, state.team, p.id, held)]),
    );
    const workloads = writer.customResources(kueueTypes.workloads);
    for (const h of holdersBeyond(holders, allowed)) {
      await this.audited(state, ended, 'workload-evict', async () => {
        await workloads.apply(
          {
            apiVersion: `${kueueTypes.workloads.group}/${kueueTypes.workloads.version}`,
            kind: 'Workload',
            metadata: { name: h.name, namespace: h.namespace },
            spec: { active: false },
          } as any,
          { force: true },
        );
        return formatReason('workloadEvicted', {
          namespace: h.namespace,
          name: h.name,
          gpus: describe(h),
          team: state.team,
          cluster: state.cluster,
          clusterQueue: clusterQueueName(state.team),
        });
      });
    }
  }

  private async stopPods(state: EndedGrants, ended: RequestRow[]) {
    const { config } = this.options;
    const pools = config.pools.filter(p => p.cluster === state.cluster);
    const resources = [...new Set(pools.map(p => p.resource))];
    const pods = await this.reader(state.cluster).pods.listAll({
      namespace: state.namespace,
    });
    const holders = pods
      .map(p => gpuPodHolder(p, resources))
      .filter((h): h is GpuHolder => h !== undefined);
    const allowed = new Map<string, number>();
    for (const r of state.holding) {
      for (const g of r.gpus) {
        const pool = pools.find(p => p.id === g.pool);
        if (pool) {
          allowed.set(
            pool.resource,
            (allowed.get(pool.resource) ?? 0) + g.count,
          );
        }
      }
    }
    const writer = this.writer(state.cluster);
    for (const h of holdersBeyond(holders, allowed)) {
      await this.audited(state, ended, 'pod-delete', async () => {
        await writer.pods.delete(h.name, { namespace: h.namespace });
        return formatReason('podDeleted', {
          namespace: h.namespace,
          name: h.name,
          gpus: describe(h),
          quotaNamespace: state.namespace,
        });
      });
    }
  }

  /** Runs one stop audited, and records it on the ended request's timeline. */
  private async audited(
    state: EndedGrants,
    ended: RequestRow[],
    eventId: string,
    fn: () => Promise<string>,
  ) {
    const latest = [...ended].sort((a, b) => b.updatedAt - a.updatedAt)[0];
    const reason = await this.options.audit.run(
      {
        eventId,
        actor: SYSTEM_ACTOR,
        target: {
          requestId: latest.id,
          team: state.team,
          cluster: state.cluster,
          namespace: state.namespace,
        },
        severityLevel: 'high',
      },
      fn,
      r => ({ reason: r }),
    );
    await this.options.store.transaction(tx =>
      tx.changeStatus(latest.id, latest.status, latest.status, {
        actor: SYSTEM_ACTOR,
        reason,
        at: this.options.now(),
        record: true,
      }),
    );
    this.options.logger.info(`GPU pool stop: ${reason}`, {
      cluster: state.cluster,
      namespace: state.namespace,
      requestId: latest.id,
    });
  }
}

function isHolding(r: RequestRow) {
  return holdingStatuses.includes(r.status);
}

function describe(h: GpuHolder) {
  return [...h.gpus].map(([k, n]) => `${n} × ${k}`).join(', ');
}

/**
 * Whether every field the portal applies (labels and spec) already has the
 * wanted value in the cluster's object. Fields the API server defaults are
 * ignored; arrays must match element by element.
 */
export function isAppliedIn(wanted: any, existing: any): boolean {
  if (!existing) return false;
  return (
    contains(existing.metadata?.labels ?? {}, wanted.metadata?.labels ?? {}) &&
    contains(existing.spec, wanted.spec)
  );
}

function contains(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(actual) &&
      actual.length === wanted.length &&
      wanted.every((w, i) => contains(actual[i], w))
    );
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (
      actual === null ||
      typeof actual !== 'object' ||
      Array.isArray(actual)
    ) {
      return false;
    }
    return Object.entries(wanted).every(([k, w]) =>
      contains((actual as Record<string, unknown>)[k], w),
    );
  }
  return actual === wanted;
}
