// @ts-check

/**
 * Whether a row's facts were observed: its Kubernetes manifests
 * (`mesh-readiness.io/manifests`) were read and a workload in them matched
 * the entity. `GET /services` rows carry it as `inspected`, the CSV as a
 * column, and the org model over a subset of rows counts the inspected
 * ones (`OrgResult.inspected`). Nullable: the rows of snapshots taken
 * before this migration have none until the next snapshot.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('snapshot_rows', table => {
    table
      .boolean('inspected')
      .nullable()
      .comment(
        'True when the manifests were read and matched a workload; false when the facts are declared only',
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
    'inspected',
  ]);
};
