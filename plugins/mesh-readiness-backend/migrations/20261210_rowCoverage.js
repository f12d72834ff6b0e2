// @ts-check

/**
 * Coverage per row: the share (0–1) of a service's applicable check weight
 * whose status is known, shown next to its score in `/services` and the
 * CSV, and read back by the org model over a subset of rows (its rollups'
 * and the org's coverage). Nullable: out-of-scope rows have none, and the
 * rows of snapshots taken before this migration have none until the next
 * snapshot (their coverage needs the check weights, which rows do not
 * keep).
 *
 * `level_rank` is not rewritten: `not-assessed` now comes first, so new
 * rows rank one higher than before for the same level, but ranks are only
 * ever compared within one snapshot.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('snapshot_rows', table => {
    table
      .float('coverage')
      .nullable()
      .comment(
        'Share (0–1) of the applicable check weight whose status is known',
      );
  });
};

/**
 * With plain ALTER TABLE … DROP COLUMN (SQLite 3.35 and later has it):
 * knex would rebuild the table on SQLite, copying every row of every
 * snapshot.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  await knex.raw('alter table ?? drop column ??', [
    'snapshot_rows',
    'coverage',
  ]);
};
