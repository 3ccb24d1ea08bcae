/**
 * Kubernetes backend module: the clusters of `kubernetesAccess` for the
 * upstream Kubernetes plugin.
 *
 * @packageDocumentation
 */
export { kubernetesModulePortalClusters as default } from './module';
export { PortalClustersSupplier } from './PortalClustersSupplier';
