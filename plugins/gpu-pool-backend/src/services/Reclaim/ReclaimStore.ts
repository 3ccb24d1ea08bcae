import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { GpuPoolTx } from '../../database/GpuPoolStore';

/** The idle-reclaim state of one lease, times in epoch milliseconds. */
export interface ReclaimRow {
  requestId: string;
  nudgedAt?: number;
  keptUntil?: number;
  keptBy?: string;
  exemptAt?: number;
  exemptBy?: string;
  exemptReason?: string;
  reclaimedAt?: number;
  reclaimedGpuHours?: number;
  lastCheckAt?: number;
  lastOutcome?: string;
  lastMaxActive?: number;
}

const columns: Record<keyof ReclaimRow, string> = {
  requestId: 'request_id',
  nudgedAt: 'nudged_at',
  keptUntil: 'kept_until',
  keptBy: 'kept_by',
  exemptAt: 'exempt_at',
  exemptBy: 'exempt_by',
  exemptReason: 'exempt_reason',
  reclaimedAt: 'reclaimed_at',
  reclaimedGpuHours: 'reclaimed_gpu_hours',
  lastCheckAt: 'last_check_at',
  lastOutcome: 'last_outcome',
  lastMaxActive: 'last_max_active',
};

const numeric = new Set<keyof ReclaimRow>([
  'nudgedAt',
  'keptUntil',
  'exemptAt',
  'reclaimedAt',
  'reclaimedGpuHours',
  'lastCheckAt',
  'lastMaxActive',
]);

function toRow(r: Record<string, unknown>): ReclaimRow {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) {
    const v = r[column];
    if (v === null || v === undefined) continue;
    out[key] = numeric.has(key as keyof ReclaimRow) ? Number(v) : v;
  }
  return out as unknown as ReclaimRow;
}

/** Reads and writes of the idle-reclaim table, inside or outside a transaction. */
export class ReclaimTx {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async get(requestId: string): Promise<ReclaimRow | undefined> {
    const row = await this.db('gpu_pool_idle_reclaim')
      .where({ request_id: requestId })
      .first();
    return row ? toRow(row) : undefined;
  }

  async list(requestIds?: string[]): Promise<ReclaimRow[]> {
    const q = this.db('gpu_pool_idle_reclaim').select();
    if (requestIds) q.whereIn('request_id', requestIds);
    return (await q).map(toRow);
  }

  /** Sets the given fields (undefined clears one), creating the row if needed. */
  async upsert(
    requestId: string,
    patch: Partial<Omit<ReclaimRow, 'requestId'>>,
  ): Promise<void> {
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      values[columns[key as keyof ReclaimRow]] = value ?? null;
    }
    await this.db('gpu_pool_idle_reclaim')
      .insert({ request_id: requestId, ...values })
      .onConflict('request_id')
      .merge(Object.keys(values).length ? Object.keys(values) : undefined);
  }
}

/** Storage of the idle-reclaim state, next to the GPU pool's tables. */
export class ReclaimStore {
  private constructor(private readonly db: Knex) {}

  /** The GPU pool store runs the migrations; create it first. */
  static async create(options: {
    database: DatabaseService | { getClient(): Promise<Knex> };
  }): Promise<ReclaimStore> {
    return new ReclaimStore(await options.database.getClient());
  }

  get read(): ReclaimTx {
    return new ReclaimTx(this.db);
  }

  /** One transaction over the reclaim state and the request's history. */
  async transaction<T>(
    fn: (tx: { reclaim: ReclaimTx; pool: GpuPoolTx }) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async trx =>
      fn({ reclaim: new ReclaimTx(trx), pool: new GpuPoolTx(trx) }),
    );
  }
}
