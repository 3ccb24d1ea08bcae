import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ClusterDetails,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';

/**
 * What the HTTP API serves.
 *
 * @public
 */
export interface ClusterStatusService {
  listClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterSummary[]>;
  /** @throws NotFoundError for unknown clusters. */
  getCluster(
    name: string,
    options: { credentials: BackstageCredentials },
  ): Promise<ClusterDetails>;
}
