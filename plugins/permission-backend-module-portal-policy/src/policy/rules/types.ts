import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQuery } from '@backstage/plugin-permission-node';

/**
 * Who may use a permission, in the words of the README's table.
 *
 * @public
 */
export type PortalPolicyAudience =
  | 'everyone signed in'
  | 'platform team'
  | 'owner or platform team'
  | 'nobody';

/**
 * A rule of the portal's policy: the permissions it names, who may use them
 * and why. Rules name permissions by their registered name, so that whether
 * a permission is covered can be answered without a request.
 *
 * @public
 */
export interface PortalPolicyRule {
  /** The names of the permissions this rule governs. */
  permissions: readonly string[];
  /** Who the rule lets through, for the README's table. */
  who: PortalPolicyAudience;
  /** Why the rule exists, for readers of the policy and for audit logs. */
  description: string;
  decide(context: PolicyContext): PolicyDecision;
}

/**
 * What a rule knows about the caller.
 *
 * @public
 */
export interface PolicyContext {
  request: PolicyQuery;
  /** The signed-in user, as the token names it. */
  userEntityRef: string;
  /** The user and their groups, lower-cased. */
  ownershipEntityRefs: string[];
  isPlatformTeam: boolean;
}

/** @public */
export const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
/** @public */
export const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * A decision the owning plugin evaluates against the resource: the platform
 * team is allowed outright, everyone else gets `conditions`.
 */
export function platformTeamOr(
  context: PolicyContext,
  pluginId: string,
  conditions: PermissionCriteria<PermissionCondition>,
): PolicyDecision {
  if (context.isPlatformTeam) {
    return allow;
  }
  const resourceType =
    context.request.permission.type === 'resource'
      ? context.request.permission.resourceType
      : undefined;
  if (!resourceType) {
    // A conditional decision needs a resource; a basic permission cannot
    // carry one, so refuse rather than allow.
    return deny;
  }
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId,
    resourceType,
    conditions,
  };
}

/** Rule decision for permissions every signed-in user holds. */
export function everyoneSignedIn(): PolicyDecision {
  return allow;
}

/** Rule decision for permissions reserved to the platform team. */
export function platformTeamOnly({ isPlatformTeam }: PolicyContext) {
  return isPlatformTeam ? allow : deny;
}
