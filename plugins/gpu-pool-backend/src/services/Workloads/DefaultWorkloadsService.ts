import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  GpuWorkload,
  GpuWorkloadList,
} from '@internal/plugin-gpu-pool-common';
import type {
  ClusterClient,
  KubernetesAccess,
} from '@internal/plugin-kubernetes-access-node';
import { OWNER_LABEL } from '../Namespaces/namespaceOwnership';
import { BatchJob, describeWorkload, KueueWorkload } from './describeWorkload';
import { estimateStarts } from './estimateStarts';

const FIELD_MANAGER = 'portal-gpu-pool-workloads';

export const workloadsType = {
  group: 'kueue.x-k8s.io',
  version: 'v1beta2',
  plural: 'workloads',
  kind: 'Workload',
};
const localQueuesType = {
  group: 'kueue.x-k8s.io',
  version: 'v1beta2',
  plural: 'localqueues',
  kind: 'LocalQueue',
};
export const jobsType = {
  group: 'batch',
  version: 'v1',
  plural: 'jobs',
  kind: 'Job',
  namespaced: true,
};

/** One pending workload of Kueue's visibility API (PendingWorkloadsSummary). */
interface PendingWorkload {
  metadata?: { name?: string; namespace?: string };
  positionInClusterQueue?: number;
  positionInLocalQueue?: number;
}

/** Filters teams (entity refs) down to those the caller may see. */
export type TeamFilter = (teams: string[]) => Promise<Set<string>>;

/** Reads the Kueue workloads of the teams' namespaces. */
export interface WorkloadsService {
  list(options: {
    cluster?: string;
    namespace?: string;
    allowTeams: TeamFilter;
  }): Promise<GpuWorkloadList>;
}

/** Team entity ref from the owner label's group name. */
export function teamRefOf(owner: string): string {
  return `group:default/${owner}`.toLocaleLowerCase('en-US');
}

/**
 * Reads Workloads, their Jobs, LocalQueues and Kueue's visibility API with
 * the reader identity. Only namespaces the portal labels with an owner
 * (`portal.cloud-smart.io/owner`, which teams cannot set: namespaces are
 * cluster-scoped) are a team's. A cluster that cannot answer is a
 * ServiceUnavailableError naming it: no answer is better than a wrong one.
 */
export class DefaultWorkloadsService implements WorkloadsService {
  private constructor(
    private readonly kubernetes: KubernetesAccess,
    private readonly logger: LoggerService,
    private readonly now: () => number,
  ) {}

  static create(options: {
    kubernetes: KubernetesAccess;
    logger: LoggerService;
    now?: () => number;
  }) {
    return new DefaultWorkloadsService(
      options.kubernetes,
      options.logger,
      options.now ?? Date.now,
    );
  }

  async list(options: {
    cluster?: string;
    namespace?: string;
    allowTeams: TeamFilter;
  }): Promise<GpuWorkloadList> {
    const { cluster, namespace, allowTeams } = options;
    if (cluster) {
      if (!this.kubernetes.listClusters().some(c => c.name === cluster)) {
        throw new NotFoundError(`cluster "${cluster}" is not configured`);
      }
      const client = this.kubernetes.forCluster(cluster, {
        fieldManager: FIELD_MANAGER,
      });
      return {
        items: await this.readCluster(client, namespace, allowTeams),
        errors: [],
      };
    }
    const fanOut = await this.kubernetes.forEachCluster(
      client => this.readCluster(client, namespace, allowTeams),
      { fieldManager: FIELD_MANAGER },
    );
    return {
      items: fanOut.results.flatMap(r => r.value),
      errors: fanOut.errors.map(e => ({
        cluster: e.cluster,
        message: e.error.message,
      })),
    };
  }

