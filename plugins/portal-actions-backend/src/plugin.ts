import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { registerCatalogActions } from './actions/catalogActions';
import { registerClusterStatusActions } from './actions/clusterStatusActions';
import { registerGpuPoolActions } from './actions/gpuPoolActions';
import { registerTemplateActions } from './actions/templateActions';
import { DefaultPortalApi } from './services/PortalApi/PortalApi';
import { DefaultTemplateFiles } from './services/TemplateFiles/TemplateFiles';

/**
 * Registers the portal's actions (GPU pool, cluster status, catalog, golden
 * paths) in the actions registry under the plugin id `portal-actions`.
 *
 * @public
 */
export const portalActionsPlugin = createBackendPlugin({
  pluginId: 'portal-actions',
  register(env) {
    env.registerInit({
      deps: {
        registry: actionsRegistryServiceRef,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
      },
      async init({ registry, auditor, auth, discovery, logger, urlReader }) {
        const api = DefaultPortalApi.create({ discovery, auth });
        const deps = { registry, auditor, api };
        registerGpuPoolActions(deps);
        registerClusterStatusActions(deps);
        registerCatalogActions(deps);
        registerTemplateActions(deps, {
          templateFiles: DefaultTemplateFiles.create({ urlReader }),
        });
        logger.info('Portal actions registered for the actions registry');
      },
    });
  },
});
