import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  GpuAmount,
  GpuRequestStatus,
  GpuRequestTransition,
} from '@internal/plugin-gpu-pool-common';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-gpu-pool-backend',
  'migrations',
);

/** A request row, with times in epoch milliseconds. */
export interface RequestRow {
  id: string;
  team: string;
  cluster: string;
  namespace: string;
  gpus: GpuAmount[];
  cpu: string;
  memory: string;
  duration?: string;
  durationMs?: number;
  justification: string;
  ephemeral: boolean;
  priority: number;
  status: GpuRequestStatus;
  requestedBy: string;
  decidedBy?: string;
  createdAt: number;
  updatedAt: number;
  grantedAt?: number;
  expiresAt?: number;
  notifiedAt?: number;
  cleanupPending: boolean;
  lastError?: string;
}

/** Fields of a status change besides the status itself. */
export interface StatusChange {
  actor: string;
  reason: string;
  at: number;
  /** Record a transition even when the status stays the same (e.g. an extension). */
  record?: boolean;
  patch?: Partial<
    Pick<
      RequestRow,
      | 'grantedAt'
      | 'expiresAt'
      | 'notifiedAt'
      | 'cleanupPending'
      | 'decidedBy'
      | 'lastError'
    >
  >;
}

function num(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function toRow(r: any): RequestRow {
  return {
    id: r.id,
    team: r.team,
    cluster: r.cluster,
    namespace: r.namespace,
    gpus: JSON.parse(r.gpus),
    cpu: r.cpu,
    memory: r.memory,
    duration: r.duration ?? undefined,
    durationMs: num(r.duration_ms),
    justification: r.justification,
    ephemeral: Boolean(r.ephemeral),
    priority: Number(r.priority),
    status: r.status,
    requestedBy: r.requested_by,
    decidedBy: r.decided_by ?? undefined,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    grantedAt: num(r.granted_at),
    expiresAt: num(r.expires_at),
    notifiedAt: num(r.notified_at),
    cleanupPending: Boolean(r.cleanup_pending),
    lastError: r.last_error ?? undefined,
  };
}

function patchColumns(patch: StatusChange['patch'] = {}) {
  const out: Record<string, unknown> = {};
  const map: Record<string, string> = {
    grantedAt: 'granted_at',
    expiresAt: 'expires_at',
    notifiedAt: 'notified_at',
    cleanupPending: 'cleanup_pending',
    decidedBy: 'decided_by',
    lastError: 'last_error',
  };
  for (const [key, value] of Object.entries(patch)) {
    out[map[key]] = value === undefined ? null : value;
  }
  return out;
}

/** Queries and writes, inside or outside a transaction. */
export class GpuPoolTx {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  private get isPostgres() {
    return String(this.db.client.config.client).includes('pg');
  }

  /** Makes sure there is a lock row per pool. */
  async ensurePools(poolIds: string[]): Promise<void> {
    if (poolIds.length === 0) return;
    await this.db('gpu_pool_pools')
      .insert(poolIds.map(pool_id => ({ pool_id, capacity: 0 })))
      .onConflict('pool_id')
      .ignore();
  }

  /**
   * Locks all pool rows in a fixed order (no deadlocks between replicas) and
   * returns the stored capacities.
   */
  async lockPools(): Promise<Map<string, number>> {
    let query = this.db('gpu_pool_pools')
      .select('pool_id', 'capacity')
      .orderBy('pool_id');
    if (this.isPostgres) {
      query = query.forUpdate();
    }
    const rows = await query;
    return new Map(rows.map(r => [r.pool_id, Number(r.capacity)]));
  }

  async setCapacity(poolId: string, capacity: number, at: number) {
    await this.db('gpu_pool_pools')
      .where({ pool_id: poolId })
      .update({ capacity, capacity_at: at });
  }

  async storedCapacities(): Promise<Map<string, number>> {
    const rows = await this.db('gpu_pool_pools').select('pool_id', 'capacity');
    return new Map(rows.map(r => [r.pool_id, Number(r.capacity)]));
  }

  /** GPUs held per pool and team (grants not yet released). */
  async holdings(): Promise<
    Array<{ pool: string; team: string; count: number }>
  > {
    const rows: any[] = await this.db('gpu_pool_grants')
      .whereNull('released_at')
      .select('pool_id', 'team')
      .sum({ total: 'count' })
      .groupBy('pool_id', 'team');
    return rows.map(r => ({
      pool: r.pool_id,
      team: r.team,
      count: Number(r.total),
    }));
  }

  async insertRequest(row: RequestRow, transition: GpuRequestTransition) {
    await this.db('gpu_pool_requests').insert({
      id: row.id,
      team: row.team,
      cluster: row.cluster,
      namespace: row.namespace,
      gpus: JSON.stringify(row.gpus),
      cpu: row.cpu,
      memory: row.memory,
      duration: row.duration ?? null,
      duration_ms: row.durationMs ?? null,
      justification: row.justification,
      ephemeral: row.ephemeral,
      priority: row.priority,
      status: row.status,
      requested_by: row.requestedBy,
      decided_by: row.decidedBy ?? null,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
      cleanup_pending: false,
    });
    await this.insertTransition(row.id, transition);
  }

  private async insertTransition(id: string, t: GpuRequestTransition) {
    await this.db('gpu_pool_transitions').insert({
      request_id: id,
      from_status: t.from ?? null,
      to_status: t.to,
      actor: t.actor,
      reason: t.reason,
      at: new Date(t.at).getTime(),
    });
  }

  /**
   * Moves a request to a new status and records the transition. Returns
   * false (and changes nothing) when the row was not in an expected status,
   * so concurrent replicas never apply the same transition twice.
   */
  async changeStatus(
    id: string,
    from: GpuRequestStatus,
    to: GpuRequestStatus,
    change: StatusChange,
  ): Promise<boolean> {
    const updated = await this.db('gpu_pool_requests')
      .where({ id, status: from })
      .update({
        status: to,
        updated_at: change.at,
        ...patchColumns(change.patch),
      });
    if (updated === 0) {
      return false;
    }
    if (from !== to || change.record) {
      await this.insertTransition(id, {
        from,
        to,
        actor: change.actor,
        reason: change.reason,
        at: new Date(change.at).toISOString(),
      });
    }
    return true;
  }

  async patchRequest(id: string, patch: StatusChange['patch'], at: number) {
    await this.db('gpu_pool_requests')
      .where({ id })
      .update({ ...patchColumns(patch), updated_at: at });
  }

  async getRequest(id: string): Promise<RequestRow | undefined> {
    const row = await this.db('gpu_pool_requests').where({ id }).first();
    return row ? toRow(row) : undefined;
  }

  async listRequests(filter: {
    statuses?: GpuRequestStatus[];
    teams?: string[];
    requestedBy?: string;
    cluster?: string;
    namespace?: string;
    cleanupPending?: boolean;
    limit?: number;
  }): Promise<RequestRow[]> {
    const query = this.db('gpu_pool_requests').select();
    if (filter.statuses) query.whereIn('status', filter.statuses);
    if (filter.teams) query.whereIn('team', filter.teams);
    if (filter.requestedBy) query.where('requested_by', filter.requestedBy);
    if (filter.cluster) query.where('cluster', filter.cluster);
    if (filter.namespace) query.where('namespace', filter.namespace);
    if (filter.cleanupPending !== undefined) {
      query.where('cleanup_pending', filter.cleanupPending);
    }
    query.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }]);
    if (filter.limit) query.limit(filter.limit);
    return (await query).map(toRow);
  }

  async history(id: string): Promise<GpuRequestTransition[]> {
    const rows = await this.db('gpu_pool_transitions')
      .where({ request_id: id })
      .orderBy('id');
    return rows.map(r => ({
      from: r.from_status ?? undefined,
      to: r.to_status,
      actor: r.actor,
      reason: r.reason,
      at: new Date(Number(r.at)).toISOString(),
    }));
  }

  async insertGrants(request: RequestRow, at: number) {
    if (request.gpus.length === 0) return;
    await this.db('gpu_pool_grants').insert(
      request.gpus.map(g => ({
        request_id: request.id,
        pool_id: g.pool,
        team: request.team,
        count: g.count,
        granted_at: at,
      })),
    );
  }

  async releaseGrants(requestId: string, at: number) {
    await this.db('gpu_pool_grants')
      .where({ request_id: requestId })
      .whereNull('released_at')
      .update({ released_at: at });
  }

  async addSample(sample: {
    pool: string;
    at: number;
    capacity: number;
    allocated: number;
    queued: number;
  }) {
    await this.db('gpu_pool_samples').insert({
      pool_id: sample.pool,
      at: sample.at,
      capacity: sample.capacity,
      allocated: sample.allocated,
      queued: sample.queued,
    });
  }

  async samples(since: number) {
    const rows = await this.db('gpu_pool_samples')
      .where('at', '>=', since)
      .orderBy('at')
      .limit(20000);
    return rows.map(r => ({
      pool: r.pool_id as string,
      at: Number(r.at),
      capacity: Number(r.capacity),
      allocated: Number(r.allocated),
      queued: Number(r.queued),
    }));
  }

  /** Grant intervals overlapping a window, for utilisation figures. */
  async grantIntervals(poolId?: string) {
    const q = this.db('gpu_pool_grants').select();
    if (poolId) q.where({ pool_id: poolId });
    const rows = await q;
    return rows.map(r => ({
      pool: r.pool_id as string,
      team: r.team as string,
      count: Number(r.count),
      grantedAt: Number(r.granted_at),
      releasedAt: num(r.released_at),
    }));
  }
}

/**
 * Storage of requests, their audit trail, grants and pool locks. Every
 * method that changes allocation runs inside {@link GpuPoolStore.transaction}.
 */
export class GpuPoolStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService | { getClient(): Promise<Knex> };
    skipMigrations?: boolean;
  }): Promise<GpuPoolStore> {
    const client = await options.database.getClient();
    const migrations = (options.database as DatabaseService).migrations;
    if (!options.skipMigrations && !migrations?.skip) {
      await client.migrate.latest({
        directory: migrationsDir,
        tableName: 'gpu_pool_knex_migrations',
      });
    }
    return new GpuPoolStore(client);
  }

  /**
   * Runs `fn` in a transaction. On PostgreSQL, `lockPools` inside it takes
   * row locks (`SELECT ... FOR UPDATE`) that serialise allocation across
   * backend replicas; SQLite serialises all writers anyway.
   */
  async transaction<T>(fn: (tx: GpuPoolTx) => Promise<T>): Promise<T> {
    return this.db.transaction(async trx => fn(new GpuPoolTx(trx)));
  }

  /** Reads without a transaction. */
  get read(): GpuPoolTx {
    return new GpuPoolTx(this.db);
  }
}
