import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of the team-scoped permissions; the resource ref is the
 * team's entity ref (`group:default/ml-team`).
 *
 * @public
 */
export const GPU_POOL_TEAM_RESOURCE_TYPE = 'gpu-pool-team';

/**
 * Request GPUs or a namespace for a team.
 *
 * @public
 */
export const gpuPoolRequestCreatePermission = createPermission({
  name: 'gpu-pool.request.create',
  attributes: { action: 'create' },
  resourceType: GPU_POOL_TEAM_RESOURCE_TYPE,
});

/**
 * Extend a team's lease.
 *
 * @public
 */
export const gpuPoolRequestExtendPermission = createPermission({
  name: 'gpu-pool.request.extend',
  attributes: { action: 'update' },
  resourceType: GPU_POOL_TEAM_RESOURCE_TYPE,
});

/**
 * Release a team's lease (or withdraw a waiting request).
 *
 * @public
 */
export const gpuPoolRequestReleasePermission = createPermission({
  name: 'gpu-pool.request.release',
  attributes: { action: 'update' },
  resourceType: GPU_POOL_TEAM_RESOURCE_TYPE,
});

/**
 * Approve or reject requests above a team's allowance.
 *
 * @public
 */
export const gpuPoolRequestApprovePermission = createPermission({
  name: 'gpu-pool.request.approve',
  attributes: { action: 'update' },
});

/**
 * Read and verify the GPU pool's hash-chained audit trail (platform team).
 *
 * @public
 */
export const gpuPoolAuditReadPermission = createPermission({
  name: 'gpu-pool.audit.read',
  attributes: { action: 'read' },
});

/**
 * Team-scoped permissions of the GPU pool (resource type `gpu-pool-team`).
 *
 * @public
 */
export const gpuPoolTeamPermissions = [
  gpuPoolRequestCreatePermission,
  gpuPoolRequestExtendPermission,
  gpuPoolRequestReleasePermission,
];

/**
 * All permissions of the GPU pool.
 *
 * @public
 */
export const gpuPoolPermissions = [
  gpuPoolRequestCreatePermission,
  gpuPoolRequestExtendPermission,
  gpuPoolRequestReleasePermission,
  gpuPoolRequestApprovePermission,
  gpuPoolAuditReadPermission,
];

/**
 * Name of the permission rule that matches members of the team.
 *
 * @public
 */
export const GPU_POOL_IS_TEAM_MEMBER_RULE = 'IS_TEAM_MEMBER';
