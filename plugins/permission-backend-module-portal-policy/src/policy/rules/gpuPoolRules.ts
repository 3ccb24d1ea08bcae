import {
  GPU_POOL_IS_TEAM_MEMBER_RULE,
  gpuPoolAuditReadPermission,
  gpuPoolReclaimExemptPermission,
  gpuPoolRequestApprovePermission,
  gpuPoolRequestCreatePermission,
  gpuPoolRequestExtendPermission,
  gpuPoolRequestReleasePermission,
  gpuPoolShowbackReadPermission,
  gpuPoolWorkloadReadPermission,
} from '@internal/plugin-gpu-pool-common';
import { PortalPolicyRule, platformTeamOnly, platformTeamOr } from './types';

/** Leased GPUs and self-served namespaces. */
export const gpuPoolRules: PortalPolicyRule[] = [
  {
    permissions: [gpuPoolRequestApprovePermission.name],
    who: 'platform team',
    description:
      'Requests above an allowance, adoptions of existing namespaces and queue priorities are decided by the platform team (the plugin also refuses self-approval).',
    decide: platformTeamOnly,
  },
  {
    permissions: [gpuPoolAuditReadPermission.name],
    who: 'platform team',
    description:
      "The GPU pool's audit trail names every team's requests and approvals: read and verified by the platform team.",
    decide: platformTeamOnly,
  },
  {
    permissions: [
      gpuPoolRequestCreatePermission.name,
      gpuPoolRequestExtendPermission.name,
      gpuPoolRequestReleasePermission.name,
    ],
    who: 'owner or platform team',
    description:
      'Only members of a team, or the platform team, request, extend or release GPUs and namespaces for it.',
    decide: context =>
      platformTeamOr(context, 'gpu-pool', {
        rule: GPU_POOL_IS_TEAM_MEMBER_RULE,
        resourceType: gpuPoolRequestCreatePermission.resourceType,
        params: { claims: context.ownershipEntityRefs },
      }),
  },
  {
    permissions: [gpuPoolWorkloadReadPermission.name],
    who: 'owner or platform team',
    description:
      "A team's jobs (Kueue workloads) name its projects and images: seen by its members and the platform team.",
    decide: context =>
      platformTeamOr(context, 'gpu-pool', {
        rule: GPU_POOL_IS_TEAM_MEMBER_RULE,
        resourceType: gpuPoolWorkloadReadPermission.resourceType,
        params: { claims: context.ownershipEntityRefs },
      }),
  },
  {
    permissions: [gpuPoolShowbackReadPermission.name],
    who: 'owner or platform team',
    description:
      "A team's GPU-hours granted, busy and reclaimed and its queue waits: seen by its members; the platform team sees every team's.",
    decide: context =>
      platformTeamOr(context, 'gpu-pool', {
        rule: GPU_POOL_IS_TEAM_MEMBER_RULE,
        resourceType: gpuPoolShowbackReadPermission.resourceType,
        params: { claims: context.ownershipEntityRefs },
      }),
  },
  {
    permissions: [gpuPoolReclaimExemptPermission.name],
    who: 'platform team',
    description:
      'Exempting a lease from idle reclaim keeps GPUs from other teams: the platform team decides, like approvals.',
    decide: platformTeamOnly,
  },
];
