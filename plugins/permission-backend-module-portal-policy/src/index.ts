/**
 * The portal's permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModulePortalPolicy as default } from './module';
export {
  PortalPermissionPolicy,
  portalPolicyRules,
  DEFAULT_PLATFORM_TEAM,
} from './policy/PortalPermissionPolicy';
export type {
  PortalPolicyRule,
  PolicyContext,
} from './policy/PortalPermissionPolicy';
