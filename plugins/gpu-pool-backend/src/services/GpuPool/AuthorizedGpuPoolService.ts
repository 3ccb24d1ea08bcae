import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  gpuPoolAuditReadPermission,
  gpuPoolRequestApprovePermission,
  gpuPoolRequestCreatePermission,
  gpuPoolRequestExtendPermission,
  gpuPoolRequestReleasePermission,
} from '@internal/plugin-gpu-pool-common';
import { GpuPoolService, GpuPoolUser } from './types';

/**
 * Puts the permission framework in front of a {@link GpuPoolService}. Fails
 * closed: anything but ALLOW is a NotAllowedError. The team-scoped
 * permissions carry the team's entity ref as the resource ref. Input is
 * validated first so that bad input is a 400 naming the field.
 */
export class AuthorizedGpuPoolService implements GpuPoolService {
  private constructor(
    private readonly inner: GpuPoolService,
    private readonly permissions: PermissionsService,
  ) {}

  static create(options: {
    service: GpuPoolService;
    permissions: PermissionsService;
  }) {
    return new AuthorizedGpuPoolService(options.service, options.permissions);
  }

  private async check(
    user: GpuPoolUser,
    permission:
      | typeof gpuPoolRequestApprovePermission
      | typeof gpuPoolAuditReadPermission
      | ResourcePermission,
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

  listPools(options?: { historyMs?: number }) {
    return this.inner.listPools(options);
  }

  validateCreate(body: unknown, user: GpuPoolUser) {
    return this.inner.validateCreate(body, user);
  }

  async createRequest(body: unknown, user: GpuPoolUser) {
    await this.inner.validateCreate(body, user);
    const team = String((body as { team: string }).team).toLocaleLowerCase(
      'en-US',
    );
    await this.check(user, gpuPoolRequestCreatePermission, team);
    return this.inner.createRequest(body, user);
  }

  listRequests(options: Parameters<GpuPoolService['listRequests']>[0]) {
    return this.inner.listRequests(options);
  }

  getRequest(id: string) {
    return this.inner.getRequest(id);
  }

  async approve(id: string, user: GpuPoolUser, reason?: string) {
    await this.check(user, gpuPoolRequestApprovePermission);
    return this.inner.approve(id, user, reason);
  }

  async reject(id: string, user: GpuPoolUser, reason?: string) {
    await this.check(user, gpuPoolRequestApprovePermission);
    return this.inner.reject(id, user, reason);
  }

  async extend(id: string, user: GpuPoolUser, body: unknown) {
    const request = await this.inner.getRequest(id);
    await this.check(user, gpuPoolRequestExtendPermission, request.team);
    return this.inner.extend(id, user, body);
  }

  async release(id: string, user: GpuPoolUser, reason?: string) {
    const request = await this.inner.getRequest(id);
    await this.check(user, gpuPoolRequestReleasePermission, request.team);
    return this.inner.release(id, user, reason);
  }

  /** Names every team's pods: the same right as reading the audit trail. */
  async listOutsideGrants(user: GpuPoolUser) {
    await this.check(user, gpuPoolAuditReadPermission);
    return this.inner.listOutsideGrants(user);
  }

  async verifyAudit(user: GpuPoolUser) {
    await this.check(user, gpuPoolAuditReadPermission);
    return this.inner.verifyAudit(user);
  }
}
