import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  gpuMetricsServiceRef,
  kubernetesAccessServiceRef,
} from '@internal/plugin-kubernetes-access-node';
import {
  holdingStatuses,
  gpuPoolAuditReadPermission,
  gpuPoolRequestApprovePermission,
  gpuPoolTeamPermissions,
} from '@internal/plugin-gpu-pool-common';
import { readGpuPoolConfig } from './config/readGpuPoolConfig';
import { GpuPoolStore } from './database/GpuPoolStore';
import { gpuPoolTeamResourceRef, isTeamMemberRule } from './permissions/rules';
import { createRouter } from './router';
import { createGpuPoolApiRouter } from './router/createGpuPoolApiRouter';
import {
  DefaultCapacityService,
  namespaceGrants,
} from './services/Capacity/CapacityService';
import { AuthorizedGpuPoolService } from './services/GpuPool/AuthorizedGpuPoolService';
import { DefaultGpuPoolService } from './services/GpuPool/DefaultGpuPoolService';
import { publishChanges } from './services/GpuPool/publishChanges';
import { readNotificationLocale } from './services/GpuPool/notificationMessages';
import { GpuPoolAudit } from './services/Audit/GpuPoolAudit';
import { Reconciler } from './services/Reconciler/Reconciler';
import { wireIdleReclaim } from './services/Reclaim/wireIdleReclaim';
import { wireShowback } from './services/Showback/wireShowback';
import { wireWorkloads } from './services/Workloads/wireWorkloads';

/**
 * The GPU pool backend plugin: leases of pooled GPUs and self-served
 * namespaces at `/api/gpu-pool`.
 *
 * @public
 */
export const gpuPoolPlugin = createBackendPlugin({
  pluginId: 'gpu-pool',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        kubernetes: kubernetesAccessServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        gpuMetrics: gpuMetricsServiceRef,
      },
      async init(deps) {
        const { logger, kubernetes, scheduler } = deps;
        const config = readGpuPoolConfig(deps.config);
        const store = await GpuPoolStore.create({ database: deps.database });
        const capacity = DefaultCapacityService.create({
          pools: config.pools,
          kubernetes,
          logger,
          fallback: () => store.read.storedCapacities(),
          grants: async () =>
            namespaceGrants(
              await store.read.listRequests({ statuses: [...holdingStatuses] }),
            ),
        });
        const audit = GpuPoolAudit.create({ auditor: deps.auditor, logger });
        const service = await DefaultGpuPoolService.create({
          store,
          config,
          capacity,
          kubernetes,
          logger,
          audit,
        });
        const reconciler = Reconciler.create({
          store,
          service,
          kubernetes,
          config,
          logger,
        });
        const locale = readNotificationLocale(deps.config);
        service.onChange(changes => {
          void reconciler.kick();
          void publishChanges(changes, {
            signals: deps.signals,
            notifications: deps.notifications,
            config,
            logger,
            locale,
          });
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: gpuPoolTeamResourceRef,
          permissions: gpuPoolTeamPermissions,
          rules: [isTeamMemberRule],
          getResources: async refs =>
            refs.map(ref => ({ teamRef: ref.toLocaleLowerCase('en-US') })),
        });

        deps.permissionsRegistry.addPermissions([
          gpuPoolRequestApprovePermission,
          gpuPoolAuditReadPermission,
        ]);

        await scheduler.scheduleTask({
          id: 'gpu-pool-reconcile',
          frequency: { seconds: config.reconcileIntervalSeconds },
          timeout: { seconds: config.reconcileTimeoutSeconds },
          initialDelay: { seconds: 1 },
          fn: async () => {
            await service.processLeases();
            await reconciler.kick();
          },
        });

        // One router validates each request against the spec, once; the
        // route groups it hands requests to only serve.
        const api = await createGpuPoolApiRouter();
        api.use(await wireWorkloads(deps));
        api.use(
          await wireIdleReclaim({ ...deps, store, service, audit, locale }),
        );
        api.use(await wireShowback(deps));
        api.use(
          await createRouter({
            service: AuthorizedGpuPoolService.create({
              service,
              permissions: deps.permissions,
            }),
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            platformTeam: config.platformTeam,
          }),
        );
        deps.httpRouter.use(api);
      },
    });
  },
});
