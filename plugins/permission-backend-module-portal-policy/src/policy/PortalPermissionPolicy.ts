import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { unprocessedEntitiesDeletePermission } from '@backstage/plugin-catalog-unprocessed-entities-common';
import { catalogCurationReadPermission } from '@internal/plugin-catalog-curation-common';
import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  clusterStatusNamespaceReadDetailsPermission,
  isNamespaceOwner,
} from '@internal/plugin-cluster-status-common';
import { Config } from '@backstage/config';
import {
  GPU_POOL_IS_TEAM_MEMBER_RULE,
  gpuPoolRequestApprovePermission,
  gpuPoolRequestCreatePermission,
  gpuPoolRequestExtendPermission,
  gpuPoolRequestReleasePermission,
} from '@internal/plugin-gpu-pool-common';

/** The group whose members run the platform, unless configured otherwise. */
export const DEFAULT_PLATFORM_TEAM = 'group:default/platform-team';

/**
 * A rule of the portal's policy: the permissions it governs and who may use
 * them. Features add their rules to {@link portalPolicyRules}.
 */
export interface PortalPolicyRule {
  /** Why the rule exists, for readers of the policy and for audit logs. */
  description: string;
  matches(request: PolicyQuery): boolean;
  decide(context: PolicyContext): PolicyDecision;
}

/** What a rule knows about the caller. */
export interface PolicyContext {
  request: PolicyQuery;
  userEntityRef: string;
  ownershipEntityRefs: string[];
  isPlatformTeam: boolean;
}

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The rules in force, first match wins. A permission that no rule names is
 * allowed to signed-in users: reading and creating are everyone's, the
 * destructive and curating actions are reserved here.
 */
export const portalPolicyRules: PortalPolicyRule[] = [
  {
    description:
      'Unregistering or deleting catalog entities is for the platform team, who curate the catalog.',
    matches: request =>
      isPermission(request.permission, catalogEntityDeletePermission) ||
      isPermission(request.permission, catalogLocationDeletePermission),
    decide: ({ isPlatformTeam }) => (isPlatformTeam ? allow : deny),
  },
  {
    description:
      'The catalog curation report (problems, orphans, failed entities, duplicates) is for the platform team; developers see their own scorecards.',
    matches: request =>
      isPermission(request.permission, catalogCurationReadPermission),
    decide: ({ isPlatformTeam }) => (isPlatformTeam ? allow : deny),
  },
  {
    description:
      'Deleting entities the catalog failed to process removes their refresh state: platform team only.',
    matches: request =>
      isPermission(request.permission, unprocessedEntitiesDeletePermission),
    decide: ({ isPlatformTeam }) => (isPlatformTeam ? allow : deny),
  },
  {
    description:
      "Cluster status: the platform team sees every namespace in detail; developers see their own teams' namespaces and only counts and totals of the others.",
    matches: request =>
      isPermission(
        request.permission,
        clusterStatusNamespaceReadDetailsPermission,
      ),
    decide: ({ isPlatformTeam, ownershipEntityRefs }) =>
      isPlatformTeam
        ? allow
        : {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'cluster-status',
            resourceType: clusterStatusNamespaceReadDetailsPermission.resourceType,
            conditions: isNamespaceOwner({ claims: ownershipEntityRefs }),
          },
  },
  {
    description:
      'GPU pool: requests above an allowance are approved or rejected by the platform team (the plugin also refuses self-approval).',
    matches: request =>
      isPermission(request.permission, gpuPoolRequestApprovePermission),
    decide: ({ isPlatformTeam }) => (isPlatformTeam ? allow : deny),
  },
  {
    description:
      "GPU pool: only members of a team, or the platform team, request, extend or release GPUs and namespaces for it.",
    matches: request =>
      [
        gpuPoolRequestCreatePermission,
        gpuPoolRequestExtendPermission,
        gpuPoolRequestReleasePermission,
      ].some(p => isPermission(request.permission, p)),
    decide: ({ isPlatformTeam, ownershipEntityRefs }) =>
      isPlatformTeam
        ? allow
        : {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'gpu-pool',
            resourceType: gpuPoolRequestCreatePermission.resourceType,
            conditions: {
              rule: GPU_POOL_IS_TEAM_MEMBER_RULE,
              resourceType: gpuPoolRequestCreatePermission.resourceType,
              params: { claims: ownershipEntityRefs },
            },
          },
  },
];

/**
 * The portal's permission policy. Denies every request without a signed-in
 * user, then applies {@link portalPolicyRules} in order.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  readonly #userInfo: UserInfoService;
  readonly #platformTeam: string;
  readonly #rules: PortalPolicyRule[];

  static fromConfig(
    config: Config,
    options: { userInfo: UserInfoService; rules?: PortalPolicyRule[] },
  ): PortalPermissionPolicy {
    return new PortalPermissionPolicy({
      userInfo: options.userInfo,
      platformTeam:
        config.getOptionalString('portal.platformTeam') ??
        DEFAULT_PLATFORM_TEAM,
      rules: options.rules ?? portalPolicyRules,
    });
  }

  private constructor(options: {
    userInfo: UserInfoService;
    platformTeam: string;
    rules: PortalPolicyRule[];
  }) {
    this.#userInfo = options.userInfo;
    this.#platformTeam = options.platformTeam.toLocaleLowerCase('en-US');
    this.#rules = options.rules;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return deny;
    }
    const info = await this.#userInfo.getUserInfo(user.credentials);
    const ownershipEntityRefs = info.ownershipEntityRefs.map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    const context: PolicyContext = {
      request,
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs,
      isPlatformTeam: ownershipEntityRefs.includes(this.#platformTeam),
    };
    const rule = this.#rules.find(r => r.matches(request));
    return rule ? rule.decide(context) : allow;
  }
}
