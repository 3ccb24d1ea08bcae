/**
 * Scaffolder actions of the GPU pool: `gpu-pool:request:create` and
 * `gpu-pool:namespace:ensure`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGpuPool as default } from './module';
export { createGpuRequestAction } from './actions/createGpuRequestAction';
export { createEnsureNamespaceAction } from './actions/ensureNamespaceAction';
export { GpuPoolClient } from './actions/GpuPoolClient';
