import type {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  describeZodError,
  reclaimAnswerSchema,
  reclaimExemptSchema,
} from '@internal/plugin-gpu-pool-common';
import express from 'express';
import { z } from 'zod';
import type { AuthorizedIdleReclaim } from '../services/Reclaim/AuthorizedIdleReclaim';
import { createGpuPoolRoutes } from './createGpuPoolApiRouter';
import { gpuPoolUserResolver } from './gpuPoolUserResolver';

export { gpuPoolUserResolver } from './gpuPoolUserResolver';

/**
 * Idle reclaim over HTTP, served from `schema/openapi.yaml`:
 * `GET /reclaim/requests/{id}` and the answers `keep`, `release` (owners)
 * and `exempt` (platform team). Only speaks HTTP.
 */
export async function createReclaimRouter(options: {
  reclaim: AuthorizedIdleReclaim;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  platformTeam: string;
}): Promise<express.Router> {
  const { reclaim, httpAuth } = options;
  const user = gpuPoolUserResolver(options);
  const router = createGpuPoolRoutes();

  // The spec checks the shape; zod adds what it cannot say (a blank reason).
  function parse<T>(
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    body: unknown,
  ): T {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    return parsed.data;
  }

  router.get('/reclaim/requests/:id', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await reclaim.status(req.params.id));
  });

  router.post('/reclaim/requests/:id/keep', async (req, res) => {
    const body = parse(reclaimAnswerSchema, req.body);
    res.json(await reclaim.keep(req.params.id, await user(req), body.reason));
  });

  router.post('/reclaim/requests/:id/release', async (req, res) => {
    const body = parse(reclaimAnswerSchema, req.body);
    res.json(
      await reclaim.release(req.params.id, await user(req), body.reason),
    );
  });

  router.post('/reclaim/requests/:id/exempt', async (req, res) => {
    const body = parse(reclaimExemptSchema, req.body);
    res.json(await reclaim.exempt(req.params.id, await user(req), body.reason));
  });

  return router;
}
