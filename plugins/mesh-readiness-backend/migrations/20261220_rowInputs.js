// @ts-check

/**
 * What a row's check results were decided on, besides the annotations the
 * `entity` column already keeps: per check, a digest of the facts read from
 * the manifests or the running cluster; the number and a digest of the
 * operations of the APIs the entity provides; its waivers with their end
 * dates; and the checks whose result assumed the organisation's mesh.
 * `GET /entities/:kind/:namespace/:name/history` compares two snapshots'
 * rows to say why each check's status changed. JSON, nullable: the rows of
 * snapshots taken before this migration have none, and their changes say
 * only what the annotations tell.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('snapshot_rows', table => {
    table
      .text('inputs')
      .nullable()
      .comment(
        'JSON: digests of the observed facts per check, API operations, waivers, checks that assumed the org mesh',
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
  await knex.raw('alter table ?? drop column ??', ['snapshot_rows', 'inputs']);
};
