/**
 * GPU pool frontend: request GPUs, see grants, approve, and follow the queue.
 * The default export is the plugin (frontend system 1.0).
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export {
  gpuPoolApiRef,
  GpuPoolClient,
  type GpuPoolApi,
  type GpuRequestActionBody,
} from './api/GpuPoolApi';
export { gpuPoolTranslationRef } from './translation';
