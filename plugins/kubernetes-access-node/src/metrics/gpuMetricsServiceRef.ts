import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultGpuMetrics } from './DefaultGpuMetrics';
import { GpuMetrics } from './GpuMetrics';

/**
 * Service reference for {@link GpuMetrics}, with a default factory reading
 * `kubernetesAccess.clusters[].gpuMetrics`.
 *
 * @public
 */
export const gpuMetricsServiceRef = createServiceRef<GpuMetrics>({
  id: 'portal.gpu-metrics',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      factory({ config, logger }) {
        return DefaultGpuMetrics.fromConfig(config, {
          logger: logger.child({ service: 'gpu-metrics' }),
        });
      },
    }),
});
