// @ts-check

/**
 * The notifications to the owners of services, one row per entity, cause
 * and fingerprint (the state the notification reports: the new level, the
 * operations, the waivers and their dates). The primary key makes a new
 * notification insert-if-absent: of the replicas that find the same
 * change, one inserts it, and a later snapshot that finds the same state
 * adds nothing. A row is pending until a replica takes it (sets `sent_at`
 * where it is null) and sends it; a failed send puts it back, for the next
 * snapshot. A row is deleted when the entity's state for its cause moves
 * on, so that the same change, if it comes back, is sent again.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('owner_notifications', table => {
    table.comment('Notifications to owners, by entity, cause and state');
    table
      .string('entity_ref', 500)
      .notNullable()
      .comment('The lower-cased ref of the entity the notification is about');
    table
      .string('cause', 50)
      .notNullable()
      .comment('level-dropped, unsafe-operation or waiver-expiring');
    table
      .string('fingerprint', 64)
      .notNullable()
      .comment('SHA-256 (hex) of the state the notification reported');
    table
      .string('owner', 500)
      .notNullable()
      .comment('The owner entity ref it goes to');
    table
      .text('payload')
      .notNullable()
      .comment('The notification payload, as JSON');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the snapshot that found it stored it');
    table
      .timestamp('sent_at', { useTz: true })
      .nullable()
      .comment('When it was sent; null while it waits to be sent');
    table.primary(['entity_ref', 'cause', 'fingerprint']);
  });
};

/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('owner_notifications');
};