  private async readCluster(
    client: ClusterClient,
    namespace: string | undefined,
    allowTeams: TeamFilter,
  ): Promise<GpuWorkload[]> {
    const cluster = client.cluster.name;
    try {
      const namespaces = await client.namespaces.listAll({
        labelSelector: OWNER_LABEL,
      });
      const teamOf = new Map<string, string>();
      for (const ns of namespaces) {
        const owner = ns.metadata?.labels?.[OWNER_LABEL];
        const name = ns.metadata?.name;
        if (owner && name && (!namespace || name === namespace)) {
          teamOf.set(name, teamRefOf(owner));
        }
      }
      const allowed = await allowTeams([...new Set(teamOf.values())]);
      for (const [name, team] of teamOf) {
        if (!allowed.has(team)) teamOf.delete(name);
      }
      if (teamOf.size === 0) return [];

      const workloads = await this.listWorkloads(client, namespace);
      if (workloads === undefined) return [];
      const [jobs, queues] = await Promise.all([
        // Not only queue-named Jobs: Kueue may manage Jobs without one
        // (manageJobsWithoutQueueName), and their Workloads still point here.
        client.resources<BatchJob & { kind?: string }>(jobsType).listAll({ namespace }),
        client
          .customResources<{
            kind?: string;
            metadata?: { name?: string; namespace?: string };
            spec?: { clusterQueue?: string };
          }>(localQueuesType)
          .listAll({ namespace }),
      ]);
      const jobByName = new Map(
        jobs.map(j => [`${j.metadata?.namespace}/${j.metadata?.name}`, j]),
      );
      const clusterQueueOf = new Map(
        queues.map(q => [
          `${q.metadata?.namespace}/${q.metadata?.name}`,
          q.spec?.clusterQueue,
        ]),
      );
      const items: GpuWorkload[] = [];
      for (const wl of workloads) {
        const ns = wl.metadata?.namespace ?? '';
        const team = teamOf.get(ns);
        if (!team) continue;
        const owner = wl.metadata?.ownerReferences?.find(r => r.kind === 'Job');
        items.push(
          describeWorkload({
            cluster,
            team,
            workload: wl,
            job: owner ? jobByName.get(`${ns}/${owner.name}`) : undefined,
          }),
        );
      }
      await this.addPositions(client, items);
      estimateStarts(
        items,
        w =>
          w.clusterQueue ?? clusterQueueOf.get(`${w.namespace}/${w.localQueue}`),
        this.now(),
      );
      return items;
    } catch (error) {
      const e = error as Error;
      this.logger.warn('could not read Kueue workloads', {
        cluster,
        namespace,
        error: e.message,
      });
      throw new ServiceUnavailableError(
        `cluster ${cluster}: could not read the GPU workloads: ${e.message}`,
      );
    }
  }

  /**
   * The Workloads, or undefined when the cluster has no Kueue (404 on the
   * kind: a cluster enforced by quota alone has no workloads to show).
   */
  private async listWorkloads(client: ClusterClient, namespace?: string) {
    try {
      // Read as Kueue's JSON: timestamps may be strings or Dates.
      return (await client
        .customResources(workloadsType)
        .listAll({ namespace })) as unknown as KueueWorkload[];
    } catch (error) {
      if ((error as Error).name !== 'NotFoundError') throw error;
      this.logger.debug('no Kueue on the cluster', { cluster: client.cluster.name });
      return undefined;
    }
  }

  /**
   * Queue positions from the visibility API, one call per LocalQueue that
   * has pending workloads. A cluster whose Kueue does not serve the API
   * (404) gives no positions; any other failure fails the read.
   */
  private async addPositions(client: ClusterClient, items: GpuWorkload[]) {
    const queues = new Set(
      items
        .filter(w => (w.state === 'pending' || w.state === 'evicted') && w.localQueue)
        .map(w => `${w.namespace}/${w.localQueue}`),
    );
    for (const key of queues) {
      const [namespace, queue] = key.split('/');
      let pending: PendingWorkload[];
      try {
        const list = await client
          .customResources<PendingWorkload & { kind?: string }>({
            group: 'visibility.kueue.x-k8s.io',
            version: 'v1beta2',
            plural: `localqueues/${encodeURIComponent(queue)}/pendingworkloads`,
            namespace,
          })
          .list({ namespace });
        pending = list.items;
      } catch (error) {
        if ((error as Error).name === 'NotFoundError') {
          this.logger.debug('Kueue visibility API not served', {
            cluster: client.cluster.name,
            namespace,
            queue,
          });
          continue;
        }
        throw error;
      }
      for (const p of pending) {
        const item = items.find(
          w => w.namespace === namespace && w.name === p.metadata?.name,
        );
        if (item) {
          item.positionInLocalQueue = p.positionInLocalQueue;
          item.positionInClusterQueue = p.positionInClusterQueue;
        }
      }
    }
  }
}
