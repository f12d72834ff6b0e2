// @ts-check

/**
 * Live reports in `snapshots`. Before the first snapshot, `/services` lists
 * the rows of a report computed with the caller's own credentials; those
 * rows are written like a snapshot's, so that one SQL query filters, sorts
 * and pages both. Such a report is marked with the principal it was read
 * for, and is not a snapshot: the latest snapshot, history and retention
 * leave it out.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('snapshots', table => {
    table
      .string('live_for', 512)
      .nullable()
      .comment(
        'Set on a live report (before the first snapshot): the principal whose catalog read it is',
      );
  });
};

/**
 * Deletes the live reports and the column. With plain ALTER TABLE … DROP
 * COLUMN (SQLite 3.35 and later has it): knex would rebuild the table on
 * SQLite, and dropping the old `snapshots` there deletes every snapshot's
 * rows through their ON DELETE CASCADE.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  const live = knex('snapshots').select('id').whereNotNull('live_for');
  await knex('snapshot_history').whereIn('snapshot_id', live).delete();
  await knex('snapshot_rows').whereIn('snapshot_id', live).delete();
  await knex('snapshots').whereNotNull('live_for').delete();
  await knex.raw('alter table ?? drop column ??', ['snapshots', 'live_for']);
};
