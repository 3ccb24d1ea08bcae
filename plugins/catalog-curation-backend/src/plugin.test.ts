import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { catalogCurationPlugin } from './plugin';

// An in-memory SQLite from TestDatabases, closed after the file: the test
// backend's default database never closes its clients, whose pool timers keep
// the jest worker alive.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

jest.setTimeout(60_000);

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'ml-team', namespace: 'default' },
    spec: { type: 'team' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'document-ai', namespace: 'default' },
    spec: { owner: 'ml-team' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'ml-team',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-namespace': 'ml-team' },
    },
    spec: { type: 'kubernetes-namespace', owner: 'ml-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/ml-team' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ocr-inference',
      namespace: 'default',
      uid: 'uid-ocr',
      annotations: {
        'backstage.io/kubernetes-id': 'ocr-inference',
        'backstage.io/kubernetes-namespace': 'ml-team',
        'portal.cloud-smart.io/pipeline-stages': 'sast,sbom',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'ml-team',
      system: 'document-ai',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'old-batch',
      namespace: 'default',
      uid: 'uid-old',
      annotations: { 'backstage.io/orphan': 'true' },
    },
    spec: { type: 'service', lifecycle: 'beta', owner: 'ml-team' },
  },
];

const platformUser = 'user:default/hyunwoo.park';

async function start() {
  const inMemory = catalogServiceMock({ entities });
  const catalog = catalogServiceMock.mock({
    getEntities: (...args) => inMemory.getEntities(...args),
    getEntitiesByRefs: (...args) => inMemory.getEntitiesByRefs(...args),
    getEntityByRef: (...args) => inMemory.getEntityByRef(...args),
    removeEntityByUid: jest.fn(async () => {}),
  });
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, options) =>
      requests.map(() => ({
        result:
          (options?.credentials.principal as { userEntityRef?: string })
            ?.userEntityRef === platformUser
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  });
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
