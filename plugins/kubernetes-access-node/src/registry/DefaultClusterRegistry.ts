import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { Cluster, KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import { ClusterDetails, ClusterRegistry } from './ClusterRegistry';
import {
  ClusterAuthConfig,
  ClusterConfig,
  ClusterIdentity,
  readKubernetesAccessConfig,
} from './readKubernetesAccessConfig';

interface RegistryEntry {
  details: ClusterDetails;
  kubeConfigs: { reader: KubeConfig; writer?: KubeConfig };
}

/**
 * Builds a KubeConfig whose current context points at the configured
 * cluster, applying the app-config overrides (url, CA, TLS) on top of what the
 * kubeconfig file or the pod environment provide.
 */
function buildKubeConfig(
  cluster: ClusterConfig,
  index: number,
  authField: 'auth' | 'writerAuth',
  auth: ClusterAuthConfig,
): { kubeConfig: KubeConfig; server: string; skipTLSVerify: boolean } {
  const field = `kubernetesAccess.clusters[${index}]`;
  const kc = new KubeConfig();

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
        `${field}.${authField}.kubeconfigPath: file "${auth.kubeconfigPath}" does not exist`,
      );
    }
    try {
      kc.loadFromFile(auth.kubeconfigPath);
    } catch (error) {
      throw new InputError(
        `${field}.${authField}.kubeconfigPath: could not read kubeconfig "${auth.kubeconfigPath}"`,
        error,
      );
    }
    if (auth.context) {
      if (!kc.getContextObject(auth.context)) {
        throw new InputError(
          `${field}.${authField}.context: context "${auth.context}" not found in "${auth.kubeconfigPath}"`,
        );
      }
      kc.setCurrentContext(auth.context);
    }
    if (!kc.getCurrentCluster()) {
      throw new InputError(
        `${field}.${authField}.kubeconfigPath: kubeconfig "${auth.kubeconfigPath}" has no current cluster; set ${field}.${authField}.context`,
      );
    }
  } else {
    if (!cluster.url && !process.env.KUBERNETES_SERVICE_HOST) {
      throw new InputError(
        `${field}.${authField}.provider is inCluster but KUBERNETES_SERVICE_HOST is not set; the portal is not running in a pod, set ${field}.url or use another provider`,
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
        'auth',
        cluster.auth,
      );
      const writer = cluster.writerAuth
        ? buildKubeConfig(cluster, index, 'writerAuth', cluster.writerAuth)
        : undefined;
      if (writer && writer.server !== server) {
        throw new InputError(
          `kubernetesAccess.clusters[${index}].writerAuth resolves to server ${writer.server}, but auth to ${server}; both identities must reach the same cluster`,
        );
      }
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
        kubeConfigs: { reader: kubeConfig, writer: writer?.kubeConfig },
        details: {
          name: cluster.name,
          title: cluster.title ?? cluster.name,
          url: server,
          authProvider: cluster.auth.provider,
          writerAuthProvider: cluster.writerAuth?.provider,
          timeoutMs: cluster.timeoutMs,
          skipTLSVerify,
        },
      });
    });
    options.logger.info('Kubernetes clusters registered', {
      clusters: [...entries.keys()].join(','),
      writable: [...entries.values()]
        .filter(e => e.kubeConfigs.writer)
        .map(e => e.details.name)
        .join(','),
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

  getKubeConfig(
    name: string,
    identity: ClusterIdentity = 'reader',
  ): KubeConfig {
    const entry = this.getEntry(name);
    if (identity === 'reader') {
      return entry.kubeConfigs.reader;
    }
    if (!entry.kubeConfigs.writer) {
      // Fail closed: never fall back to the reader (or anything else) for writes.
      throw new ServiceUnavailableError(
        `Kubernetes cluster "${name}" has no writer identity; set kubernetesAccess.clusters[].writerAuth for "${name}" to let the portal change it`,
      );
    }
    return entry.kubeConfigs.writer;
  }

  private getEntry(name: string): RegistryEntry {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new NotFoundError(`Kubernetes cluster "${name}" is not configured`);
    }
    return entry;
  }
}
