// @ts-check

/**
 * Idle reclaim: per lease, the nudge, the owners' "keep", the platform
 * team's exemption and the last check of its GPU activity.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gpu_pool_idle_reclaim', table => {
    table.comment(
      'Idle reclaim state per lease; the steps themselves are in gpu_pool_transitions',
    );
    table
      .string('request_id')
      .primary()
      .notNullable()
      .references('id')
      .inTable('gpu_pool_requests')
      .onDelete('CASCADE');
    table.bigInteger('nudged_at').nullable();
    table.bigInteger('kept_until').nullable();
    table.string('kept_by').nullable();
    table.bigInteger('exempt_at').nullable();
    table.string('exempt_by').nullable();
    table.text('exempt_reason').nullable();
    table.bigInteger('reclaimed_at').nullable();
    table
      .float('reclaimed_gpu_hours')
      .nullable()
      .comment('GPUs times the lease time left when it was reclaimed');
    table.bigInteger('last_check_at').nullable();
    table.string('last_outcome').nullable();
    table.float('last_max_active').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gpu_pool_idle_reclaim');
};
