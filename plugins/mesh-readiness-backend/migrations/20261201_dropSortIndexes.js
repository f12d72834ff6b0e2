// @ts-check

/**
 * Drops the `snapshot_rows` indexes on level rank, score and name. No
 * query uses them: `/services` sorts empty values last, so its ORDER BY
 * starts with `case when <column> is null …`, which an index on the column
 * cannot serve, and for `snapshot_id = ?` alone the primary key serves. Yet
 * every snapshot write kept them up to date, one entry per row each.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('snapshot_rows', table => {
    table.dropIndex(['snapshot_id', 'level_rank'], 'snapshot_rows_level_idx');
    table.dropIndex(['snapshot_id', 'score'], 'snapshot_rows_score_idx');
    table.dropIndex(['snapshot_id', 'name'], 'snapshot_rows_name_idx');
  });
};

/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('snapshot_rows', table => {
    table.index(['snapshot_id', 'level_rank'], 'snapshot_rows_level_idx');
    table.index(['snapshot_id', 'score'], 'snapshot_rows_score_idx');
    table.index(['snapshot_id', 'name'], 'snapshot_rows_name_idx');
  });
};
