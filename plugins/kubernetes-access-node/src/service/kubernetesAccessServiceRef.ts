import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultKubernetesAccess } from './DefaultKubernetesAccess';
import { KubernetesAccess } from './KubernetesAccess';

/**
 * Service reference for {@link KubernetesAccess}. Root scoped: one registry
 * and one set of connections for the whole backend.
 *
 * @public
 */
export const kubernetesAccessServiceRef = createServiceRef<KubernetesAccess>({
  id: 'portal.kubernetes-access',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      factory({ config, logger }) {
        return DefaultKubernetesAccess.fromConfig(config, {
          logger: logger.child({ service: 'kubernetes-access' }),
        });
      },
    }),
});

/**
 * Explicit factory, for backends that want to register it themselves or
 * tests that override it.
 *
 * @public
 */
export const kubernetesAccessServiceFactory = createServiceFactory({
  service: kubernetesAccessServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
  },
  factory({ config, logger }) {
    return DefaultKubernetesAccess.fromConfig(config, {
      logger: logger.child({ service: 'kubernetes-access' }),
    });
  },
});
