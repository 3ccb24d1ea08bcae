import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  CLUSTER_STATUS_SIGNAL_CHANNEL,
  ClusterStatusSignal,
  clusterStatusPermissions,
} from '@internal/plugin-cluster-status-common';
import {
  gpuMetricsServiceRef,
  kubernetesAccessServiceRef,
} from '@internal/plugin-kubernetes-access-node';
import { createRouter } from './router';
import { DefaultClusterCache } from './services/ClusterCache/DefaultClusterCache';
import { AuthorizedClusterStatusService } from './services/ClusterStatusService/AuthorizedClusterStatusService';
import { DefaultGpuActivityService } from './services/GpuActivity/DefaultGpuActivityService';
import {
  ClusterNamespaceResource,
  clusterNamespaceResourceRef,
  isNamespaceOwnerRule,
} from './permissions/rules';

/**
 * The cluster status backend plugin.
 *
 * @public
 */
export const clusterStatusPlugin = createBackendPlugin({
  pluginId: 'cluster-status',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        signals: signalsServiceRef,
        kubernetesAccess: kubernetesAccessServiceRef,
        gpuMetrics: gpuMetricsServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        signals,
        kubernetesAccess,
        gpuMetrics,
      }) {
        // The cache is per replica by design: every replica serves its own
        // users from memory, so this is not scheduler work.
        const cache = DefaultClusterCache.create({
          kubernetesAccess,
          logger,
          probeIntervalMs:
            (config.getOptionalNumber('clusterStatus.probeIntervalSeconds') ??
              10) * 1000,
          notifyThrottleMs:
            config.getOptionalNumber('clusterStatus.signalThrottleMs') ?? 2000,
        });

        permissionsRegistry.addResourceType({
          resourceRef: clusterNamespaceResourceRef,
          permissions: clusterStatusPermissions,
          rules: [isNamespaceOwnerRule],
          getResources: async refs =>
            refs.map(ref => {
              const [cluster, name] = ref.split('/');
              const ns = cache
                .listNamespaces(cluster)
                ?.find(n => n.name === name);
              return ns
                ? ({ cluster, name, owner: ns.owner } as ClusterNamespaceResource)
                : undefined;
            }),
        });

        cache.subscribe(cluster => {
          const summary = cache.listSummaries().find(s => s.name === cluster);
          const message: ClusterStatusSignal = {
            cluster,
            status: summary?.status ?? 'pending',
            updatedAt: summary?.updatedAt ?? new Date().toISOString(),
          };
          signals
            .publish({
              recipients: { type: 'broadcast' },
              channel: CLUSTER_STATUS_SIGNAL_CHANNEL,
              message,
            })
            .catch(error =>
              logger.warn('Could not publish cluster status signal', {
                cluster,
                error: String(error),
              }),
            );
        });

        const gpuActivity = DefaultGpuActivityService.fromConfig(config, {
          cache,
          gpuMetrics,
          logger,
        });
        const clusterStatus = AuthorizedClusterStatusService.create({
          cache,
          gpuActivity,
          permissions,
          permissionsRegistry,
        });
        httpRouter.use(await createRouter({ httpAuth, clusterStatus }));

        lifecycle.addStartupHook(() => cache.start());
        lifecycle.addShutdownHook(() => cache.stop());
      },
    });
  },
});
