import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import type { GpuPoolAuditVerification } from '@internal/plugin-gpu-pool-common';

/** One entry of the history as it is hashed. */
export interface ChainEntry {
  seq: number;
  requestId: string;
  from: string | null;
  to: string;
  actor: string;
  reason: string;
  /** Epoch milliseconds. */
  at: number;
  /** Hash of the previous entry; empty for the first. */
  prevHash: string;
}

/**
 * sha256 over a canonical serialisation (a JSON array in a fixed order).
 * The migration that sealed the legacy rows uses the same formula.
 */
export function entryHash(entry: ChainEntry): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        entry.seq,
        entry.requestId,
        entry.from,
        entry.to,
        entry.actor,
        entry.reason,
        entry.at,
        entry.prevHash,
      ]),
    )
    .digest('hex');
}

const HEAD_ID = 1;

/**
 * Appends one entry to the history inside the caller's transaction. The
 * chain head row is locked first (`SELECT … FOR UPDATE` on PostgreSQL;
 * SQLite serialises writers), so two replicas never append to the same
 * head and the chain cannot fork; the unique `seq` is the last line.
 */
export async function appendToChain(
  trx: Knex | Knex.Transaction,
  entry: Omit<ChainEntry, 'seq' | 'prevHash'>,
): Promise<void> {
  let query = trx('gpu_pool_audit_head').where({ id: HEAD_ID }).first();
  if (String(trx.client.config.client).includes('pg')) {
    query = query.forUpdate();
  }
  const head = await query;
  if (!head) {
    throw new Error('gpu_pool_audit_head is missing: the migrations did not run');
  }
  const seq = Number(head.seq) + 1;
  const prevHash: string = head.hash;
  const hash = entryHash({ ...entry, seq, prevHash });
  await trx('gpu_pool_transitions').insert({
    request_id: entry.requestId,
    from_status: entry.from,
    to_status: entry.to,
    actor: entry.actor,
    reason: entry.reason,
    at: entry.at,
    seq,
    prev_hash: prevHash,
    hash,
  });
  await trx('gpu_pool_audit_head')
    .where({ id: HEAD_ID })
    .update({ seq, hash });
}

const PAGE = 1000;

/**
 * Recomputes every entry's hash in order and checks each link and the head.
 * Reports the first entry that does not match: an edited field, a deleted
 * or inserted entry, or a truncated tail.
 */
export async function verifyChain(
  db: Knex,
): Promise<GpuPoolAuditVerification> {
  let prevHash = '';
  let expectedSeq = 1;
  let checked = 0;
  let lastSeq = 0;
  for (;;) {
    const rows = await db('gpu_pool_transitions')
      .where('seq', '>=', expectedSeq)
      .orWhereNull('seq')
      .orderBy([{ column: 'seq', order: 'asc' }, { column: 'id' }])
      .limit(PAGE);
    for (const r of rows) {
      const id = Number(r.id);
      if (r.seq === null || r.seq === undefined) {
        return broken(checked, id, 'entry without a sequence number');
      }
      const seq = Number(r.seq);
      if (seq !== expectedSeq) {
        return broken(checked, id, `sequence ${expectedSeq} is missing`);
      }
      if (r.prev_hash !== prevHash) {
        return broken(checked, id, 'link to the previous entry does not match');
      }
      const hash = entryHash({
        seq,
        requestId: r.request_id,
        from: r.from_status ?? null,
        to: r.to_status,
        actor: r.actor,
        reason: r.reason,
        at: Number(r.at),
        prevHash,
      });
      if (hash !== r.hash) {
        return broken(checked, id, 'content does not match its hash');
      }
      checked += 1;
      prevHash = hash;
      lastSeq = seq;
      expectedSeq = seq + 1;
    }
    if (rows.length < PAGE) break;
  }
  const head = await db('gpu_pool_audit_head').where({ id: HEAD_ID }).first();
  if (!head || Number(head.seq) !== lastSeq || head.hash !== prevHash) {
    return {
      ok: false,
      checked,
      reason: `the chain ends at entry ${lastSeq} but its head records ${
        head ? Number(head.seq) : 'nothing'
      }: entries were removed from the end`,
    };
  }
  return { ok: true, checked };
}

function broken(
  checked: number,
  firstBrokenId: number,
  reason: string,
): GpuPoolAuditVerification {
  return { ok: false, checked, firstBrokenId, reason };
}
