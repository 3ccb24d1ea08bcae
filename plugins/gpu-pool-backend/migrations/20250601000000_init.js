// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gpu_pool_requests', table => {
    table.comment('GPU and namespace requests, one row per request');
    table.string('id').primary().notNullable();
    table.string('team').notNullable();
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.text('gpus').notNullable().comment('JSON array of { pool, count }');
    table.string('cpu').notNullable();
    table.string('memory').notNullable();
    table.string('duration').nullable();
    table.bigInteger('duration_ms').nullable();
    table.text('justification').notNullable();
    table.boolean('ephemeral').notNullable().defaultTo(false);
    table.integer('priority').notNullable().defaultTo(0);
    table.string('status').notNullable();
    table.string('requested_by').notNullable();
    table.string('decided_by').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.bigInteger('granted_at').nullable();
    table.bigInteger('expires_at').nullable();
    table.bigInteger('notified_at').nullable();
    table
      .boolean('cleanup_pending')
      .notNullable()
      .defaultTo(false)
      .comment('The quota still has to be withdrawn from the cluster');
    table.text('last_error').nullable();
    table.index(['status'], 'gpu_pool_requests_status_idx');
    table.index(['cluster', 'namespace'], 'gpu_pool_requests_ns_idx');
    table.index(['team'], 'gpu_pool_requests_team_idx');
  });

  await knex.schema.createTable('gpu_pool_transitions', table => {
    table.comment('Audit trail: every status change with actor, time and reason');
    table.increments('id').primary();
    table
      .string('request_id')
      .notNullable()
      .references('id')
      .inTable('gpu_pool_requests')
      .onDelete('CASCADE');
    table.string('from_status').nullable();
    table.string('to_status').notNullable();
    table.string('actor').notNullable();
    table.text('reason').notNullable();
    table.bigInteger('at').notNullable();
    table.index(['request_id'], 'gpu_pool_transitions_request_idx');
  });

  await knex.schema.createTable('gpu_pool_grants', table => {
    table.comment('GPUs handed out; a grant holds capacity until released_at is set');
    table.increments('id').primary();
    table
      .string('request_id')
      .notNullable()
      .references('id')
      .inTable('gpu_pool_requests')
      .onDelete('CASCADE');
    table.string('pool_id').notNullable();
    table.string('team').notNullable();
    table.integer('count').notNullable();
    table.bigInteger('granted_at').notNullable();
    table.bigInteger('released_at').nullable();
    table.index(['pool_id', 'released_at'], 'gpu_pool_grants_pool_idx');
  });

  await knex.schema.createTable('gpu_pool_pools', table => {
    table.comment('One row per configured pool: the lock that serialises allocation');
    table.string('pool_id').primary().notNullable();
    table.integer('capacity').notNullable().defaultTo(0);
    table.bigInteger('capacity_at').nullable();
  });

  await knex.schema.createTable('gpu_pool_samples', table => {
    table.comment('Allocation over time, for the pool chart');
    table.increments('id').primary();
    table.string('pool_id').notNullable();
    table.bigInteger('at').notNullable();
    table.integer('capacity').notNullable();
    table.integer('allocated').notNullable();
    table.integer('queued').notNullable();
    table.index(['pool_id', 'at'], 'gpu_pool_samples_pool_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gpu_pool_samples');
  await knex.schema.dropTable('gpu_pool_pools');
  await knex.schema.dropTable('gpu_pool_grants');
  await knex.schema.dropTable('gpu_pool_transitions');
  await knex.schema.dropTable('gpu_pool_requests');
};
