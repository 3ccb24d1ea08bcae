import { catalogRules } from './catalogRules';
import { gpuPoolRules } from './gpuPoolRules';
import { kubernetesRules } from './kubernetesRules';
import { scaffolderRules } from './scaffolderRules';
import { techdocsRules } from './techdocsRules';
import { PortalPolicyRule } from './types';

/**
 * The rules in force, first match wins. Every permission an installed plugin
 * registers is named here; a permission no rule names is denied.
 *
 * @public
 */
export const portalPolicyRules: readonly PortalPolicyRule[] = [
  ...catalogRules,
  ...scaffolderRules,
  ...kubernetesRules,
  ...gpuPoolRules,
  ...techdocsRules,
];

/**
 * Whether a rule of `rules` (the portal's rules by default) names the
 * permission, i.e. whether the policy decides it instead of denying it as
 * unknown.
 *
 * @public
 */
export function isPermissionCovered(
  permissionName: string,
  rules: readonly PortalPolicyRule[] = portalPolicyRules,
): boolean {
  return rules.some(rule => rule.permissions.includes(permissionName));
}

/**
 * The first rule that names the permission, if any.
 *
 * @public
 */
export function findPortalPolicyRule(
  permissionName: string,
  rules: readonly PortalPolicyRule[] = portalPolicyRules,
): PortalPolicyRule | undefined {
  return rules.find(rule => rule.permissions.includes(permissionName));
}

export { PLATFORM_ONLY_SCAFFOLDER_ACTIONS } from './scaffolderRules';
export type {
  PolicyContext,
  PortalPolicyAudience,
  PortalPolicyRule,
} from './types';
