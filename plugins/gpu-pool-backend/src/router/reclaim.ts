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
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { GpuPoolUser } from '../services/GpuPool/types';
import type { AuthorizedIdleReclaim } from '../services/Reclaim/AuthorizedIdleReclaim';

/** Resolves the signed-in caller of a request (users only). */
export function gpuPoolUserResolver(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  platformTeam: string;
}) {
  return async (req: Request): Promise<GpuPoolUser> => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const info = await options.userInfo.getUserInfo(credentials);
    const ownershipEntityRefs = info.ownershipEntityRefs.map(r =>
      r.toLocaleLowerCase('en-US'),
    );
    return {
      credentials,
      userEntityRef: info.userEntityRef.toLocaleLowerCase('en-US'),
      ownershipEntityRefs,
      isPlatformTeam: ownershipEntityRefs.includes(options.platformTeam),
      httpRequest: req,
    };
  };
}

/**
 * Idle reclaim over HTTP, described in `schema/openapi.yaml`:
 * `GET /reclaim/requests/{id}` and the answers `keep`, `release` (owners)
 * and `exempt` (platform team). Only speaks HTTP.
 */
export function createReclaimRouter(options: {
  reclaim: AuthorizedIdleReclaim;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  platformTeam: string;
}): express.Router {
  const { reclaim, httpAuth } = options;
  const user = gpuPoolUserResolver(options);
  const router = Router();
  router.use('/reclaim', express.json({ limit: '16kb' }));

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
