// @ts-check

/**
 * One row per team and day: how many entities the team owns, how many of
 * them have problems, and how many are orphaned.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalog_curation_team_counts', table => {
    table.comment('Daily counts of catalog entities and problems per team');
    table.string('day', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table.string('team', 255).notNullable().comment('Owning group ref');
    table.integer('entities').notNullable();
    table.integer('problems').notNullable();
    table.integer('orphans').notNullable();
    table.primary(['day', 'team']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalog_curation_team_counts');
};
