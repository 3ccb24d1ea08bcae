import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { kubernetesAccessServiceRef } from '@internal/plugin-kubernetes-access-node';
import { PortalClustersSupplier } from './PortalClustersSupplier';

/**
 * Gives the upstream Kubernetes plugin the clusters of `kubernetesAccess`.
 *
 * @public
 */
export const kubernetesModulePortalClusters = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'portal-clusters',
  register(env) {
    env.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        kubernetesAccess: kubernetesAccessServiceRef,
      },
      async init({ clusterSupplier, config, logger, kubernetesAccess }) {
        clusterSupplier.addClusterSupplier(
          PortalClustersSupplier.fromConfig(config, {
            kubernetesAccess,
            logger,
          }),
        );
      },
    });
  },
});
