import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import {
  KubernetesAccess,
  readKubernetesAccessConfig,
} from '@internal/plugin-kubernetes-access-node';

/** Auth provider key of the upstream plugin's service account strategy. */
const AUTH_PROVIDER_ANNOTATION = 'kubernetes.io/auth-provider';

/**
 * Turns `kubernetesAccess.clusters` into the upstream plugin's cluster list,
 * with the reader identity (`auth`) only: `writerAuth` never reaches the
 * upstream plugin, so the Kubernetes tab and even the platform team's proxy
 * calls are read-only by the cluster's RBAC.
 * `serviceAccount` clusters pass their reader token; `inCluster` ones let the
 * upstream strategy read the pod's token. `kubeconfig` clusters are skipped
 * with a warning: the upstream plugin has no equivalent strategy.
 *
 * @public
 */
export class PortalClustersSupplier implements KubernetesClustersSupplier {
  private readonly clusters: ClusterDetails[];

  static fromConfig(
    config: Config,
    options: { kubernetesAccess: KubernetesAccess; logger: LoggerService },
  ): PortalClustersSupplier {
    const { clusters: configured } = readKubernetesAccessConfig(config);
    const resolved = new Map(
      options.kubernetesAccess.listClusters().map(c => [c.name, c]),
    );
    const clusters: ClusterDetails[] = [];
    for (const cluster of configured) {
      const details = resolved.get(cluster.name);
      if (!details) {
        continue;
      }
      if (cluster.auth.provider === 'kubeconfig') {
        options.logger.warn(
          `Cluster ${cluster.name} uses kubeconfig authentication, which the Kubernetes tab cannot use; it is left out there`,
          { cluster: cluster.name },
        );
        continue;
      }
      const authMetadata: Record<string, string> = {
        [AUTH_PROVIDER_ANNOTATION]: 'serviceAccount',
      };
      if (cluster.auth.provider === 'serviceAccount') {
        authMetadata.serviceAccountToken = cluster.auth.serviceAccountToken;
      }
      clusters.push({
        name: details.name,
        title: details.title,
        url: details.url,
        authMetadata,
        skipTLSVerify: cluster.skipTLSVerify,
        caData: cluster.caData,
        // On-prem clusters seldom run metrics-server for the portal.
        skipMetricsLookup: true,
      });
    }
    return new PortalClustersSupplier(clusters);
  }

  private constructor(clusters: ClusterDetails[]) {
    this.clusters = clusters;
  }

  async getClusters(): Promise<ClusterDetails[]> {
    return this.clusters;
  }
}
