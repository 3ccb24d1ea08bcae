import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { catalogCurationPlugin } from './plugin';
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

async function start() {
  const catalog = curationCatalogMock();
  const permissions = platformOnlyPermissions();
  const auditor = mockServices.auditor.mock();
  const { server } = await startTestBackend({
    features: [
      catalogCurationPlugin,
      catalog.factory,
      auditor.factory,
      permissions.factory,
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
  return { server, catalog, auditor };
}

const asUser = (ref: string) => `Bearer ${mockCredentials.user.token(ref)}`;

describe('catalogCurationPlugin', () => {
  it('shows the report to the platform team and refuses developers', async () => {
    const { server } = await start();
    const denied = await request(server)
      .get('/api/catalog-curation/report')
      .set('Authorization', asUser('user:default/jiwoo.kim'));
    expect(denied.status).toBe(403);

    const res = await request(server)
      .get('/api/catalog-curation/report')
      .set('Authorization', asUser(platformUser));
    expect(res.status).toBe(200);
    expect(
      res.body.problems.map((p: any) => `${p.rule} ${p.entityRef}`).sort(),
    ).toEqual([
      'lifecycle-known component:default/old-batch',
      'system-required component:default/old-batch',
    ]);
    expect(res.body.orphans).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/old-batch',
        uid: 'uid-old',
      }),
    ]);

    const history = await request(server)
      .get('/api/catalog-curation/history?days=abc')
      .set('Authorization', asUser(platformUser));
    expect(history.status).toBe(400);
    expect(history.body.error.message).toMatch(/days/);
  });

  it('unregisters only orphans, as the caller', async () => {
    const { server, catalog } = await start();
    const notOrphan = await request(server)
      .post('/api/catalog-curation/orphans/unregister')
      .set('Authorization', asUser(platformUser))
      .send({ entityRef: 'component:default/ocr-inference' });
    expect(notOrphan.status).toBe(409);

    const developer = await request(server)
      .post('/api/catalog-curation/orphans/unregister')
      .set('Authorization', asUser('user:default/jiwoo.kim'))
      .send({ entityRef: 'component:default/old-batch' });
    expect(developer.status).toBe(403);

    const ok = await request(server)
      .post('/api/catalog-curation/orphans/unregister')
      .set('Authorization', asUser(platformUser))
      .send({ entityRef: 'component:default/old-batch' });
    expect(ok.status).toBe(204);
    expect(catalog.removeEntityByUid).toHaveBeenCalledTimes(1);
    expect(catalog.removeEntityByUid).toHaveBeenCalledWith('uid-old', {
      credentials: expect.objectContaining({
        principal: expect.objectContaining({ userEntityRef: platformUser }),
      }),
    });
  });

  it('records every unregister attempt with the auditor: actor, target, outcome', async () => {
    const { server, auditor } = await start();
    await request(server)
      .post('/api/catalog-curation/orphans/unregister')
      .set('Authorization', asUser('user:default/jiwoo.kim'))
      .send({ entityRef: 'component:default/old-batch' });
    await request(server)
      .post('/api/catalog-curation/orphans/unregister')
      .set('Authorization', asUser(platformUser))
      .send({ entityRef: 'component:default/old-batch' });

    expect(
      auditor.createEvent.mock.calls.map(([o]) => [o.eventId, o.meta]),
    ).toEqual([
      [
        'orphan-unregister',
        {
          actor: 'user:default/jiwoo.kim',
          target: { entityRef: 'component:default/old-batch' },
        },
      ],
      [
        'orphan-unregister',
        {
          actor: platformUser,
          target: { entityRef: 'component:default/old-batch' },
        },
      ],
    ]);
    expect(auditor.createEvent.mock.calls[0][0].request).toBeDefined();
    const [refused, done] = await Promise.all(
      auditor.createEvent.mock.results.map(r => r.value),
    );
    expect(refused.fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ name: 'NotAllowedError' }),
      meta: { outcome: 'failure' },
    });
    expect(refused.success).not.toHaveBeenCalled();
    expect(done.success).toHaveBeenCalledWith({ meta: { outcome: 'success' } });
    expect(done.fail).not.toHaveBeenCalled();
  });

  it('gives any developer the scorecard of a component', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/catalog-curation/quality')
      .query({ entityRef: 'component:default/ocr-inference' })
      .set('Authorization', asUser('user:default/jiwoo.kim'));
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.checks.map((c: any) => [c.id, c]));
    expect(byId.owner.status).toBe('pass');
    expect(byId.system.status).toBe('pass');
    expect(byId['kubernetes-namespace'].status).toBe('pass');
    expect(byId.techdocs).toMatchObject({
      status: 'fail',
      missing: ['backstage.io/techdocs-ref'],
    });
    expect(byId.pipeline).toMatchObject({
      status: 'fail',
      missing: ['image-scan'],
    });
    expect(res.body).toMatchObject({ passed: 4, applicable: 6 });

    const missing = await request(server)
      .get('/api/catalog-curation/quality')
      .query({ entityRef: 'component:default/nope' })
      .set('Authorization', asUser('user:default/jiwoo.kim'));
    expect(missing.status).toBe(404);
  });
});
