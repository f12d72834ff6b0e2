// @ts-check

/**
 * Bounded retries for the notifications the notifications backend rejects.
 * `attempts` counts the failed sends of a notification in rounds where
 * another send succeeded (so the backend was up and rejected this one); a
 * backend that is down or not installed counts none. At the third, the
 * notifier gives up: `given_up_at` is set and the row is no longer
 * pending, but stays, so that the same state is neither recorded nor sent
 * again. It is deleted, like the others, when the state moves on.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('owner_notifications', table => {
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Failed sends while other sends of the same round succeeded');
    table
      .timestamp('given_up_at', { useTz: true })
      .nullable()
      .comment('When the notifier gave up sending it; null while it tries');
  });
};

/**
 * With plain ALTER TABLE … DROP COLUMN (SQLite 3.35 and later has it), as
 * `20261220_rowInputs.js` does.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  await knex.raw('alter table ?? drop column ??', [
    'owner_notifications',
    'given_up_at',
  ]);
  await knex.raw('alter table ?? drop column ??', [
    'owner_notifications',
    'attempts',
  ]);
};
