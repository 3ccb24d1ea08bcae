/**
 * Types, permissions and schemas shared by the cluster status frontend and
 * backend.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './gpuActivity';
export type {
  paths as ClusterStatusPaths,
  components as ClusterStatusComponents,
} from './generated/openapi';
