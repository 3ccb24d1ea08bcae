import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { CurationReport } from '@internal/plugin-catalog-curation-common';
import { DatabaseTeamCountsStore } from '../../database/TeamCountsStore';
import { DefaultTeamCountsService, countPerTeam } from './TeamCountsService';

jest.setTimeout(60_000);

const report: CurationReport = {
  generatedAt: '2026-11-25T00:00:00Z',
  entityCount: 9,
  entitiesPerTeam: {
    'group:default/ml-team': 4,
    'group:default/payments-team': 3,
  },
  problems: [
    {
      entityRef: 'component:default/a',
      team: 'group:default/ml-team',
      rule: 'system-required',
      message: '',
    },
    {
      entityRef: 'component:default/a',
      team: 'group:default/ml-team',
      rule: 'lifecycle-known',
      message: '',
    },
    {
      entityRef: 'component:default/ghost',
      team: 'group:default/ghost-team',
      rule: 'owner-is-group',
      message: '',
    },
  ],
  orphans: [
    {
      entityRef: 'component:default/b',
      uid: 'u',
      team: 'group:default/payments-team',
    },
  ],
  failed: [],
  duplicates: [],
};

describe('team counts', () => {
  it('counts entities with problems once, per team', () => {
    expect(countPerTeam(report)).toEqual([
      {
        team: 'group:default/ghost-team',
        entities: 0,
        problems: 1,
        orphans: 0,
      },
      { team: 'group:default/ml-team', entities: 4, problems: 1, orphans: 0 },
      {
        team: 'group:default/payments-team',
        entities: 3,
        problems: 0,
        orphans: 1,
      },
    ]);
  });

  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'records a snapshot per day, %p',
    async id => {
      const store = await DatabaseTeamCountsStore.create({
        database: mockServices.database({ knex: await databases.init(id) }),
      });
      let now = new Date('2026-11-24T23:00:00Z');
      const auditor = mockServices.auditor.mock();
      const service = DefaultTeamCountsService.create({
        store,
        logger: mockServices.logger.mock(),
        auditor,
        now: () => now,
      });
      await service.recordSnapshot(report);
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'team-counts-snapshot',
        severityLevel: 'low',
        meta: {
          actor: 'plugin:catalog-curation (scheduled task)',
          target: { day: '2026-11-24' },
        },
      });
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.success).toHaveBeenCalledWith({
        meta: { outcome: 'success', teams: expect.any(Number) },
      });
      expect(event.fail).not.toHaveBeenCalled();
      now = new Date('2026-11-25T08:00:00Z');
      await service.recordSnapshot({ ...report, orphans: [] });
      await service.recordSnapshot({ ...report, orphans: [] });
      const { snapshots } = await service.history(7);
      expect(
        snapshots
          .filter(s => s.team === 'group:default/payments-team')
          .map(s => [s.day, s.orphans]),
      ).toEqual([
        ['2026-11-24', 1],
        ['2026-11-25', 0],
      ]);
      expect(
        (await service.history(1)).snapshots.every(s => s.day === '2026-11-25'),
      ).toBe(true);
    },
  );
});
