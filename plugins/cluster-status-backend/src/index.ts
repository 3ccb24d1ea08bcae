/**
 * Cluster status backend: per-cluster caches fed by list+watch, served over
 * HTTP with permission filtering and live updates through signals.
 *
 * @packageDocumentation
 */
export { clusterStatusPlugin as default } from './plugin';
export type { ClusterCache } from './services/ClusterCache/ClusterCache';
export {
  DefaultClusterCache,
  type DefaultClusterCacheOptions,
} from './services/ClusterCache/DefaultClusterCache';
export type { ClusterStatusService } from './services/ClusterStatusService/ClusterStatusService';
export { AuthorizedClusterStatusService } from './services/ClusterStatusService/AuthorizedClusterStatusService';
export {
  clusterNamespaceResourceRef,
  isNamespaceOwnerRule,
  type ClusterNamespaceResource,
} from './permissions/rules';
export type { GpuActivityService } from './services/GpuActivity/GpuActivityService';
export { DefaultGpuActivityService } from './services/GpuActivity/DefaultGpuActivityService';
