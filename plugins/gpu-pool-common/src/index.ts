/**
 * Types, permissions and schemas shared by the GPU pool frontend, backend and
 * scaffolder actions.
 *
 * @packageDocumentation
 */
export * from './duration';
export * from './types';
export * from './schemas';
export * from './permissions';
export * from './namespaces';
export * from './workloads';
export * from './showback';
export * from './reclaim';
export * from './reasons';
export type {
  paths as GpuPoolApiPaths,
  components as GpuPoolApiComponents,
  operations as GpuPoolApiOperations,
} from './generated/openapi';
