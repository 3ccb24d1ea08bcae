// How idle reclaim ends a lease: through the GPU pool's own release path.
import { GpuRequest } from '@internal/plugin-gpu-pool-common';
import { GpuPoolService, GpuPoolUser } from '../GpuPool/types';

/** Ends a lease through the GPU pool's release path (grants, queue, cluster). */
export interface IdleReleasePath {
  /** The lease clock's way: ends the lease as `released` with the reason; false when it had already ended. */
  releaseAsSystem(id: string, reason: string): Promise<boolean>;
  /** The owner's way, with their permission checked by the caller. */
  releaseAsUser(
    id: string,
    user: GpuPoolUser,
    reason: string,
  ): Promise<GpuRequest>;
}

/**
 * The release path of the GPU pool service: the system release is the one
 * the lease clock uses (`releaseBySystem`), so the lease ends exactly as an
 * owner's release does (grants, queue, cluster), with the reclaim's reason
 * on its timeline.
 */
export function gpuPoolReleasePath(service: {
  release: GpuPoolService['release'];
  releaseBySystem(id: string, reason: string): Promise<GpuRequest | undefined>;
}): IdleReleasePath {
  return {
    async releaseAsSystem(id, reason) {
      return (await service.releaseBySystem(id, reason)) !== undefined;
    },
    releaseAsUser: (id, user, reason) => service.release(id, user, reason),
  };
}
