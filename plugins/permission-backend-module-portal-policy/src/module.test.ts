import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { permissionModulePortalPolicy } from './module';

const memberships: Record<string, string[]> = {
  'user:default/hyunwoo.park': ['group:default/platform-team'],
  'user:default/jiwoo.kim': ['group:default/ml-team'],
};

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

describe('permissionModulePortalPolicy in a backend', () => {
  it('lets developers read the catalog and only the platform team delete from it', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        permissionPlugin,
        permissionModulePortalPolicy,
        userInfoFactory,
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
  }, 60_000);
});
