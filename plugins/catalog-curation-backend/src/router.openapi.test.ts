import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import express from 'express';
import { Server } from 'node:http';
import request from 'supertest';
import { catalogCurationPlugin } from './plugin';
import { servedRoutes, specRoutes } from './schema/openapi/generated/routes';
import {
  curationCatalogMock,
  platformOnlyPermissions,
  platformUser,
} from './__testUtils__/fixtures';

// An in-memory SQLite from TestDatabases, closed after the file: the test
// backend's default database never closes its clients, whose pool timers keep
// the jest worker alive.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

jest.setTimeout(60_000);

const asUser = (ref: string) => `Bearer ${mockCredentials.user.token(ref)}`;
const platform = asUser(platformUser);
const developer = asUser('user:default/jiwoo.kim');

/**
 * Every route, in success and error cases, through the validating proxy of
 * backend-openapi-utils: any response (status or body) that the spec does not
 * describe fails the test. The backend is the real one (startTestBackend with
 * the plugin, its services, its database and the root error middleware); the
 * catalog is an in-memory mock.
 */
describe('catalog-curation HTTP API against its OpenAPI spec', () => {
  let stopBackend: () => Promise<void>;
  let server: Server;
  /** The backend's own express app. */
  let root: express.Express;
  // The proxy validates each response after passing it on, in a promise
  // nobody awaits: a mismatch surfaces as an unhandled rejection.
  const violations: unknown[] = [];
  const onRejection = (reason: unknown) => violations.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    const catalog = curationCatalogMock();
    const backend = await startTestBackend({
      features: [
        catalogCurationPlugin,
        catalog.factory,
        platformOnlyPermissions().factory,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({
          data: {
            catalogCuration: {
              snapshot: {
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 1 },
                },
              },
            },
          },
        }),
      ],
    });
    stopBackend = () => backend.stop();
    // The backend's own app (auth, error middleware), with the plugin's mount
    // point prepended: the proxy matches request paths against the spec's.
    root = backend.server.listeners('request')[0] as express.Express;
    const app = express();
    app.use((req, res, next) => {
      req.url = `/api/catalog-curation${req.url}`;
      root(req, res, next);
    });
    const listen = app.listen.bind(app);
    app.listen = ((port: number) =>
      listen(port, '127.0.0.1')) as typeof app.listen;
    server = await wrapServer(app);
  });

  afterAll(async () => {
    await stopBackend?.();
    process.off('unhandledRejection', onRejection);
  });

  afterEach(async () => {
    // Let the proxy finish validating the last response.
    await new Promise(resolve => setTimeout(resolve, 100));
    const found = violations.splice(0).map(String);
    if (found.length > 0) {
      throw new Error(`Responses off the spec:\n${found.join('\n')}`);
    }
  });

  it('GET /report: the report, 403 for developers and services, 401 without credentials', async () => {
    const res = await request(server)
      .get('/report')
      .set('Authorization', platform);
    expect(res.status).toBe(200);
    expect(res.body.problems.length).toBeGreaterThan(0);
    expect(res.body.orphans.length).toBe(1);
    expect(res.body.entitiesPerTeam).toEqual({ 'group:default/ml-team': 4 });

    const denied = await request(server)
      .get('/report')
      .set('Authorization', developer);
    expect(denied.status).toBe(403);
    const anonymous = await request(server)
      .get('/report')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const service = await request(server)
      .get('/report')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });

  it('GET /history: snapshots, with and without days, and 400s naming days', async () => {
    const week = await request(server)
      .get('/history?days=7')
      .set('Authorization', platform);
    expect(week.status).toBe(200);
    expect(week.body).toEqual({ snapshots: [] });
    const byDefault = await request(server)
      .get('/history')
      .set('Authorization', platform);
    expect(byDefault.status).toBe(200);

    for (const days of ['abc', '0', '367']) {
      const bad = await request(server)
        .get(`/history?days=${days}`)
        .set('Authorization', platform);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/days/),
      });
    }
    const denied = await request(server)
      .get('/history')
      .set('Authorization', developer);
    expect(denied.status).toBe(403);
  });

  it('POST /orphans/unregister: 204, 409, 404, 403 and 400s naming entityRef', async () => {
    const send = (body: object, as = platform) =>
      request(server)
        .post('/orphans/unregister')
        .set('Authorization', as)
        .send(body);

    expect(
      (await send({ entityRef: 'component:default/ocr-inference' })).status,
    ).toBe(409);
    expect((await send({ entityRef: 'component:default/nope' })).status).toBe(
      404,
    );
    expect(
      (await send({ entityRef: 'component:default/old-batch' }, developer))
        .status,
    ).toBe(403);
    const done = await send({ entityRef: 'component:default/old-batch' });
    expect(done.status).toBe(204);
    expect(done.text).toBe('');

    for (const body of [{}, { entityRef: 42 }, { entityRef: '' }]) {
      const bad = await send(body);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/entityRef/),
      });
    }
    // A property the spec does not know is refused by name.
    const unknown = await send({
      entityRef: 'component:default/old-batch',
      force: true,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      name: 'InputError',
      message: "request/body must NOT have additional properties: 'force'",
    });
  });

  it('GET /quality: the scorecard, 404 and a 400 naming entityRef', async () => {
    const res = await request(server)
      .get('/quality')
      .query({ entityRef: 'component:default/ocr-inference' })
      .set('Authorization', developer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ passed: 4, applicable: 6 });
    expect(res.body.checks.some((c: any) => c.missing?.length)).toBe(true);

    const missing = await request(server)
      .get('/quality')
      .query({ entityRef: 'component:default/nope' })
      .set('Authorization', developer);
    expect(missing.status).toBe(404);

    const bad = await request(server)
      .get('/quality')
      .set('Authorization', developer);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/entityRef/);
  });

  it('serves every operation of the spec, and no other route, through one validating router', () => {
    const served = servedRoutes(root);
    expect(served.routers).toBe(1);
    expect(served.routes).toEqual(specRoutes());
    expect(served.routes.length).toBeGreaterThan(2);
  });
});
