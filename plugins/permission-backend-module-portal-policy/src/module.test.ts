import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import request from 'supertest';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { permissionModulePortalPolicy } from './module';

const memberships: Record<string, string[]> = {
  'user:default/hyunwoo.park': ['group:default/platform-team'],
  'user:default/jiwoo.kim': ['group:default/ml-team'],
};

// The test backend's default database never destroys its SQLite clients, and
// their pool timers keep the jest worker alive after the tests: each plugin
// gets its own in-memory database from TestDatabases, which closes them.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const databaseFactory = createServiceFactory({
  service: coreServices.database,
  deps: {},
  async factory() {
    const knex = await databases.init('SQLITE_3');
    return { getClient: async () => knex };
  },
});

// Ownership as the catalog would resolve it, without signing in through auth.
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const userEntityRef = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(memberships[userEntityRef] ?? []),
        ],
      };
    },
  }),
});

// The users as the policy finds them in the catalog (the catalog client of
// the permission plugin); anyone else counts as removed from the directory.
const catalogUsers = catalogServiceMock.factory({
  entities: Object.keys(memberships).map(ref => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: ref.split('/')[1], namespace: 'default' },
    spec: {},
  })),
});

describe('permissionModulePortalPolicy in a backend', () => {
  it('lets developers read the catalog and only the platform team delete from it', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        permissionPlugin,
        permissionModulePortalPolicy,
        userInfoFactory,
        databaseFactory,
        catalogUsers,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              locations: [],
            },
          },
        }),
      ],
    });

    const developer = mockCredentials.user.header('user:default/jiwoo.kim');
    const platform = mockCredentials.user.header('user:default/hyunwoo.park');

    const listed = await request(server)
      .get('/api/catalog/entities')
      .set('Authorization', developer);
    expect(listed.status).toBe(200);

    const registered = await request(server)
      .post('/api/catalog/locations')
      .set('Authorization', platform)
      .send({
        type: 'url',
        target: 'https://git.example.internal/a/catalog-info.yaml',
      });
    expect(registered.status).toBe(201);
    const locationId = registered.body.location.id;

    const refused = await request(server)
      .delete(`/api/catalog/locations/${locationId}`)
      .set('Authorization', developer);
    expect(refused.status).toBe(403);

    const removed = await request(server)
      .delete(`/api/catalog/locations/${locationId}`)
      .set('Authorization', platform);
    expect(removed.status).toBe(204);
    // Starting the catalog takes a few seconds, more on a busy machine.
  }, 60_000);

  it('denies through the permission backend what no rule names, and the proxy to developers', async () => {
    const { server } = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModulePortalPolicy,
        userInfoFactory,
        databaseFactory,
        catalogUsers,
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
      ],
    });
    const authorize = (user: string, name: string) =>
      request(server)
        .post('/api/permission/authorize')
        .set('Authorization', mockCredentials.user.header(user))
        .send({
          items: [
            { id: '1', permission: { type: 'basic', name, attributes: {} } },
          ],
        });

    const unknown = await authorize(
      'user:default/hyunwoo.park',
      'new.plugin.delete',
    );
    expect(unknown.status).toBe(200);
    expect(unknown.body.items).toEqual([{ id: '1', result: 'DENY' }]);

    const developer = await authorize(
      'user:default/jiwoo.kim',
      'kubernetes.proxy',
    );
    expect(developer.body.items).toEqual([{ id: '1', result: 'DENY' }]);
    const platform = await authorize(
      'user:default/hyunwoo.park',
      'kubernetes.proxy',
    );
    expect(platform.body.items).toEqual([{ id: '1', result: 'ALLOW' }]);

    // Everyone signed in may read the catalog, but not a user it no longer holds.
    const present = await authorize(
      'user:default/jiwoo.kim',
      'catalog.entity.create',
    );
    expect(present.body.items).toEqual([{ id: '1', result: 'ALLOW' }]);
    const removed = await authorize(
      'user:default/sangmin.lim',
      'catalog.entity.create',
    );
    expect(removed.body.items).toEqual([{ id: '1', result: 'DENY' }]);
  }, 60_000);
});
