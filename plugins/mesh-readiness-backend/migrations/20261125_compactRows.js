// @ts-check

/**
 * Snapshot rows without the full result JSON. The entity route computes
 * live, and `/services`, `/summary`, `/history` and the CSV read columns
 * only; the org model over a subset of rows reads the columns plus two new
 * ones: whether an out-of-scope component was excluded by annotation, and
 * how many operations of a failing retry-safety check are not retry-safe.
 * Only the newest snapshot's rows are ever read, so only those are filled
 * from the old result JSON.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('snapshot_rows', table => {
    table
      .boolean('excluded')
      .notNullable()
      .defaultTo(false)
      .comment('Out of scope because an annotation excludes it');
    table
      .integer('retry_operations')
      .notNullable()
      .defaultTo(0)
      .comment('Operations a failing retry-safety check found not retry-safe');
  });

  const latest = await knex('snapshots').max({ id: 'id' }).first();
  if (latest && latest.id !== null && latest.id !== undefined) {
    const rows = await knex('snapshot_rows')
      .select('entity_ref', 'result')
      .where('snapshot_id', latest.id);
    for (const row of rows) {
      let result;
      try {
        result = JSON.parse(row.result);
      } catch {
        continue;
      }
      const excluded =
        !result.inScope &&
        typeof result.scopeReason === 'string' &&
        result.scopeReason.startsWith('Excluded');
      let operations = 0;
      for (const check of Array.isArray(result.checks) ? result.checks : []) {
        if (check.id === 'retry-safety' && check.status === 'fail') {
          for (const op of check.operations ?? []) {
            if (op.retrySafe === false) {
              operations++;
            }
          }
        }
      }
      if (excluded || operations > 0) {
        await knex('snapshot_rows')
          .where({ snapshot_id: latest.id, entity_ref: row.entity_ref })
          .update({ excluded, retry_operations: operations });
      }
    }
  }

  await knex.schema.alterTable('snapshot_rows', table => {
    table.dropColumn('result');
  });
};

/**
 * Puts the result column back. The newest snapshot's rows get a result
 * rebuilt from the columns (what the org model reads); older rows, which
 * nothing reads, get an empty object.
 *
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('snapshot_rows', table => {
    table
      .text('result')
      .notNullable()
      .defaultTo('{}')
      .comment('The EntityResult, JSON');
  });

  const latest = await knex('snapshots').max({ id: 'id' }).first();
  if (latest && latest.id !== null && latest.id !== undefined) {
    const rows = await knex('snapshot_rows')
      .select(
        'entity_ref',
        'name',
        'title',
        'type',
        'lifecycle',
        'owner',
        'system',
        'domain',
        'in_scope',
        'score',
        'level',
        'statuses',
        'problems',
        'excluded',
        'retry_operations',
      )
      .where('snapshot_id', latest.id);
    for (const row of rows) {
      const ref = String(row.entity_ref);
      const colon = ref.indexOf(':');
      const slash = ref.indexOf('/');
      const checks = [];
      for (const part of String(row.statuses).split('|')) {
        const eq = part.lastIndexOf('=');
        if (eq > 0) {
          /** @type {{ id: string, status: string, message: string, operations?: Array<{ retrySafe: boolean }> }} */
          const check = {
            id: part.slice(0, eq),
            status: part.slice(eq + 1),
            message: '',
          };
          if (check.id === 'retry-safety' && check.status === 'fail') {
            check.operations = Array.from(
              { length: Number(row.retry_operations) },
              () => ({ retrySafe: false }),
            );
          }
          checks.push(check);
        }
      }
      const result = {
        entityRef: ref,
        kind: ref.slice(0, colon),
        namespace: ref.slice(colon + 1, slash),
        name: row.name,
        title: row.title ?? undefined,
        type: row.type ?? undefined,
        lifecycle: row.lifecycle ?? undefined,
        owner: row.owner ?? undefined,
        system: row.system ?? undefined,
        domain: row.domain ?? undefined,
        inScope: Boolean(row.in_scope),
        scopeReason: Boolean(row.excluded) ? 'Excluded' : undefined,
        score: row.score === null ? null : Number(row.score),
        level: row.level ?? null,
        checks,
        problems: Array.from({ length: Number(row.problems) }, () => ({
          key: '',
          value: '',
          message: '',
        })),
        waivers: [],
        topMissing: [],
      };
      await knex('snapshot_rows')
        .where({ snapshot_id: latest.id, entity_ref: ref })
        .update({ result: JSON.stringify(result) });
    }
  }

  await knex.schema.alterTable('snapshot_rows', table => {
    table.dropColumn('excluded');
    table.dropColumn('retry_operations');
  });
};
