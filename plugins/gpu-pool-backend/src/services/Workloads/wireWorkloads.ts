import type {
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import { gpuPoolWorkloadReadPermission } from '@internal/plugin-gpu-pool-common';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import express from 'express';
import { createWorkloadsRouter } from '../../router/workloads';
import { AuthorizedWorkloadsService } from './AuthorizedWorkloadsService';
import { DefaultWorkloadsService } from './DefaultWorkloadsService';
import { WorkloadsWatcher } from './WorkloadsWatcher';

/** How often the clusters are compared for the job page's live updates. */
export const WORKLOADS_WATCH_SECONDS = 2;

/**
 * Composes the workloads feature of the GPU pool: the read service behind
 * its permission, the watcher that signals changes (scheduled, so several
 * replicas never run it twice) and the router.
 */
export async function wireWorkloads(deps: {
  kubernetes: KubernetesAccess;
  logger: LoggerService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  scheduler: SchedulerService;
  signals: SignalsService;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const logger = deps.logger.child({ feature: 'workloads' });
  // Its resource type, gpu-pool-team, and rule are registered by the plugin.
  deps.permissionsRegistry.addPermissions([gpuPoolWorkloadReadPermission]);
  const watcher = WorkloadsWatcher.create({
    kubernetes: deps.kubernetes,
    signals: deps.signals,
    logger,
  });
  await deps.scheduler.scheduleTask({
    id: 'gpu-pool-workloads-watch',
    frequency: { seconds: WORKLOADS_WATCH_SECONDS },
    timeout: { seconds: 30 },
    fn: async () => {
      await watcher.pass();
    },
  });
  return createWorkloadsRouter({
    service: AuthorizedWorkloadsService.create({
      service: DefaultWorkloadsService.create({
        kubernetes: deps.kubernetes,
        logger,
      }),
      permissions: deps.permissions,
    }),
    httpAuth: deps.httpAuth,
  });
}
