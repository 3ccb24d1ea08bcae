import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  describeZodError,
  listWorkloadsQuerySchema,
} from '@internal/plugin-gpu-pool-common';
import express from 'express';
import type { AuthorizedWorkloadsService } from '../services/Workloads/AuthorizedWorkloadsService';
import { createGpuPoolRoutes } from './createGpuPoolApiRouter';

/**
 * `GET /workloads?cluster=&namespace=`, served from `schema/openapi.yaml`:
 * the Kueue workloads of the caller's teams. Only speaks HTTP.
 */
export async function createWorkloadsRouter(options: {
  service: AuthorizedWorkloadsService;
  httpAuth: HttpAuthService;
}): Promise<express.Router> {
  const { service, httpAuth } = options;
  const router = createGpuPoolRoutes();
  router.get('/workloads', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = listWorkloadsQuerySchema.safeParse(req.query);
    if (!query.success) throw new InputError(describeZodError(query.error));
    res.json(await service.list(query.data, credentials));
  });
  return router;
}
