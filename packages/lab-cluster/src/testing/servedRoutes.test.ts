import { createPortalOpenApiRouter } from '@internal/plugin-portal-node';
import express from 'express';
import Router from 'express-promise-router';
import { servedRoutes, specRoutes } from './servedRoutes';

const ok = { '200': { description: 'ok' } };

const spec = {
  openapi: '3.1.0',
  info: { title: 'demo', version: '1' },
  paths: {
    '/items': { get: { responses: ok }, post: { responses: ok } },
    '/items/{id}': {
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      ],
      delete: { responses: ok },
    },
  },
} as const;

describe('specRoutes', () => {
  it("lists the spec's operations, not its path-level fields", () => {
    expect(specRoutes(spec)).toEqual([
      'DELETE /items/{id}',
      'GET /items',
      'POST /items',
    ]);
  });
});

describe('servedRoutes', () => {
  /** An app as a backend mounts a plugin: below its base path. */
  function appWith(...routers: express.Router[]) {
    const plugin = Router();
    for (const router of routers) plugin.use(router);
    return express().use('/api/demo', plugin);
  }

  it('finds the validating router and the routes below it and its groups', () => {
    const api = createPortalOpenApiRouter(spec);
    api.get('/items', (_req, res) => res.json([]));
    // A group mounted on the API router, as gpu-pool mounts its groups.
    const group = Router();
    group.post('/items', (_req, res) => res.json({}));
    group.delete('/items/:id', (_req, res) => res.json({}));
    api.use(group);
    const served = servedRoutes(appWith(api));
    expect(served).toEqual({ routers: 1, routes: specRoutes(spec) });
  });

  it('counts routes outside a validating router as not served from the spec', () => {
    const api = createPortalOpenApiRouter(spec);
    api.get('/items', (_req, res) => res.json([]));
    const plain = Router();
    plain.post('/items', (_req, res) => res.json({}));
    const served = servedRoutes(appWith(api, plain));
    expect(served).toEqual({ routers: 1, routes: ['GET /items'] });
  });

  it('counts every validating router', () => {
    const served = servedRoutes(
      appWith(createPortalOpenApiRouter(spec), createPortalOpenApiRouter(spec)),
    );
    expect(served).toEqual({ routers: 2, routes: [] });
  });

  it('refuses a group mounted on a path below the validating router', () => {
    const api = createPortalOpenApiRouter(spec);
    api.use(
      '/items',
      Router().get('/', (_req, res) => res.json([])),
    );
    expect(() => servedRoutes(appWith(api))).toThrow(
      'A route group below the API router is mounted on a path',
    );
  });
});
