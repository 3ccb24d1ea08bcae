import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  CurationReport,
  TeamCountsHistory,
  TeamCountsSnapshot,
} from '@internal/plugin-catalog-curation-common';
import { TeamCountsStore } from '../../database/TeamCountsStore';

/** The counts per team over time. */
export interface TeamCountsService {
  /** Writes today's counts from a report (replacing earlier runs today). */
  recordSnapshot(report: CurationReport): Promise<TeamCountsSnapshot[]>;
  history(days: number): Promise<TeamCountsHistory>;
}

/** Counts entities, entities with problems and orphans for each team. */
export function countPerTeam(
  report: CurationReport,
): Array<Omit<TeamCountsSnapshot, 'day'>> {
  const counts = new Map<
    string,
    { entities: number; problems: Set<string>; orphans: number }
  >();
  const row = (team: string) => {
    let r = counts.get(team);
    if (!r) {
      r = { entities: 0, problems: new Set(), orphans: 0 };
      counts.set(team, r);
    }
    return r;
  };
  for (const [team, entities] of Object.entries(report.entitiesPerTeam)) {
    row(team).entities = entities;
  }
  for (const problem of report.problems) {
    row(problem.team).problems.add(problem.entityRef);
  }
  for (const orphan of report.orphans) {
    row(orphan.team).orphans += 1;
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([team, r]) => ({
      team,
      entities: r.entities,
      problems: r.problems.size,
      orphans: r.orphans,
    }));
}

/**
 * Keeps one snapshot per UTC day in the store; each write is an auditor
 * event (`team-counts-snapshot`) whose actor is the plugin's scheduled task.
 */
export class DefaultTeamCountsService implements TeamCountsService {
  readonly #store: TeamCountsStore;
  readonly #logger: LoggerService;
  readonly #auditor: AuditorService;
  readonly #now: () => Date;

  static create(options: {
    store: TeamCountsStore;
    logger: LoggerService;
    auditor: AuditorService;
    now?: () => Date;
  }): DefaultTeamCountsService {
    return new DefaultTeamCountsService(options);
  }

  private constructor(options: {
    store: TeamCountsStore;
    logger: LoggerService;
    auditor: AuditorService;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#auditor = options.auditor;
    this.#now = options.now ?? (() => new Date());
  }

  async recordSnapshot(report: CurationReport): Promise<TeamCountsSnapshot[]> {
    const day = this.#now().toISOString().slice(0, 10);
    const rows = countPerTeam(report);
    const event = await this.#auditor.createEvent({
      eventId: 'team-counts-snapshot',
      severityLevel: 'low',
      meta: {
        actor: 'plugin:catalog-curation (scheduled task)',
        target: { day },
      },
    });
    try {
      await this.#store.replaceDay(day, rows);
    } catch (error) {
      await event.fail({ error: error as Error, meta: { outcome: 'failure' } });
      throw error;
    }
    await event.success({ meta: { outcome: 'success', teams: rows.length } });
    this.#logger.info('Catalog curation counts recorded', {
      day,
      teams: rows.length,
    });
    return rows.map(r => ({ day, ...r }));
  }

  async history(days: number): Promise<TeamCountsHistory> {
    const since = new Date(this.#now().getTime() - (days - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    return { snapshots: await this.#store.listSince(since) };
  }
}
