import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { Cluster, KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import { ClusterDetails, ClusterRegistry } from './ClusterRegistry';
import {
  ClusterConfig,
  readKubernetesAccessConfig,
} from './readKubernetesAccessConfig';

interface RegistryEntry {
  details: ClusterDetails;
  kubeConfig: KubeConfig;
}

/**
 * Builds a KubeConfig whose current context points at the configured
 * cluster, applying the app-config overrides (url, CA, TLS) on top of what the
 * kubeconfig file or the pod environment provide.
 */
function buildKubeConfig(
  cluster: ClusterConfig,
  index: number,
): { kubeConfig: KubeConfig; server: string; skipTLSVerify: boolean } {
  const field = `kubernetesAccess.clusters[${index}]`;
  const kc = new KubeConfig();
  const { auth } = cluster;

  if (auth.provider === 'serviceAccount') {
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url!,
          caData: cluster.caData,
          skipTLSVerify: cluster.skipTLSVerify,
        },
      ],
      users: [{ name: 'portal', token: auth.serviceAccountToken }],
      contexts: [{ name: cluster.name, cluster: cluster.name, user: 'portal' }],
      currentContext: cluster.name,
    });
  } else if (auth.provider === 'kubeconfig') {
    if (!fs.existsSync(auth.kubeconfigPath)) {
      throw new InputError(
        `${field}.auth.kubeconfigPath: file "${auth.kubeconfigPath}" does not exist`,
      );
    }
    try {
      kc.loadFromFile(auth.kubeconfigPath);
    } catch (error) {
      throw new InputError(
        `${field}.auth.kubeconfigPath: could not read kubeconfig "${auth.kubeconfigPath}"`,
        error,
      );
    }
    if (auth.context) {
      if (!kc.getContextObject(auth.context)) {
        throw new InputError(
          `${field}.auth.context: context "${auth.context}" not found in "${auth.kubeconfigPath}"`,
        );
      }
      kc.setCurrentContext(auth.context);
    }
    if (!kc.getCurrentCluster()) {
      throw new InputError(
        `${field}.auth.kubeconfigPath: kubeconfig "${auth.kubeconfigPath}" has no current cluster; set ${field}.auth.context`,
      );
    }
  } else {
    if (!cluster.url && !process.env.KUBERNETES_SERVICE_HOST) {
      throw new InputError(
        `${field}.auth.provider is inCluster but KUBERNETES_SERVICE_HOST is not set; the portal is not running in a pod, set ${field}.url or use another provider`,
      );
    }
    kc.loadFromCluster();
  }

  const current = kc.getCurrentCluster()!;
  const server = (cluster.url ?? current.server).replace(/\/+$/, '');
  // client-node refuses plain HTTP unless skipTLSVerify is set; TLS settings
  // are meaningless without TLS, so treat http:// as "no verification".
  const skipTLSVerify =
    cluster.skipTLSVerify ||
    Boolean(current.skipTLSVerify) ||
    server.startsWith('http:');
  const patched: Cluster = {
    ...current,
    server,
    skipTLSVerify,
    ...(cluster.caData ? { caData: cluster.caData, caFile: undefined } : {}),
  };
  kc.loadFromOptions({
    clusters: kc.clusters.map(c => (c.name === current.name ? patched : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return { kubeConfig: kc, server, skipTLSVerify };
}

/**
 * Cluster registry backed by the `kubernetesAccess` app-config section.
 *
 * @public
 */
export class DefaultClusterRegistry implements ClusterRegistry {
  private readonly entries: Map<string, RegistryEntry>;

  /**
   * Reads and validates the configuration; throws an `InputError` naming the
   * offending field when it is invalid.
   */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): DefaultClusterRegistry {
    const { clusters } = readKubernetesAccessConfig(config);
    const entries = new Map<string, RegistryEntry>();
    clusters.forEach((cluster, index) => {
      const { kubeConfig, server, skipTLSVerify } = buildKubeConfig(
        cluster,
        index,
      );
      if (server.startsWith('http:')) {
        options.logger.warn(
          'Kubernetes cluster uses plain HTTP; credentials travel unencrypted',
          { cluster: cluster.name, url: server },
        );
      } else if (skipTLSVerify) {
        options.logger.warn('Kubernetes cluster has TLS verification off', {
          cluster: cluster.name,
          url: server,
        });
      }
      entries.set(cluster.name, {
        kubeConfig,
        details: {
          name: cluster.name,
          title: cluster.title ?? cluster.name,
          url: server,
          authProvider: cluster.auth.provider,
          timeoutMs: cluster.timeoutMs,
          skipTLSVerify,
        },
      });
    });
    options.logger.info('Kubernetes clusters registered', {
      clusters: [...entries.keys()].join(','),
    });
    return new DefaultClusterRegistry(entries);
  }

  private constructor(entries: Map<string, RegistryEntry>) {
    this.entries = entries;
  }

  listClusters(): ClusterDetails[] {
    return [...this.entries.values()].map(e => ({ ...e.details }));
  }

  getCluster(name: string): ClusterDetails {
    return { ...this.getEntry(name).details };
  }

  getKubeConfig(name: string): KubeConfig {
    return this.getEntry(name).kubeConfig;
  }

  private getEntry(name: string): RegistryEntry {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new NotFoundError(`Kubernetes cluster "${name}" is not configured`);
    }
    return entry;
  }
}
