import {
  ClusterDetails,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';
import { NamespaceRecord } from './projections';

/**
 * The in-memory view of every configured cluster, kept current by watches.
 *
 * @public
 */
export interface ClusterCache {
  /** Summaries of all clusters in configuration order; never blocks on a cluster. */
  listSummaries(): ClusterSummary[];
  /**
   * Everything about one cluster, before permission filtering.
   *
   * @throws NotFoundError for names that are not configured.
   */
  getDetails(name: string): ClusterDetails;
  /** Namespaces of one cluster; undefined for unknown clusters. */
  listNamespaces(cluster: string): NamespaceRecord[] | undefined;
  /** Called (throttled) with the name of a cluster whose state changed. */
  subscribe(listener: (cluster: string) => void): () => void;
}
