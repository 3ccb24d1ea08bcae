import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  gpuPoolShowbackReadPermission,
  ShowbackQuery,
  ShowbackReport,
} from '@internal/plugin-gpu-pool-common';
import { GpuPoolUser } from '../GpuPool/types';
import { ShowbackService } from './ShowbackService';

/**
 * Showback behind `gpu-pool.showback.read` (team-scoped): a member sees
 * their teams, the platform team every team. Every team in the report is
 * authorized; a team asked for by name and refused is a 403.
 */
export class AuthorizedShowback {
  private constructor(
    private readonly inner: ShowbackService,
    private readonly permissions: PermissionsService,
  ) {}

  static create(options: {
    showback: ShowbackService;
    permissions: PermissionsService;
  }) {
    return new AuthorizedShowback(options.showback, options.permissions);
  }

  async report(
    query: ShowbackQuery,
    user: GpuPoolUser,
  ): Promise<ShowbackReport> {
    let candidates: string[];
    if (query.team) candidates = [query.team.toLocaleLowerCase('en-US')];
    else if (user.isPlatformTeam) candidates = await this.inner.knownTeams();
    else {
      candidates = user.ownershipEntityRefs.filter(r => r.startsWith('group:'));
    }
    const decisions = candidates.length
      ? await this.permissions.authorize(
          candidates.map(resourceRef => ({
            permission: gpuPoolShowbackReadPermission,
            resourceRef,
          })),
          { credentials: user.credentials },
        )
      : [];
    const teams = candidates.filter(
      (_, i) => decisions[i]?.result === AuthorizeResult.ALLOW,
    );
    if (query.team && teams.length === 0) {
      throw new NotAllowedError(
        `${gpuPoolShowbackReadPermission.name} is not allowed for ${query.team}`,
      );
    }
    return this.inner.report({
      teams,
      period: query.period,
      from: query.from,
      to: query.to,
      pool: query.pool,
    });
  }
}
