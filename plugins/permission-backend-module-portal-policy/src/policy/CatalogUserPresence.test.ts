import { CacheService } from '@backstage/backend-plugin-api';
import {
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogUserPresence } from './CatalogUserPresence';

const user = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [] },
});

/** The permission plugin's cache as the backend makes it (memory store). */
async function permissionCache(): Promise<CacheService> {
  return ServiceFactoryTester.from(mockServices.cache.factory()).getSubject(
    'permission',
  );
}

async function presenceWith(
  catalog: ReturnType<typeof catalogServiceMock.mock>,
  cache?: CacheService,
) {
  const logger = mockServices.logger.mock();
  const presence = CatalogUserPresence.create({
    catalog,
    auth: mockServices.auth(),
    logger,
    cache: cache ?? (await permissionCache()),
    cacheMs: 5_000,
  });
  return { presence, logger };
}

describe('CatalogUserPresence', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is true for a User entity of the catalog, false for a missing one or another kind', async () => {
    const catalog = catalogServiceMock({
      entities: [user('jiwoo.kim'), { ...user('ml-team'), kind: 'Group' }],
    });
    const { presence } = await presenceWith(catalog as any);
    expect(await presence.isPresent('user:default/jiwoo.kim')).toBe(true);
    expect(await presence.isPresent('User:default/Jiwoo.Kim')).toBe(true);
    expect(await presence.isPresent('user:default/sangmin.lim')).toBe(false);
    expect(await presence.isPresent('group:default/ml-team')).toBe(false);
  });

  it('remembers a present user briefly in the cache, never an absent one', async () => {
    let now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    let exists = true;
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () =>
        exists ? (user('sangmin.lim') as any) : undefined,
      ),
    });
    const { presence } = await presenceWith(catalog);
    const ref = 'user:default/sangmin.lim';
    expect(await presence.isPresent(ref)).toBe(true);
    exists = false; // removed from the directory, then from the catalog
    now += 4_000;
    expect(await presence.isPresent(ref)).toBe(true); // still within 5 s
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    now += 1_001;
    expect(await presence.isPresent(ref)).toBe(false);
    expect(await presence.isPresent(ref)).toBe(false);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    exists = true;
    expect(await presence.isPresent(ref)).toBe(true);
  });

  it('asks once for concurrent checks of one user', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () => user('jiwoo.kim') as any),
    });
    const { presence } = await presenceWith(catalog);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        presence.isPresent('user:default/jiwoo.kim'),
      ),
    );
    expect(answers).toEqual([true, true, true, true, true]);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
  });

  it('shares what it found through the cache: a second instance (replica) on the same store does not ask', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () => user('jiwoo.kim') as any),
    });
    const cache = await permissionCache();
    const first = await presenceWith(catalog, cache);
    const second = await presenceWith(catalog, cache);
    expect(await first.presence.isPresent('user:default/jiwoo.kim')).toBe(true);
    expect(await second.presence.isPresent('user:default/jiwoo.kim')).toBe(
      true,
    );
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
  });

  it('counts a user as absent when the catalog cannot answer (fail closed), and says why', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () => {
        throw new Error('connect ECONNREFUSED');
      }),
    });
    const { presence, logger } = await presenceWith(catalog);
    expect(await presence.isPresent('user:default/jiwoo.kim')).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      'Denied user:default/jiwoo.kim: the catalog could not tell whether the user exists',
      expect.objectContaining({ error: 'Error: connect ECONNREFUSED' }),
    );
  });

  it('asks the catalog when the cache fails, and still denies when the catalog cannot answer either', async () => {
    const broken = mockServices.cache.mock({
      get: jest.fn(async () => {
        throw new Error('cache store down');
      }),
      set: jest.fn(async () => {
        throw new Error('cache store down');
      }),
      delete: jest.fn(async () => {
        throw new Error('cache store down');
      }),
    });
    let reachable = true;
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () => {
        if (!reachable) throw new Error('connect ECONNREFUSED');
        return user('jiwoo.kim') as any;
      }),
    });
    const { presence, logger } = await presenceWith(catalog, broken);
    expect(await presence.isPresent('user:default/jiwoo.kim')).toBe(true);
    expect(await presence.isPresent('user:default/jiwoo.kim')).toBe(true);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      'The presence cache could not be read; asking the catalog about user:default/jiwoo.kim',
      expect.objectContaining({ error: 'Error: cache store down' }),
    );
    reachable = false;
    expect(await presence.isPresent('user:default/jiwoo.kim')).toBe(false);
  });
});
