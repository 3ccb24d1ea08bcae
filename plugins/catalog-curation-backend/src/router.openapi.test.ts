import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  servedRoutes,
  specRoutes,
  startSpecProxy,
  SpecProxy,
} from '@internal/lab-cluster/testing';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { catalogCurationPlugin } from './plugin';
import { spec } from './schema/openapi/generated/router';
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

const API = '/api/catalog-curation';

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
  let proxy: SpecProxy;
  /** The backend's own express app. */
  let root: RequestListener;

  beforeAll(async () => {
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
    root = backend.server.listeners('request')[0] as RequestListener;
    proxy = await startSpecProxy({
      backend: backend.server,
      pluginId: 'catalog-curation',
    });
  });

  afterAll(async () => {
    await stopBackend?.();
  });

  afterEach(() => proxy.settle());

  it('GET /report: the report, 403 for developers and services, 401 without credentials', async () => {
    const res = await request(proxy.server)
      .get(`${API}/report`)
      .set('Authorization', platform);
    expect(res.status).toBe(200);
    expect(res.body.problems.length).toBeGreaterThan(0);
    expect(res.body.orphans.length).toBe(1);
    expect(res.body.entitiesPerTeam).toEqual({ 'group:default/ml-team': 4 });

    const denied = await request(proxy.server)
      .get(`${API}/report`)
      .set('Authorization', developer);
    expect(denied.status).toBe(403);
    const anonymous = await request(proxy.server)
      .get(`${API}/report`)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const service = await request(proxy.server)
      .get(`${API}/report`)
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });

  it('GET /history: snapshots, with and without days, and 400s naming days', async () => {
    const week = await request(proxy.server)
      .get(`${API}/history?days=7`)
      .set('Authorization', platform);
    expect(week.status).toBe(200);
    expect(week.body).toEqual({ snapshots: [] });
    const byDefault = await request(proxy.server)
      .get(`${API}/history`)
      .set('Authorization', platform);
    expect(byDefault.status).toBe(200);

    for (const days of ['abc', '0', '367']) {
      const bad = await request(proxy.server)
        .get(`${API}/history?days=${days}`)
        .set('Authorization', platform);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/days/),
      });
    }
    const denied = await request(proxy.server)
      .get(`${API}/history`)
      .set('Authorization', developer);
    expect(denied.status).toBe(403);
  });

  it('POST /orphans/unregister: 204, 409, 404, 403 and 400s naming entityRef', async () => {
    const send = (body: object, as = platform) =>
      request(proxy.server)
        .post(`${API}/orphans/unregister`)
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
    const res = await request(proxy.server)
      .get(`${API}/quality`)
      .query({ entityRef: 'component:default/ocr-inference' })
      .set('Authorization', developer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ passed: 4, applicable: 6 });
    expect(res.body.checks.some((c: any) => c.missing?.length)).toBe(true);

    const missing = await request(proxy.server)
      .get(`${API}/quality`)
      .query({ entityRef: 'component:default/nope' })
      .set('Authorization', developer);
    expect(missing.status).toBe(404);

    const bad = await request(proxy.server)
      .get(`${API}/quality`)
      .set('Authorization', developer);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/entityRef/);
  });

  it('serves every operation of the spec, and no other route, through one validating router', () => {
    const served = servedRoutes(root);
    expect(served.routers).toBe(1);
    expect(served.routes).toEqual(specRoutes(spec));
    expect(served.routes.length).toBeGreaterThan(2);
  });
});
