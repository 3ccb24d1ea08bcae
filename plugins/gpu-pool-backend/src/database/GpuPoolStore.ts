import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  finalStatuses,
  GpuAmount,
  GpuRequestStatus,
  GpuRequestTransition,
} from '@internal/plugin-gpu-pool-common';
import { appendToChain, verifyChain } from './auditChain';

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
  /** The namespace existed and was not the portal's: granting adopts it. */
  adoptsNamespace: boolean;
  /** The portal created the namespace for this request. */
  createdNamespace: boolean;
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
    adoptsNamespace: Boolean(r.adopts_namespace),
    createdNamespace: Boolean(r.created_namespace),
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
      adopts_namespace: row.adoptsNamespace,
      created_namespace: false,
      status: row.status,
      requested_by: row.requestedBy,
      decided_by: row.decidedBy ?? null,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
      cleanup_pending: false,
    });
    await this.insertTransition(row.id, transition);
  }

  /** Appends to the hash-chained history; rows are never updated or deleted. */
  private async insertTransition(id: string, t: GpuRequestTransition) {
    await appendToChain(this.db, {
      requestId: id,
      from: t.from ?? null,
      to: t.to,
      actor: t.actor,
      reason: t.reason,
      at: new Date(t.at).getTime(),
    });
  }

  /**
   * Claims (cluster, namespace) for a team, inside the allocation
   * transaction. The primary key makes the claim unique: of two teams
   * claiming the same new namespace at once exactly one wins, the other gets
   * a ConflictError. A team's own claim is reused.
   */
  async claimNamespace(claim: {
    cluster: string;
    namespace: string;
    team: string;
    requestId: string;
    at: number;
  }): Promise<void> {
    const { cluster, namespace, team } = claim;
    const existing = await this.db('gpu_pool_namespace_claims')
      .where({ cluster, namespace })
      .first();
    if (existing) {
      if (existing.team !== team) {
        throw new ConflictError(
          `namespace: "${namespace}" on ${cluster} is claimed by ${existing.team}`,
        );
      }
      return;
    }
    try {
      await this.db('gpu_pool_namespace_claims').insert({
        cluster,
        namespace,
        team,
        request_id: claim.requestId,
        namespace_created: false,
        created_at: claim.at,
      });
    } catch (error) {
      // A concurrent transaction took it first (unique violation).
      throw new ConflictError(
        `namespace: "${namespace}" on ${cluster} was claimed by another request at the same time`,
        error,
      );
    }
  }

  async getClaim(cluster: string, namespace: string) {
    const row = await this.db('gpu_pool_namespace_claims')
      .where({ cluster, namespace })
      .first();
    return row
      ? {
          team: row.team as string,
          requestId: row.request_id as string,
          namespaceCreated: Boolean(row.namespace_created),
        }
      : undefined;
  }

  /**
   * Gives a claim up when no open request needs it and the portal has not
   * created the namespace (a created one stays its team's while it exists).
   */
  async releaseClaimIfUnused(cluster: string, namespace: string) {
    const open = await this.db('gpu_pool_requests')
      .where({ cluster, namespace })
      .whereNotIn('status', finalStatuses as GpuRequestStatus[])
      .first();
    if (open) return;
    await this.db('gpu_pool_namespace_claims')
      .where({ cluster, namespace, namespace_created: false })
      .delete();
  }

  /** The reconciler created the namespace for this request. */
  async markNamespaceCreated(request: RequestRow) {
    await this.db('gpu_pool_requests')
      .where({ id: request.id })
      .update({ created_namespace: true });
    await this.db('gpu_pool_namespace_claims')
      .where({ cluster: request.cluster, namespace: request.namespace })
      .update({ namespace_created: true });
  }

  /** The reconciler deleted the namespace: nobody holds it any more. */
  async dropClaim(cluster: string, namespace: string) {
    await this.db('gpu_pool_namespace_claims')
      .where({ cluster, namespace })
      .delete();
  }

  /** Open namespace-only requests of a team (they count against a cap). */
  async countOpenNamespaceOnly(team: string): Promise<number> {
    const rows = await this.db('gpu_pool_requests')
      .where({ team, gpus: '[]' })
      .whereNotIn('status', finalStatuses as GpuRequestStatus[])
      .count({ n: '*' });
    return Number(rows[0].n);
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

  /** Checks the hash chain of the history. */
  async verifyAuditChain() {
    return verifyChain(this.db);
  }

  /** Reads without a transaction. */
  get read(): GpuPoolTx {
    return new GpuPoolTx(this.db);
  }
}
