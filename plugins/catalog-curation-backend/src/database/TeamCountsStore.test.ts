import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseTeamCountsStore } from './TeamCountsStore';

jest.setTimeout(60_000);

describe('DatabaseTeamCountsStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'replaces a day and lists from a day on, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseTeamCountsStore.create({
        database: mockServices.database({ knex }),
      });
      const team = 'group:default/ml-team';
      await store.replaceDay('2026-11-23', [
        { team, entities: 5, problems: 2, orphans: 0 },
      ]);
      await store.replaceDay('2026-11-24', [
        { team, entities: 6, problems: 1, orphans: 1 },
      ]);
      // A second run on the same day replaces, never duplicates.
      await store.replaceDay('2026-11-24', [
        { team, entities: 7, problems: 0, orphans: 0 },
        { team: 'unowned', entities: 1, problems: 1, orphans: 0 },
      ]);

      await expect(store.listSince('2026-11-24')).resolves.toEqual([
        { day: '2026-11-24', team, entities: 7, problems: 0, orphans: 0 },
        {
          day: '2026-11-24',
          team: 'unowned',
          entities: 1,
          problems: 1,
          orphans: 0,
        },
      ]);
      await expect(store.listSince('2026-01-01')).resolves.toHaveLength(3);
    },
  );
});
