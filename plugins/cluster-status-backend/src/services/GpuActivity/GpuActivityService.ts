import { ClusterGpuActivity } from '@internal/plugin-cluster-status-common';

/**
 * Busy against allocated GPUs per cluster, model and MIG profile.
 *
 * @public
 */
export interface GpuActivityService {
  /**
   * One entry per configured cluster, in configuration order. Never throws
   * for one cluster's Prometheus: that cluster is `unavailable`.
   */
  listClusters(): Promise<ClusterGpuActivity[]>;
}
