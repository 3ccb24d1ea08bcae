import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { TeamCountsSnapshot } from '@internal/plugin-catalog-curation-common';
import { Knex } from 'knex';

const TABLE = 'catalog_curation_team_counts';

/** Where the daily counts per team are kept. */
export interface TeamCountsStore {
  /** Replaces the counts of `day` with `rows`. */
  replaceDay(
    day: string,
    rows: Omit<TeamCountsSnapshot, 'day'>[],
  ): Promise<void>;
  /** Every snapshot from `sinceDay` on, oldest first. */
  listSince(sinceDay: string): Promise<TeamCountsSnapshot[]>;
}

/** The store over the plugin's database, with knex migrations. */
export class DatabaseTeamCountsStore implements TeamCountsStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseTeamCountsStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@internal/plugin-catalog-curation-backend',
          'migrations',
        ),
      });
    }
    return new DatabaseTeamCountsStore(db);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async replaceDay(
    day: string,
    rows: Omit<TeamCountsSnapshot, 'day'>[],
  ): Promise<void> {
    await this.#db.transaction(async tx => {
      await tx(TABLE).where({ day }).delete();
      // Chunks keep SQLite under its variable limit on large organisations.
      for (let i = 0; i < rows.length; i += 100) {
        await tx(TABLE).insert(
          rows.slice(i, i + 100).map(r => ({ day, ...r })),
        );
      }
    });
  }

  async listSince(sinceDay: string): Promise<TeamCountsSnapshot[]> {
    const rows = await this.#db(TABLE)
      .where('day', '>=', sinceDay)
      .orderBy([
        { column: 'day', order: 'asc' },
        { column: 'team', order: 'asc' },
      ]);
    return rows.map(r => ({
      day: r.day,
      team: r.team,
      entities: Number(r.entities),
      problems: Number(r.problems),
      orphans: Number(r.orphans),
    }));
  }
}
