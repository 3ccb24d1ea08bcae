import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ClusterDetails,
  ClusterGpuActivity,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';

/**
 * Client of the cluster status backend.
 *
 * @public
 */
export interface ClusterStatusApi {
  listClusters(): Promise<ClusterSummary[]>;
  getCluster(name: string): Promise<ClusterDetails>;
  /** Busy against allocated GPUs of every cluster. */
  listGpuActivity(): Promise<ClusterGpuActivity[]>;
}

/**
 * API ref of {@link ClusterStatusApi}.
 *
 * @public
 */
export const clusterStatusApiRef = createApiRef<ClusterStatusApi>({
  id: 'plugin.cluster-status.api',
});
