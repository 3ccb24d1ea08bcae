import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { GpuPoolClient } from './actions/GpuPoolClient';
import { createGpuRequestAction } from './actions/createGpuRequestAction';
import { createEnsureNamespaceAction } from './actions/ensureNamespaceAction';

/**
 * Registers `gpu-pool:request:create` and `gpu-pool:namespace:ensure`.
 *
 * @public
 */
export const scaffolderModuleGpuPool = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gpu-pool',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        const client = GpuPoolClient.create({ discovery, auth });
        scaffolder.addActions(
          createGpuRequestAction({ client }),
          createEnsureNamespaceAction({ client }),
        );
      },
    });
  },
});
