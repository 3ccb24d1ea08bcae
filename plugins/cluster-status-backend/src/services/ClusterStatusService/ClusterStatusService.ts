import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ClusterDetails,
  ClusterGpuActivity,
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
  /** Busy against allocated GPUs of every cluster, per model and MIG profile. */
  listGpuActivity(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterGpuActivity[]>;
}
