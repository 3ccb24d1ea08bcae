// @ts-check

const crypto = require('node:crypto');

/**
 * Must stay identical to `entryHash` in src/database/auditChain.ts: legacy
 * rows are sealed here once, new rows there (a test checks they agree).
 *
 * @param {{ seq: number, requestId: string, from: string | null, to: string, actor: string, reason: string, at: number, prevHash: string }} e
 */
function entryHash(e) {
  return crypto
    .createHash('sha256')
    .update(
      JSON.stringify([
        e.seq,
        e.requestId,
        e.from,
        e.to,
        e.actor,
        e.reason,
        e.at,
        e.prevHash,
      ]),
    )
    .digest('hex');
}

const FINAL = ['released', 'expired', 'rejected', 'failed'];
const HOLDING = ['provisioning', 'active', 'expiring'];

/**
 * Claims on (cluster, namespace), the markers of namespaces the portal
 * created or adopted, and the hash chain over the history.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const isPg = String(knex.client.config.client).includes('pg');

  await knex.schema.alterTable('gpu_pool_requests', table => {
    table
      .boolean('adopts_namespace')
      .notNullable()
      .defaultTo(false)
      .comment('The namespace existed and was not created by the portal');
    table
      .boolean('created_namespace')
      .notNullable()
      .defaultTo(false)
      .comment('The portal created the namespace for this request');
  });

  await knex.schema.createTable('gpu_pool_namespace_claims', table => {
    table.comment(
      'Which team a namespace belongs to; one row per (cluster, namespace), taken in the allocation transaction',
    );
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('team').notNullable();
    table.string('request_id').notNullable();
    table
      .boolean('namespace_created')
      .notNullable()
      .defaultTo(false)
      .comment('The portal created the namespace; the claim lasts while it exists');
    table.bigInteger('created_at').notNullable();
    table.primary(['cluster', 'namespace']);
  });

  await knex.schema.alterTable('gpu_pool_transitions', table => {
    table.bigInteger('seq').nullable().unique();
    table.string('prev_hash', 64).nullable();
    table.string('hash', 64).nullable();
  });

  await knex.schema.createTable('gpu_pool_audit_head', table => {
    table.comment(
      'The head of the hash chain; appends lock this row so replicas never fork the chain',
    );
    table.integer('id').primary();
    table.bigInteger('seq').notNullable();
    table.string('hash', 64).notNullable();
  });

  // Seal the history written before the chain existed, in order.
  let seq = 0;
  let prevHash = '';
  const rows = await knex('gpu_pool_transitions').orderBy('id');
  for (const r of rows) {
    seq += 1;
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
    await knex('gpu_pool_transitions')
      .where({ id: r.id })
      .update({ seq, prev_hash: prevHash, hash });
    prevHash = hash;
  }
  await knex('gpu_pool_audit_head').insert({ id: 1, seq, hash: prevHash });

  // Claims of the requests stored so far: a namespace belongs to the team of
  // its oldest open request, or of its oldest kept (non-ephemeral) one.
  const requests = await knex('gpu_pool_requests').orderBy('created_at');
  const claims = new Map();
  for (const r of requests) {
    const key = `${r.cluster}/${r.namespace}`;
    const open = !FINAL.includes(r.status);
    if (claims.has(key) || (!open && r.ephemeral)) continue;
    claims.set(key, {
      cluster: r.cluster,
      namespace: r.namespace,
      team: r.team,
      request_id: r.id,
      namespace_created: !open || HOLDING.includes(r.status),
      created_at: Number(r.created_at),
    });
  }
  for (const claim of claims.values()) {
    await knex('gpu_pool_namespace_claims').insert(claim);
  }
  // Leases granted under the old rules keep their namespace.
  await knex('gpu_pool_requests')
    .whereIn('status', HOLDING)
    .update({ adopts_namespace: true });

  // Append-only: the chain detects edits, these refuse them outright.
  if (isPg) {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION gpu_pool_transitions_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'gpu_pool_transitions is append-only';
      END;
      $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER gpu_pool_transitions_no_update BEFORE UPDATE OR DELETE ON gpu_pool_transitions
      FOR EACH ROW EXECUTE FUNCTION gpu_pool_transitions_append_only()`);
  } else {
    await knex.raw(`
      CREATE TRIGGER gpu_pool_transitions_no_update BEFORE UPDATE ON gpu_pool_transitions
      BEGIN SELECT RAISE(ABORT, 'gpu_pool_transitions is append-only'); END`);
    await knex.raw(`
      CREATE TRIGGER gpu_pool_transitions_no_delete BEFORE DELETE ON gpu_pool_transitions
      BEGIN SELECT RAISE(ABORT, 'gpu_pool_transitions is append-only'); END`);
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const isPg = String(knex.client.config.client).includes('pg');
  if (isPg) {
    await knex.raw(
      'DROP TRIGGER IF EXISTS gpu_pool_transitions_no_update ON gpu_pool_transitions',
    );
    await knex.raw('DROP FUNCTION IF EXISTS gpu_pool_transitions_append_only()');
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS gpu_pool_transitions_no_update');
    await knex.raw('DROP TRIGGER IF EXISTS gpu_pool_transitions_no_delete');
  }
  await knex.schema.dropTable('gpu_pool_audit_head');
  await knex.schema.alterTable('gpu_pool_transitions', table => {
    table.dropUnique(['seq']);
    table.dropColumn('seq');
    table.dropColumn('prev_hash');
    table.dropColumn('hash');
  });
  await knex.schema.dropTable('gpu_pool_namespace_claims');
  await knex.schema.alterTable('gpu_pool_requests', table => {
    table.dropColumn('adopts_namespace');
    table.dropColumn('created_namespace');
  });
};
