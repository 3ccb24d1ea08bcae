import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { gpuPoolWorkloadReadPermission } from '@internal/plugin-gpu-pool-common';
import type { WorkloadsService } from './DefaultWorkloadsService';

/**
 * Puts the permission framework in front of a {@link WorkloadsService}: a
 * caller sees the workloads of the teams for which
 * `gpu-pool.workload.read` is ALLOWed with the team as the resource (members
 * of the team; the platform team for every team). Anything else hides the
 * team: fails closed.
 */
export class AuthorizedWorkloadsService {
  private constructor(
    private readonly inner: WorkloadsService,
    private readonly permissions: PermissionsService,
  ) {}

  static create(options: {
    service: WorkloadsService;
    permissions: PermissionsService;
  }) {
    return new AuthorizedWorkloadsService(options.service, options.permissions);
  }

  list(
    query: { cluster?: string; namespace?: string },
    credentials: BackstageCredentials,
  ) {
    return this.inner.list({
      ...query,
      allowTeams: async teams => {
        if (teams.length === 0) return new Set<string>();
        const decisions = await this.permissions.authorize(
          teams.map(resourceRef => ({
            permission: gpuPoolWorkloadReadPermission,
            resourceRef,
          })),
          { credentials },
        );
        return new Set(
          teams.filter(
            (_, i) => decisions[i]?.result === AuthorizeResult.ALLOW,
          ),
        );
      },
    });
  }
}
