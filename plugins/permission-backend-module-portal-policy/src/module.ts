import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CatalogUserPresence } from './policy/CatalogUserPresence';
import { PortalPermissionPolicy } from './policy/PortalPermissionPolicy';

/**
 * Installs the portal's permission policy in the permission backend.
 *
 * @public
 */
export const permissionModulePortalPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
        auth: coreServices.auth,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
      },
      async init({ policy, config, userInfo, logger, auth, cache, catalog }) {
        const userPresence = CatalogUserPresence.create({
          catalog,
          auth,
          logger,
          cache,
        });
        policy.setPolicy(
          PortalPermissionPolicy.fromConfig(config, {
            userInfo,
            userPresence,
            logger,
          }),
        );
      },
    });
  },
});
