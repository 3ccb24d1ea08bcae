import type {
  ClusterClient,
  ClusterClientOptions,
} from '../client/ClusterClient';
import type { ClusterDetails } from '../registry/ClusterRegistry';
import type { ClusterIdentity } from '../registry/readKubernetesAccessConfig';

/**
 * Options of a fan-out over several clusters.
 *
 * @public
 */
export interface FanOutOptions {
  /** Field manager of the clients handed to the callback. */
  fieldManager: string;
  /** Identity of the clients handed to the callback; defaults to `reader`. */
  as?: ClusterIdentity;
  /**
   * Budget for the whole callback per cluster; defaults to the cluster's
   * timeout. A cluster that exceeds it is reported in `errors` and never
   * delays the others.
   */
  timeoutMs?: number;
  /** Restricts the fan-out to these clusters; all clusters when omitted. */
  clusters?: string[];
  /** Cancels the whole fan-out. */
  signal?: AbortSignal;
}

/**
 * Partial result of a fan-out: one entry per cluster in either list, in
 * registry order.
 *
 * @public
 */
export interface FanOutResult<T> {
  results: Array<{ cluster: string; value: T }>;
  /** Translated Backstage errors (NotFoundError, ServiceUnavailableError, ...). */
  errors: Array<{ cluster: string; error: Error }>;
}

/**
 * The portal's one way into Kubernetes.
 *
 * @public
 */
export interface KubernetesAccess {
  /** All configured clusters, without credentials. */
  listClusters(): ClusterDetails[];
  /**
   * A client for one cluster, as the reader unless `options.as` is `writer`.
   *
   * @throws NotFoundError for unknown cluster names.
   * @throws ServiceUnavailableError when the writer is asked for and the
   * cluster has none configured.
   */
  forCluster(name: string, options: ClusterClientOptions): ClusterClient;
  /**
   * Runs `fn` against every (or the selected) cluster in parallel and
   * collects partial results. The client passed to `fn` is bound to a signal
   * that aborts when the cluster's budget is exhausted.
   */
  forEachCluster<T>(
    fn: (client: ClusterClient, signal: AbortSignal) => Promise<T>,
    options: FanOutOptions,
  ): Promise<FanOutResult<T>>;
}
