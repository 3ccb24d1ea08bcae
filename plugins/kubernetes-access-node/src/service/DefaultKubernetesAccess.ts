import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ClusterClient, ClusterClientOptions } from '../client/ClusterClient';
import { DefaultClusterClient } from '../client/DefaultClusterClient';
import { toBackstageError } from '../errors/toBackstageError';
import { ClusterDetails, ClusterRegistry } from '../registry/ClusterRegistry';
import { DefaultClusterRegistry } from '../registry/DefaultClusterRegistry';
import { ClusterIdentity } from '../registry/readKubernetesAccessConfig';
import { createAbortError, Deadline } from '../transport/Deadline';
import { KubernetesTransport } from '../transport/KubernetesTransport';
import {
  FanOutOptions,
  FanOutResult,
  KubernetesAccess,
} from './KubernetesAccess';

const USER_AGENT = 'backstage-portal-kubernetes-access';

/** Rejects as soon as the signal aborts, even if `promise` never settles. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(createAbortError());
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Default KubernetesAccess over a ClusterRegistry.
 *
 * @public
 */
export class DefaultKubernetesAccess implements KubernetesAccess {
  private readonly registry: ClusterRegistry;
  private readonly logger: LoggerService;
  private readonly transports = new Map<string, KubernetesTransport>();

  /** Creates the service from the `kubernetesAccess` app-config section. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): DefaultKubernetesAccess {
    return new DefaultKubernetesAccess({
      registry: DefaultClusterRegistry.fromConfig(config, options),
      logger: options.logger,
    });
  }

  /** Creates the service over an existing registry. */
  static create(options: {
    registry: ClusterRegistry;
    logger: LoggerService;
  }): DefaultKubernetesAccess {
    return new DefaultKubernetesAccess(options);
  }

  private constructor(options: {
    registry: ClusterRegistry;
    logger: LoggerService;
  }) {
    this.registry = options.registry;
    this.logger = options.logger;
  }

  listClusters(): ClusterDetails[] {
    return this.registry.listClusters();
  }

  forCluster(name: string, options: ClusterClientOptions): ClusterClient {
    const cluster = this.registry.getCluster(name);
    return DefaultClusterClient.create({
      cluster,
      transport: () => this.transportFor(cluster, options.as ?? 'reader'),
      fieldManager: options?.fieldManager,
      logger: this.logger,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  async forEachCluster<T>(
    fn: (client: ClusterClient, signal: AbortSignal) => Promise<T>,
    options: FanOutOptions,
  ): Promise<FanOutResult<T>> {
    const clusters = options.clusters
      ? options.clusters.map(name => this.registry.getCluster(name))
      : this.registry.listClusters();

    type Outcome =
      | { ok: true; cluster: string; value: T }
      | { ok: false; cluster: string; error: Error };
    const outcomes = await Promise.all(
      clusters.map(async (cluster): Promise<Outcome> => {
        const deadline = new Deadline({
          timeoutMs: options.timeoutMs ?? cluster.timeoutMs,
          parent: options.signal,
        });
        try {
          const client = this.forCluster(cluster.name, {
            fieldManager: options.fieldManager,
            as: options.as,
            signal: deadline.signal,
          });
          // Race against the deadline so a callback that ignores the signal
          // still cannot hold up the other clusters' results.
          const value = await untilAborted(
            fn(client, deadline.signal),
            deadline.signal,
          );
          return { ok: true, cluster: cluster.name, value };
        } catch (error) {
          const translated = toBackstageError(
            deadline.explain(error),
            cluster.name,
          );
          this.logger.warn('Kubernetes fan-out call failed', {
            cluster: cluster.name,
            error: translated.message,
          });
          return { ok: false, cluster: cluster.name, error: translated };
        } finally {
          deadline.dispose();
        }
      }),
    );

    const result: FanOutResult<T> = { results: [], errors: [] };
    for (const outcome of outcomes) {
      if (outcome.ok) {
        result.results.push({ cluster: outcome.cluster, value: outcome.value });
      } else {
        result.errors.push({ cluster: outcome.cluster, error: outcome.error });
      }
    }
    return result;
  }

  private transportFor(
    cluster: ClusterDetails,
    identity: ClusterIdentity,
  ): KubernetesTransport {
    const key = `${cluster.name}/${identity}`;
    let transport = this.transports.get(key);
    if (!transport) {
      transport = KubernetesTransport.create({
        kubeConfig: this.registry.getKubeConfig(cluster.name, identity),
        server: cluster.url,
        timeoutMs: cluster.timeoutMs,
        userAgent: `${USER_AGENT} (${identity})`,
      });
      this.transports.set(key, transport);
    }
    return transport;
  }
}
