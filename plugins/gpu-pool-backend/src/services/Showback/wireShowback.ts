import {
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { gpuPoolShowbackReadPermission } from '@internal/plugin-gpu-pool-common';
import type { GpuMetrics } from '@internal/plugin-kubernetes-access-node';
import express from 'express';
import { createShowbackRouter } from '../../router/showback';
import { AuthorizedShowback } from './AuthorizedShowback';
import { ShowbackService } from './ShowbackService';

/**
 * Wires showback into the GPU pool plugin: its permission (on the team
 * resource type the plugin registers) and its routes. Create the GPU pool
 * store first: it runs the migrations.
 */
export async function wireShowback(deps: {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  gpuMetrics: GpuMetrics;
}): Promise<express.Router> {
  deps.permissionsRegistry.addPermissions([gpuPoolShowbackReadPermission]);
  const showback = await ShowbackService.create({
    database: deps.database,
    metrics: deps.gpuMetrics,
    logger: deps.logger.child({ service: 'gpu-pool-showback' }),
  });
  return createShowbackRouter({
    showback: AuthorizedShowback.create({
      showback,
      permissions: deps.permissions,
    }),
    httpAuth: deps.httpAuth,
    userInfo: deps.userInfo,
    platformTeam: (
      deps.config.getOptionalString('portal.platformTeam') ??
      'group:default/platform-team'
    ).toLocaleLowerCase('en-US'),
  });
}
