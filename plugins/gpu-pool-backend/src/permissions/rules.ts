import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  GPU_POOL_IS_TEAM_MEMBER_RULE,
  GPU_POOL_TEAM_RESOURCE_TYPE,
} from '@internal/plugin-gpu-pool-common';
import { z } from 'zod';

/** The resource behind team-scoped permissions: the team itself. */
export interface GpuPoolTeamResource {
  teamRef: string;
}

/** Resource ref of the team resource type, for the permissions registry. */
export const gpuPoolTeamResourceRef = createPermissionResourceRef<
  GpuPoolTeamResource,
  { teamRefs: string[] }
>().with({ pluginId: 'gpu-pool', resourceType: GPU_POOL_TEAM_RESOURCE_TYPE });

/**
 * Matches when the team is one of the given claims (the caller's ownership
 * refs, which the portal policy passes in).
 */
export const isTeamMemberRule = createPermissionRule<
  GpuPoolTeamResource,
  { teamRefs: string[] },
  typeof GPU_POOL_TEAM_RESOURCE_TYPE,
  { claims: string[] }
>({
  name: GPU_POOL_IS_TEAM_MEMBER_RULE,
  description: 'Allow members of the team the request is for',
  resourceType: GPU_POOL_TEAM_RESOURCE_TYPE,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('Ownership refs of the caller'),
  }) as any,
  apply: (resource: GpuPoolTeamResource, params: { claims: string[] }) =>
    params.claims
      .map((c: string) => c.toLocaleLowerCase('en-US'))
      .includes(resource.teamRef),
  toQuery: (params: { claims: string[] }) => ({ teamRefs: params.claims }),
});
