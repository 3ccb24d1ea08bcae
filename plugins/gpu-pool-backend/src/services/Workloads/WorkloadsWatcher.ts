import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  GPU_POOL_WORKLOADS_CHANNEL,
  GpuWorkloadsSignal,
  KUEUE_QUEUE_NAME_LABEL,
} from '@internal/plugin-gpu-pool-common';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import { OWNER_LABEL } from '../Namespaces/namespaceOwnership';
import { jobsType, teamRefOf, workloadsType } from './DefaultWorkloadsService';

/**
 * Tells browsers when a team's workloads change, so the job page updates
 * live. One pass lists the portal's namespaces, the Workloads and the
 * queue-named Jobs of each cluster (three list calls per cluster, each
 * bounded by the cluster's timeout) and publishes one signal per namespace
 * whose objects' resource versions changed since the last pass. Run it from
 * the scheduler. A cluster that does not answer is skipped and keeps its
 * last fingerprints, so it is compared again once it answers.
 */
export class WorkloadsWatcher {
  private readonly fingerprints = new Map<string, string>();
  private readonly seenClusters = new Set<string>();

  private constructor(
    private readonly kubernetes: KubernetesAccess,
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
  ) {}

  static create(options: {
    kubernetes: KubernetesAccess;
    signals: SignalsService;
    logger: LoggerService;
  }) {
    return new WorkloadsWatcher(
      options.kubernetes,
      options.signals,
      options.logger,
    );
  }

  /** One pass over every cluster; returns the signals it published. */
  async pass(): Promise<GpuWorkloadsSignal[]> {
    const { results, errors } = await this.kubernetes.forEachCluster(
      async client => {
        const [namespaces, workloads, jobs] = await Promise.all([
          client.namespaces.listAll({ labelSelector: OWNER_LABEL }),
          client
            .customResources(workloadsType)
            .listAll()
            .catch(error => {
              // A cluster without Kueue has no workloads.
              if ((error as Error).name === 'NotFoundError') return [];
              throw error;
            }),
          client
            .resources(jobsType)
            .listAll({ labelSelector: KUEUE_QUEUE_NAME_LABEL }),
        ]);
        const byNamespace = new Map<string, string[]>();
        for (const o of [...workloads, ...jobs]) {
          const ns = o.metadata?.namespace ?? '';
          const list = byNamespace.get(ns) ?? [];
          list.push(`${o.kind}/${o.metadata?.name}@${o.metadata?.resourceVersion}`);
          byNamespace.set(ns, list);
        }
        return namespaces.flatMap(ns => {
          const name = ns.metadata?.name ?? '';
          const owner = ns.metadata?.labels?.[OWNER_LABEL] ?? '';
          return [
            {
              team: teamRefOf(owner),
              namespace: name,
              fingerprint: (byNamespace.get(name) ?? []).sort().join(','),
            },
          ];
        });
      },
      { fieldManager: 'portal-gpu-pool-workloads' },
    );
    for (const e of errors) {
      this.logger.debug('workload watch pass skipped a cluster', {
        cluster: e.cluster,
        error: e.error.message,
      });
    }
    const published: GpuWorkloadsSignal[] = [];
    for (const { cluster, value } of results) {
      // A cluster's first pass only learns its state: nothing changed yet.
      const learning = !this.seenClusters.has(cluster);
      this.seenClusters.add(cluster);
      for (const { team, namespace, fingerprint } of value) {
        const key = `${cluster}/${namespace}`;
        const before = this.fingerprints.get(key) ?? '';
        this.fingerprints.set(key, fingerprint);
        if (learning || before === fingerprint) continue;
        const message: GpuWorkloadsSignal = { team, cluster, namespace };
        published.push(message);
        try {
          await this.signals.publish({
            recipients: { type: 'broadcast' },
            channel: GPU_POOL_WORKLOADS_CHANNEL,
            message: { ...message },
          });
        } catch (error) {
          this.logger.warn('could not publish a workloads signal', {
            cluster,
            namespace,
            error: (error as Error).message,
          });
        }
      }
    }
    return published;
  }
}
