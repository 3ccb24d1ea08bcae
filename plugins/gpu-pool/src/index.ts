/**
 * GPU pool frontend: request GPUs, see grants, approve, and follow the queue.
 *
 * @packageDocumentation
 */
export {
  gpuPoolApiRef,
  GpuPoolClient,
  type GpuPoolApi,
} from './api/GpuPoolApi';
