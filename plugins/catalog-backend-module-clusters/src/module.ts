import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { kubernetesAccessServiceRef } from '@internal/plugin-kubernetes-access-node';
import { ClusterEntityProvider } from './ClusterEntityProvider';

const DEFAULT_PLATFORM_TEAM = 'group:default/platform-team';

/**
 * Catalog module: clusters and namespaces as Resources.
 *
 * @public
 */
export const catalogModuleClusters = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'clusters',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        kubernetesAccess: kubernetesAccessServiceRef,
      },
      async init({ catalog, config, logger, scheduler, kubernetesAccess }) {
        const provider = ClusterEntityProvider.create({
          kubernetesAccess,
          logger,
          platformTeam:
            config.getOptionalString('portal.platformTeam') ??
            DEFAULT_PLATFORM_TEAM,
          // Runs only once the catalog has connected the provider.
          taskRunner: scheduler.createScheduledTaskRunner({
            frequency: { minutes: 5 },
            timeout: { minutes: 2 },
          }),
        });
        catalog.addEntityProvider(provider);
      },
    });
  },
});
