// @ts-check

/**
 * Snapshots of the org readiness, one row per scheduled run, and the
 * per-entity rows each snapshot was computed from.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('snapshots', table => {
    table.comment('One org-wide readiness snapshot per scheduled run');
    table.increments('id').primary();
    table
      .timestamp('taken_at', { useTz: true })
      .notNullable()
      .comment('When the catalog read started');
    table.integer('duration_ms').notNullable().defaultTo(0);
    table.integer('entities').notNullable().comment('Entities scored');
    table.integer('in_scope').notNullable().comment('Workloads in scope');
    table.float('score').nullable().comment('Org score, null when none apply');
    table.string('verdict', 32).notNullable();
    table.text('org').notNullable().comment('The OrgResult, JSON');
    table
      .text('context')
      .notNullable()
      .comment(
        'The catalog context the org model needs (groups, users, systems, clusters), JSON',
      );
    table.index(['taken_at'], 'snapshots_taken_at_idx');
  });

  await knex.schema.createTable('snapshot_rows', table => {
    table.comment('One scored entity of a snapshot');
    table
      .integer('snapshot_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('snapshots')
      .onDelete('CASCADE');
    table.string('entity_ref', 512).notNullable();
    table.string('name', 255).notNullable();
    table.string('title', 512).nullable();
    table.string('type', 255).nullable();
    table.string('lifecycle', 255).nullable();
    table.string('owner', 512).nullable();
    table.string('system', 512).nullable();
    table.string('domain', 512).nullable();
    table.boolean('in_scope').notNullable();
    table.float('score').nullable();
    table.string('level', 32).nullable();
    table
      .integer('level_rank')
      .nullable()
      .comment('0 = not-ready … 3 = optimal, for sorting');
    table
      .text('failing')
      .notNullable()
      .comment('Ids of failing or invalid checks, comma-separated');
    table
      .text('unknown')
      .notNullable()
      .comment('Ids of unknown checks, comma-separated');
    table
      .text('statuses')
      .notNullable()
      .comment('|checkId=status| for every check, for the check filter');
    table.integer('problems').notNullable().defaultTo(0);
    table.boolean('retry_risk').notNullable().defaultTo(false);
    table
      .text('search')
      .notNullable()
      .comment('Lower-cased name, title, owner and system for free text');
    table.text('result').notNullable().comment('The EntityResult, JSON');
    table
      .text('entity')
      .nullable()
      .comment('The entity as read for the model, JSON');
    table.primary(['snapshot_id', 'entity_ref']);
    table.index(['snapshot_id', 'owner'], 'snapshot_rows_owner_idx');
    table.index(['snapshot_id', 'system'], 'snapshot_rows_system_idx');
    table.index(['snapshot_id', 'domain'], 'snapshot_rows_domain_idx');
    table.index(['snapshot_id', 'level_rank'], 'snapshot_rows_level_idx');
    table.index(['snapshot_id', 'score'], 'snapshot_rows_score_idx');
    table.index(['snapshot_id', 'name'], 'snapshot_rows_name_idx');
  });

  await knex.schema.createTable('snapshot_history', table => {
    table.comment(
      'Score points per snapshot: the org, and each owner, for GET /history',
    );
    table
      .integer('snapshot_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('snapshots')
      .onDelete('CASCADE');
    table
      .string('owner', 512)
      .notNullable()
      .comment("Owner entity ref, or '' for the whole org");
    table.timestamp('taken_at', { useTz: true }).notNullable();
    table.float('score').nullable();
    table.string('verdict', 32).notNullable();
    table.integer('in_scope').notNullable();
    table.text('levels').notNullable().comment('Level counts, JSON');
    table.primary(['snapshot_id', 'owner']);
    table.index(['owner', 'taken_at'], 'snapshot_history_owner_idx');
  });
};

/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('snapshot_history');
  await knex.schema.dropTable('snapshot_rows');
  await knex.schema.dropTable('snapshots');
};
