import * as openApiUtils from '@backstage/backend-openapi-utils';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import {
  createPortalOpenApiRouter,
  isPortalOpenApiRouter,
} from './createPortalOpenApiRouter';

// The real router unless a test lays it out otherwise.
jest.mock('@backstage/backend-openapi-utils', () => {
  const actual = jest.requireActual('@backstage/backend-openapi-utils');
  return {
    ...actual,
    createValidatedOpenApiRouter: jest.fn(actual.createValidatedOpenApiRouter),
  };
});
const { createValidatedOpenApiRouter: realCreate } = jest.requireActual<
  typeof openApiUtils
>('@backstage/backend-openapi-utils');
// Loosely typed: the router's generic spec types are too deep for a mock's.
const createValidated =
  openApiUtils.createValidatedOpenApiRouter as unknown as jest.Mock;

const gpu = {
  type: 'object',
  additionalProperties: false,
  required: ['pool', 'count'],
  properties: {
    pool: { type: 'string' },
    count: { type: 'integer', minimum: 1 },
  },
} as const;

const spec = {
  openapi: '3.1.0',
  info: { title: 'demo', version: '1' },
  paths: {
    '/requests': {
      post: {
        operationId: 'createRequest',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['team', 'gpus'],
                properties: {
                  team: { type: 'string' },
                  gpus: { type: 'array', items: gpu },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'created',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id'],
                  properties: { id: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    '/clusters/{name}': {
      get: {
        operationId: 'getCluster',
        parameters: [
          {
            name: 'name',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^[a-z0-9-]+$' },
          },
        ],
        responses: {
          '200': {
            description: 'the cluster',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['name'],
                  properties: { name: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** As the backend's root error middleware answers an InputError. */
const answerErrors: ErrorRequestHandler = (error, _req, res, _next) => {
  res
    .status(error.name === 'InputError' ? 400 : 500)
    .json({ error: { name: error.name, message: error.message } });
};

/** An app serving the spec through the router, with typed handlers. */
function app(options?: Parameters<typeof createPortalOpenApiRouter>[1]) {
  const router = createPortalOpenApiRouter(spec, options);
  router.post('/requests', (req, res) => {
    // Typed from the spec: the body's fields, the response's shape.
    const pools: string[] = req.body.gpus.map(g => g.pool);
    // @ts-expect-error the spec's body has no `color`
    expect(req.body.color).toBeUndefined();
    res.status(201).json({ id: `${req.body.team}:${pools.join(',')}` });
  });
  router.get('/clusters/:name', (req, res) => {
    const name: string = req.params.name;
    if (name === 'typed') {
      // @ts-expect-error the spec's answer has a string `name`
      res.json({ name: 3 });
      return;
    }
    res.json({ name });
  });
  return express().use('/api/demo', router).use(answerErrors);
}

describe('createPortalOpenApiRouter', () => {
  const body = { team: 'ml', gpus: [{ pool: 'a100', count: 1 }] };

  it('serves requests that match the spec, with typed handlers', async () => {
    const created = await request(app()).post('/api/demo/requests').send(body);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'ml:a100' });
    const cluster = await request(app()).get('/api/demo/clusters/lab-main');
    expect(cluster.status).toBe(200);
    expect(cluster.body.name).toBe('lab-main');
    const served = await request(app()).get('/api/demo/openapi.json');
    expect(served.status).toBe(200);
    expect(JSON.stringify(served.body)).toContain('createRequest');
  });

  it('names the property the spec refuses in a 400', async () => {
    const res = await request(app())
      .post('/api/demo/requests')
      .send({ ...body, gpuz: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: "request/body must NOT have additional properties: 'gpuz'",
    });
  });

  it('names a refused property nested in the body by its path', async () => {
    const res = await request(app())
      .post('/api/demo/requests')
      .send({
        team: 'ml',
        gpus: [body.gpus[0], { pool: 'h100', count: 1, gpuz: 2 }],
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "request/body/gpus/1 must NOT have additional properties: 'gpuz'",
    );
  });

  it("leaves other 400s in backend-openapi-utils' words", async () => {
    const pattern = await request(app()).get('/api/demo/clusters/Not_Valid');
    expect(pattern.status).toBe(400);
    expect(pattern.body.error.name).toBe('InputError');
    expect(pattern.body.error.message).toMatch(
      /^request\/params\/name must match pattern/,
    );
    const missing = await request(app())
      .post('/api/demo/requests')
      .send({ gpus: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      "request/body must have required property 'team'",
    );
  });

  it('marks the router, also once mounted below a promise router', () => {
    const router = createPortalOpenApiRouter(spec);
    expect(isPortalOpenApiRouter(router)).toBe(true);
    const outer = Router();
    outer.use(router);
    const mounted = (outer as unknown as { stack: { handle: unknown }[] })
      .stack[0].handle;
    expect(isPortalOpenApiRouter(mounted)).toBe(true);
    expect(isPortalOpenApiRouter(Router())).toBe(false);
    expect(isPortalOpenApiRouter(undefined)).toBe(false);
  });

  describe('refuses to start when the router is not laid out as expected', () => {
    const refusal =
      /backend-openapi-utils: the validated router has no single error transformer/;

    it('with an error handler among the middleware, before the transformer', () => {
      const early: ErrorRequestHandler = (error, _req, _res, next) =>
        next(error);
      // express takes error handlers in `use`; the option's type does not.
      const options = { middleware: [early as unknown as RequestHandler] };
      expect(() => app(options)).toThrow(refusal);
    });

    it('without an error transformer', () => {
      createValidated.mockImplementationOnce(() => Router() as any);
      expect(() => app()).toThrow(refusal);
    });

    it('with a second error handler after the transformer', () => {
      const late: ErrorRequestHandler = (error, _req, _res, next) =>
        next(error);
      // Untyped: the spec's types would be instantiated again for nothing.
      const create = realCreate as (doc: unknown, options: unknown) => any;
      createValidated.mockImplementationOnce((doc: unknown, options: unknown) =>
        create(doc, options).use(late),
      );
      expect(() => app()).toThrow(refusal);
    });
  });
});
