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
import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

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
