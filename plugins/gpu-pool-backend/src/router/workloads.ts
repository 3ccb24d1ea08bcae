import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  describeZodError,
  listWorkloadsQuerySchema,
} from '@internal/plugin-gpu-pool-common';
import express from 'express';
import Router from 'express-promise-router';
import type { AuthorizedWorkloadsService } from '../services/Workloads/AuthorizedWorkloadsService';

/**
 * `GET /workloads?cluster=&namespace=`, described in `schema/openapi.yaml`:
 * the Kueue workloads of the caller's teams. Only speaks HTTP.
 */
export function createWorkloadsRouter(options: {
  service: AuthorizedWorkloadsService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { service, httpAuth } = options;
  const router = Router();
  router.get('/workloads', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = listWorkloadsQuerySchema.safeParse(req.query);
    if (!query.success) throw new InputError(describeZodError(query.error));
    res.json(await service.list(query.data, credentials));
  });
  return router;
}
