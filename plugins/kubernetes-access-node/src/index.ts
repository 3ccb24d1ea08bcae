/**
 * The portal's one way into on-prem Kubernetes: cluster registry, typed
 * helpers, server-side apply, resumable watches and error translation.
 *
 * @packageDocumentation
 */

export type {
  ClusterDetails,
  ClusterRegistry,
} from './registry/ClusterRegistry';
export { DefaultClusterRegistry } from './registry/DefaultClusterRegistry';
export {
  readKubernetesAccessConfig,
  type ClusterAuthConfig,
  type ClusterConfig,
  type ClusterIdentity,
} from './registry/readKubernetesAccessConfig';
export type {
  ApplyOptions,
  ClusterClient,
  ClusterClientOptions,
  CustomResourceRef,
  DeleteOptions,
  DeleteResult,
  GetOptions,
  ListOptions,
  RequestOptions,
  ResourceClient,
  ResourceList,
} from './client/ClusterClient';
export { DefaultClusterClient } from './client/DefaultClusterClient';
export { kubernetesResourceTypes, type ResourceType } from './client/resources';
export { toBackstageError } from './errors/toBackstageError';
export type { BackoffOptions } from './watch/Backoff';
export type { WatchEvent, WatchOptions } from './watch/WatchOptions';
export type {
  FanOutOptions,
  FanOutResult,
  KubernetesAccess,
} from './service/KubernetesAccess';
export { DefaultKubernetesAccess } from './service/DefaultKubernetesAccess';
export {
  kubernetesAccessServiceFactory,
  kubernetesAccessServiceRef,
} from './service/kubernetesAccessServiceRef';
export type { GpuActivity, GpuMetrics } from './metrics/GpuMetrics';
export type { GpuMetricsConfig } from './metrics/gpuMetricsConfig';
export { DefaultGpuMetrics } from './metrics/DefaultGpuMetrics';
export { gpuMetricsServiceRef } from './metrics/gpuMetricsServiceRef';
