/**
 * The portal's permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModulePortalPolicy as default } from './module';
export {
  PortalPermissionPolicy,
  DEFAULT_PLATFORM_TEAM,
} from './policy/PortalPermissionPolicy';
export {
  CatalogUserPresence,
  DEFAULT_PRESENCE_CACHE_MS,
} from './policy/CatalogUserPresence';
export type { UserPresence } from './policy/CatalogUserPresence';
export {
  portalPolicyRules,
  isPermissionCovered,
  findPortalPolicyRule,
  PLATFORM_ONLY_SCAFFOLDER_ACTIONS,
} from './policy/rules';
export type {
  PolicyContext,
  PortalPolicyAudience,
  PortalPolicyRule,
} from './policy/rules';
