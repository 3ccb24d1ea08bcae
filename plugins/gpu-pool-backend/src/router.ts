import {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  decisionSchema,
  describeZodError,
  GpuRequestStatus,
  gpuRequestStatuses,
  listRequestsQuerySchema,
  parseDuration,
} from '@internal/plugin-gpu-pool-common';
import express from 'express';
import { gpuPoolUserResolver } from './router/gpuPoolUserResolver';
import { createGpuPoolRoutes } from './router/createGpuPoolApiRouter';
import { GpuPoolService } from './services/GpuPool/types';

/**
 * The requests and pools API, served from `schema/openapi.yaml`: the
 * generated router rejects what the spec does not allow (400 naming the
 * field) before a handler runs. Only speaks HTTP: the service validates,
 * decides and stores.
 */
export async function createRouter(options: {
  service: GpuPoolService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  platformTeam: string;
}): Promise<express.Router> {
  const { service, httpAuth } = options;
  const router = createGpuPoolRoutes();
  const user = gpuPoolUserResolver(options);

  // Rules the spec cannot express (and their messages) stay in zod.
  function reason(body: unknown) {
    const parsed = decisionSchema.safeParse(body ?? {});
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    return parsed.data.reason;
  }

  router.get('/pools', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    let historyMs: number | undefined;
    if (req.query.history !== undefined) {
      historyMs = parseDuration(req.query.history);
      if (historyMs === undefined) {
        throw new InputError(
          'history must be an ISO 8601 duration such as "P1D"',
        );
      }
    }
    res.json({ items: await service.listPools({ historyMs }) });
  });

  router.get('/pools/outside-grants', async (req, res) => {
    res.json({ items: await service.listOutsideGrants(await user(req)) });
  });

  router.post('/requests', async (req, res) => {
    const request = await service.createRequest(req.body, await user(req));
    res.status(201).json(request);
  });

  router.get('/requests', async (req, res) => {
    const query = listRequestsQuerySchema.safeParse(req.query);
    if (!query.success) throw new InputError(describeZodError(query.error));
    const statuses = query.data.status?.flatMap(s => s.split(','));
    const unknown = statuses?.find(
      s => !(gpuRequestStatuses as readonly string[]).includes(s),
    );
    if (unknown) throw new InputError(`status: "${unknown}" is not a status`);
    const items = await service.listRequests({
      scope: query.data.scope,
      statuses: statuses as GpuRequestStatus[] | undefined,
      user: await user(req),
    });
    res.json({ items });
  });

  router.get('/requests/:id', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await service.getRequest(req.params.id));
  });

  router.post('/requests/:id/approve', async (req, res) => {
    res.json(
      await service.approve(req.params.id, await user(req), reason(req.body)),
    );
  });

  router.post('/requests/:id/reject', async (req, res) => {
    res.json(
      await service.reject(req.params.id, await user(req), reason(req.body)),
    );
  });

  router.post('/requests/:id/extend', async (req, res) => {
    res.json(await service.extend(req.params.id, await user(req), req.body));
  });

  router.post('/requests/:id/release', async (req, res) => {
    res.json(
      await service.release(req.params.id, await user(req), reason(req.body)),
    );
  });

  router.get('/audit/verify', async (req, res) => {
    res.json(await service.verifyAudit(await user(req)));
  });

  return router;
}
