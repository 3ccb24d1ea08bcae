import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  historyQuerySchema,
  qualityQuerySchema,
  unregisterOrphanRequestSchema,
} from '@internal/plugin-catalog-curation-common';
import express from 'express';
import { z } from 'zod';
import { createOpenApiRouter } from './schema/openapi/generated/router';
import { CurationService } from './services/CurationService/CurationService';
import { QualityService } from './services/QualityService/QualityService';

// The spec has rejected malformed requests already; the shared zod schemas
// still apply the defaults and the rules the spec cannot say.
function parse<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  where: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Invalid ${where} ${issue.path.join('.') || 'value'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/**
 * The HTTP API of `src/schema/openapi.yaml`, served by the router generated
 * from it: requests are validated against the spec before any handler runs,
 * and handlers are typed from it.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  curation: CurationService;
  quality: QualityService;
}): Promise<express.Router> {
  const { httpAuth, auditor, curation, quality } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '16kb' })],
  });

  router.get('/report', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await curation.getReport(credentials));
  });

  router.get('/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { days } = parse(historyQuerySchema, req.query, 'query');
    res.json(await curation.getHistory(days, credentials));
  });

  router.post('/orphans/unregister', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entityRef } = parse(
      unregisterOrphanRequestSchema,
      req.body,
      'body',
    );
    // Refusals are recorded too: an attempt by someone not allowed matters.
    const event = await auditor.createEvent({
      eventId: 'orphan-unregister',
      severityLevel: 'medium',
      request: req,
      meta: {
        actor: credentials.principal.userEntityRef,
        target: { entityRef },
      },
    });
    try {
      await curation.unregisterOrphan(entityRef, credentials);
    } catch (error) {
      await event.fail({ error: error as Error, meta: { outcome: 'failure' } });
      throw error;
    }
    await event.success({ meta: { outcome: 'success' } });
    res.status(204).end();
  });

  router.get('/quality', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { entityRef } = parse(qualityQuerySchema, req.query, 'query');
    res.json(await quality.getQuality(entityRef, credentials));
  });

  return router;
}
