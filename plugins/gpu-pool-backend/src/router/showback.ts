import type {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  describeZodError,
  showbackQuerySchema,
} from '@internal/plugin-gpu-pool-common';
import express, { Request } from 'express';
import type { AuthorizedShowback } from '../services/Showback/AuthorizedShowback';
import { showbackCsv } from '../services/Showback/showbackCsv';
import { createGpuPoolRoutes } from './createGpuPoolApiRouter';
import { gpuPoolUserResolver } from './gpuPoolUserResolver';

/**
 * `GET /showback` (JSON) and `GET /showback.csv`, served from
 * `schema/openapi.yaml`. Only speaks HTTP.
 */
export async function createShowbackRouter(options: {
  showback: AuthorizedShowback;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  platformTeam: string;
}): Promise<express.Router> {
  const { showback } = options;
  const user = gpuPoolUserResolver(options);
  const router = createGpuPoolRoutes();

  async function report(req: Request) {
    const query = showbackQuerySchema.safeParse(req.query);
    if (!query.success) throw new InputError(describeZodError(query.error));
    return showback.report(query.data, await user(req));
  }

  router.get('/showback', async (req, res) => {
    res.json(await report(req));
  });

  router.get('/showback.csv', async (req, res) => {
    const r = await report(req);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(`gpu-showback-${r.period}-${r.from}-${r.to}.csv`)
      .send(showbackCsv(r));
  });

  return router;
}
