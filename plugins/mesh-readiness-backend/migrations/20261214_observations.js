// @ts-check

/**
 * What fact sources (the running cluster) last observed, one row per source
 * and subject: an entity ref, or `@clusters` for the clusters themselves.
 * Snapshots write it; entity requests and live reports read it, so a page
 * view never waits on a cluster; and a source falls back on it, marked
 * stale, while a cluster does not answer, across restarts and replicas.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('observations', table => {
    table.comment('The last observation of each fact source, per subject');
    table
      .string('source', 100)
      .notNullable()
      .comment('The fact source id, e.g. kubernetes');
    table
      .string('subject', 500)
      .notNullable()
      .comment('A lower-cased entity ref, or @clusters');
    table
      .text('observation')
      .notNullable()
      .comment('What the source answered, as JSON');
    table
      .timestamp('written_at', { useTz: true })
      .notNullable()
      .comment('When the snapshot that asked wrote it; old rows are pruned');
    table.primary(['source', 'subject']);
  });
};

/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('observations');
};
