// @ts-check

/**
 * The operations that are not idempotent and that the planned mesh would
 * retry, per service and snapshot, as the owner notifications name them
 * (`POST /orders (api:default/orders-api)`): the next snapshot tells the
 * owners of the operations that are new, not of a larger count (a fixed
 * operation and a new one in the same snapshot are news). Only services
 * with at least one are stored, since `snapshot_rows.retry_operations` is 0
 * for the others; the notifier keeps the rows of the newest two snapshots
 * and deletes the older ones.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('owner_notification_operations', table => {
    table.comment(
      'Unsafe operations per snapshot and service, for owner notifications',
    );
    table
      .integer('snapshot_id')
      .notNullable()
      .comment('The snapshot the operations were found in');
    table
      .string('entity_ref', 500)
      .notNullable()
      .comment('The lower-cased ref of the entity');
    table
      .text('operations')
      .notNullable()
      .comment('JSON: the operations, sorted, as `operation (api ref)`');
    table.primary(['snapshot_id', 'entity_ref']);
  });
};

/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('owner_notification_operations');
};
