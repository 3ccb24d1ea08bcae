import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogUserPresence } from './CatalogUserPresence';

const user = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [] },
});

function presenceWith(
  catalog: ReturnType<typeof catalogServiceMock.mock>,
  now: () => number = Date.now,
) {
  const logger = mockServices.logger.mock();
  const presence = CatalogUserPresence.create({
    catalog,
    auth: mockServices.auth(),
    logger,
    cacheMs: 5_000,
    now,
  });
  return { presence, logger };
}

describe('CatalogUserPresence', () => {
  it('is true for a User entity of the catalog, false for a missing one or another kind', async () => {
    const catalog = catalogServiceMock({
      entities: [
        user('jiwoo.kim'),
        { ...user('ml-team'), kind: 'Group' },
      ],
    });
    const { presence } = presenceWith(catalog as any);
    expect(await presence.isPresent('user:default/jiwoo.kim')).toBe(true);
    expect(await presence.isPresent('User:default/Jiwoo.Kim')).toBe(true);
    expect(await presence.isPresent('user:default/sangmin.lim')).toBe(false);
    expect(await presence.isPresent('group:default/ml-team')).toBe(false);
  });

  it('remembers a present user briefly, never an absent one', async () => {
    let now = 1_000_000;
    let exists = true;
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () =>
        exists ? (user('sangmin.lim') as any) : undefined,
      ),
    });
    const { presence } = presenceWith(catalog, () => now);
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
    const { presence } = presenceWith(catalog);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        presence.isPresent('user:default/jiwoo.kim'),
      ),
    );
    expect(answers).toEqual([true, true, true, true, true]);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
  });

  it('counts a user as absent when the catalog cannot answer (fail closed), and says why', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () => {
        throw new Error('connect ECONNREFUSED');
      }),
    });
    const { presence, logger } = presenceWith(catalog);
    expect(await presence.isPresent('user:default/jiwoo.kim')).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      'Denied user:default/jiwoo.kim: the catalog could not tell whether the user exists',
      expect.objectContaining({ error: 'Error: connect ECONNREFUSED' }),
    );
  });
});
