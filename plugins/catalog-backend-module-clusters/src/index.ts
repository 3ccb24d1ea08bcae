/**
 * Catalog module: each configured cluster and its namespaces as Resources
 * owned by the right teams.
 *
 * @packageDocumentation
 */
export { catalogModuleClusters as default } from './module';
export {
  ClusterEntityProvider,
  CLUSTER_ANNOTATION,
  NAMESPACE_ANNOTATION,
} from './ClusterEntityProvider';
