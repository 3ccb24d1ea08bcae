import {
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { gpuPoolReclaimExemptPermission } from '@internal/plugin-gpu-pool-common';
import type { GpuMetrics } from '@internal/plugin-kubernetes-access-node';
import express from 'express';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { createReclaimRouter } from '../../router/reclaim';
import { GpuPoolAudit } from '../Audit/GpuPoolAudit';
import { NotificationLocale } from '../GpuPool/notificationMessages';
import { AuthorizedIdleReclaim } from './AuthorizedIdleReclaim';
import { gpuPoolReleasePath, IdleReclaimService } from './IdleReclaimService';
import { readIdleReclaimPolicies } from './readIdleReclaimPolicies';
import { ReclaimStore } from './ReclaimStore';

/**
 * Wires idle reclaim into the GPU pool plugin: the policies from config, the
 * check as a scheduled task (one replica at a time), its permission and its
 * routes. Returns the router to mount.
 */
export async function wireIdleReclaim(deps: {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  scheduler: SchedulerService;
  notifications?: NotificationService;
  gpuMetrics: GpuMetrics;
  store: GpuPoolStore;
  /** The GPU pool service (not the authorized one): its release path ends the lease. */
  service: Parameters<typeof gpuPoolReleasePath>[0];
  audit: GpuPoolAudit;
  /** The language and time zone of the idle notices, from `readNotificationLocale`. */
  locale: NotificationLocale;
}): Promise<express.Router> {
  const { config, logger, service } = deps;
  const policies = readIdleReclaimPolicies(config);
  const platformTeam = (
    config.getOptionalString('portal.platformTeam') ??
    'group:default/platform-team'
  ).toLocaleLowerCase('en-US');
  const reclaim = IdleReclaimService.create({
    store: deps.store,
    reclaimStore: await ReclaimStore.create({ database: deps.database }),
    policies,
    metrics: deps.gpuMetrics,
    audit: deps.audit,
    logger: logger.child({ task: 'gpu-pool-idle-reclaim' }),
    notifications: deps.notifications,
    locale: deps.locale,
    release: gpuPoolReleasePath(service),
  });
  deps.permissionsRegistry.addPermissions([gpuPoolReclaimExemptPermission]);

  if (policies.size > 0) {
    const seconds =
      config.getOptionalNumber('gpuPool.idleReclaimIntervalSeconds') ?? 60;
    await deps.scheduler.scheduleTask({
      id: 'gpu-pool-idle-reclaim',
      frequency: { seconds },
      timeout: { minutes: 5 },
      initialDelay: { seconds: Math.min(seconds, 10) },
      fn: async () => {
        await reclaim.runOnce();
      },
    });
    logger.info(
      `GPU pool idle reclaim checks ${[...policies.keys()].join(
        ', ',
      )} every ${seconds} s`,
    );
  }

  return createReclaimRouter({
    reclaim: AuthorizedIdleReclaim.create({
      reclaim,
      store: deps.store,
      permissions: deps.permissions,
    }),
    httpAuth: deps.httpAuth,
    userInfo: deps.userInfo,
    platformTeam,
  });
}
