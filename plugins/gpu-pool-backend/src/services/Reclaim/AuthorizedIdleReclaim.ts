import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  gpuPoolReclaimExemptPermission,
  gpuPoolRequestExtendPermission,
  gpuPoolRequestReleasePermission,
  IdleReclaimStatus,
} from '@internal/plugin-gpu-pool-common';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { GpuPoolUser } from '../GpuPool/types';
import { IdleReclaimService } from './IdleReclaimService';

/**
 * The owners' and the platform team's idle-reclaim actions behind the
 * permission framework; fails closed. "Keep" needs the team's extend
 * permission, "release" its release permission (the same as releasing the
 * lease), "exempt" `gpu-pool.reclaim.exempt` (platform team).
 */
export class AuthorizedIdleReclaim {
  private constructor(
    private readonly inner: IdleReclaimService,
    private readonly store: GpuPoolStore,
    private readonly permissions: PermissionsService,
  ) {}

  static create(options: {
    reclaim: IdleReclaimService;
    store: GpuPoolStore;
    permissions: PermissionsService;
  }) {
    return new AuthorizedIdleReclaim(
      options.reclaim,
      options.store,
      options.permissions,
    );
  }

  private async teamOf(id: string) {
    const row = await this.store.read.getRequest(id);
    if (!row) throw new NotFoundError(`GPU request ${id} not found`);
    return row.team;
  }

  private async check(
    user: GpuPoolUser,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ) {
    const [decision] = await this.permissions.authorize(
      [
        permission.type === 'resource'
          ? { permission, resourceRef: resourceRef! }
          : { permission },
      ] as any,
      { credentials: user.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`${permission.name} is not allowed`);
    }
  }

  status(id: string): Promise<IdleReclaimStatus> {
    return this.inner.status(id);
  }

  async keep(id: string, user: GpuPoolUser, note?: string) {
    await this.check(
      user,
      gpuPoolRequestExtendPermission,
      await this.teamOf(id),
    );
    return this.inner.keep(id, user, note);
  }

  async release(id: string, user: GpuPoolUser, note?: string) {
    await this.check(
      user,
      gpuPoolRequestReleasePermission,
      await this.teamOf(id),
    );
    return this.inner.release(id, user, note);
  }

  async exempt(id: string, user: GpuPoolUser, reason: string) {
    await this.check(user, gpuPoolReclaimExemptPermission);
    return this.inner.exempt(id, user, reason);
  }
}
