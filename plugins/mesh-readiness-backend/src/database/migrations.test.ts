import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import { Knex } from 'knex';
import { DatabaseSnapshotStore } from './DatabaseSnapshotStore';

jest.setTimeout(60_000);

const migrationsDir = DatabaseSnapshotStore.migrationsDir;
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(f => f.endsWith('.js'))
  .sort();

async function migrateUpOnce(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDir });
}

function withoutResult<T extends { result: string }>(
  row: T,
): Omit<T, 'result'> {
  const { result: _result, ...rest } = row;
  return rest;
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

describe.each(databases.eachSupportedId())('migrations (%s)', id => {
  it('has dated migration files', () => {
    expect(migrationFiles.length).toBeGreaterThan(0);
    for (const file of migrationFiles) {
      expect(file).toMatch(/^\d{8}(\d{6})?_[a-zA-Z0-9]+\.js$/);
    }
  });

  it('steps every migration up and down', async () => {
    const knex = await databases.init(id);

    for (const _file of migrationFiles) {
      await migrateUpOnce(knex);
    }
    expect(await knex.schema.hasTable('snapshots')).toBe(true);
    expect(await knex.schema.hasTable('snapshot_rows')).toBe(true);
    expect(await knex.schema.hasTable('snapshot_history')).toBe(true);

    await knex('snapshots').insert({
      taken_at: new Date('2025-01-01T00:00:00Z'),
      duration_ms: 5,
      entities: 1,
      in_scope: 1,
      score: 70,
      verdict: 'not-ready',
      org: '{}',
      context: '[]',
    });
    const [{ id: snapshotId }] = await knex('snapshots').select('id');
    const row = {
      snapshot_id: snapshotId,
      entity_ref: 'component:default/a',
      name: 'a',
      in_scope: true,
      failing: '',
      unknown: '',
      statuses: '|',
      search: 'a',
    };
    await knex('snapshot_rows').insert(row);
    // The primary key keeps one row per entity per snapshot.
    await expect(knex('snapshot_rows').insert(row)).rejects.toMatchObject({
      message: expect.stringMatching(/unique|duplicate/i),
    });

    for (const _file of migrationFiles) {
      await migrateDownOnce(knex);
    }
    expect(await knex.schema.hasTable('snapshot_rows')).toBe(false);
    expect(await knex.schema.hasTable('snapshots')).toBe(false);
    expect(await knex.schema.hasTable('snapshot_history')).toBe(false);

    // And up again from scratch.
    await knex.migrate.latest({ directory: migrationsDir });
    expect(await knex.schema.hasTable('snapshots')).toBe(true);
    await knex.destroy();
  });

  it('compacts rows: fills the new columns from the stored result and back', async () => {
    const knex = await databases.init(id);
    // Up to the first migration, with rows that have a full result.
    await migrateUpOnce(knex);
    for (const day of [1, 2]) {
      await knex('snapshots').insert({
        taken_at: new Date(Date.UTC(2025, 0, day)),
        duration_ms: 5,
        entities: 2,
        in_scope: 1,
        score: 70,
        verdict: 'not-ready',
        org: '{}',
        context: '[]',
      });
    }
    const ids = (await knex('snapshots').select('id').orderBy('id')).map(
      r => r.id,
    );
    const latest = ids[1];
    const rows = [
      {
        entity_ref: 'component:default/pay',
        name: 'pay',
        owner: 'group:default/team-a',
        in_scope: true,
        score: 70,
        level: 'pilot-ready',
        failing: 'retry-safety',
        unknown: '',
        statuses: '|owner=pass|retry-safety=fail|',
        problems: 1,
        retry_risk: true,
        search: 'pay',
        result: JSON.stringify({
          entityRef: 'component:default/pay',
          inScope: true,
          checks: [
            { id: 'owner', status: 'pass', message: 'ok' },
            {
              id: 'retry-safety',
              status: 'fail',
              message: 'POST /pay',
              operations: [{ retrySafe: false }, { retrySafe: 'unknown' }],
            },
          ],
        }),
      },
      {
        entity_ref: 'component:default/batch',
        name: 'batch',
        owner: null,
        in_scope: false,
        score: null,
        level: null,
        problems: 0,
        retry_risk: false,
        failing: '',
        unknown: '',
        statuses: '|',
        search: 'batch',
        result: JSON.stringify({
          entityRef: 'component:default/batch',
          inScope: false,
          scopeReason: 'Excluded: a batch job',
          checks: [],
        }),
      },
    ];
    for (const snapshotId of ids) {
      await knex('snapshot_rows').insert(
        rows.map(r => ({ ...r, snapshot_id: snapshotId })),
      );
    }

    for (const _file of migrationFiles.slice(1)) {
      await migrateUpOnce(knex);
    }
    expect(await knex.schema.hasColumn('snapshot_rows', 'result')).toBe(false);
    const compact = await knex('snapshot_rows')
      .select('entity_ref', 'excluded', 'retry_operations')
      .where('snapshot_id', latest)
      .orderBy('entity_ref');
    expect(
      compact.map(r => [
        r.entity_ref,
        Boolean(r.excluded),
        Number(r.retry_operations),
      ]),
    ).toEqual([
      ['component:default/batch', true, 0],
      ['component:default/pay', false, 1],
    ]);
    // The primary key and the indexes survive.
    await expect(
      knex('snapshot_rows').insert({
        ...withoutResult(rows[1]),
        snapshot_id: latest,
      }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/unique|duplicate/i),
    });

    for (const _file of migrationFiles.slice(1)) {
      await migrateDownOnce(knex);
    }
    expect(await knex.schema.hasColumn('snapshot_rows', 'excluded')).toBe(
      false,
    );
    const restored = await knex('snapshot_rows')
      .select('entity_ref', 'result')
      .where('snapshot_id', latest)
      .orderBy('entity_ref');
    const batch = JSON.parse(restored[0].result);
    const pay = JSON.parse(restored[1].result);
    expect(batch).toMatchObject({ inScope: false, scopeReason: 'Excluded' });
    expect(pay).toMatchObject({
      entityRef: 'component:default/pay',
      kind: 'component',
      name: 'pay',
      owner: 'group:default/team-a',
      inScope: true,
      score: 70,
      level: 'pilot-ready',
      checks: [
        { id: 'owner', status: 'pass' },
        {
          id: 'retry-safety',
          status: 'fail',
          operations: [{ retrySafe: false }],
        },
      ],
    });
    expect(pay.problems).toHaveLength(1);

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await knex.schema.hasColumn('snapshot_rows', 'result')).toBe(false);
    await knex.destroy();
  });

  it('adds inspected to the rows: null for rows stored before it, dropped on the way down', async () => {
    const knex = await databases.init(id);
    const before = migrationFiles.indexOf('20261212_rowInspected.js');
    expect(before).toBeGreaterThan(0);
    for (const _file of migrationFiles.slice(0, before)) {
      await migrateUpOnce(knex);
    }
    await knex('snapshots').insert({
      taken_at: new Date('2026-12-01T00:00:00Z'),
      duration_ms: 5,
      entities: 1,
      in_scope: 1,
      score: 70,
      verdict: 'not-ready',
      org: '{}',
      context: '[]',
    });
    const [{ id: snapshotId }] = await knex('snapshots').select('id');
    await knex('snapshot_rows').insert({
      snapshot_id: snapshotId,
      entity_ref: 'component:default/a',
      name: 'a',
      in_scope: true,
      failing: '',
      unknown: '',
      statuses: '|',
      search: 'a',
    });
    await migrateUpOnce(knex);
    const [row] = await knex('snapshot_rows').select('inspected');
    expect(row.inspected).toBeNull();
    await knex('snapshot_rows').update({ inspected: true });
    const [updated] = await knex('snapshot_rows').select('inspected');
    expect(Boolean(updated.inspected)).toBe(true);

    await migrateDownOnce(knex);
    expect(await knex.schema.hasColumn('snapshot_rows', 'inspected')).toBe(
      false,
    );
    const [count] = await knex('snapshot_rows').count({ n: '*' });
    expect(Number(count.n)).toBe(1);
    await knex.destroy();
  });

  it('adds inputs to the rows: null for rows stored before it, dropped on the way down', async () => {
    const knex = await databases.init(id);
    const before = migrationFiles.indexOf('20261220_rowInputs.js');
    expect(before).toBeGreaterThan(0);
    for (const _file of migrationFiles.slice(0, before)) {
      await migrateUpOnce(knex);
    }
    await knex('snapshots').insert({
      taken_at: new Date('2026-12-01T00:00:00Z'),
      duration_ms: 5,
      entities: 1,
      in_scope: 1,
      score: 70,
      verdict: 'not-ready',
      org: '{}',
      context: '[]',
    });
    const [{ id: snapshotId }] = await knex('snapshots').select('id');
    await knex('snapshot_rows').insert({
      snapshot_id: snapshotId,
      entity_ref: 'component:default/a',
      name: 'a',
      in_scope: true,
      failing: '',
      unknown: '',
      statuses: '|tracing=fail|',
      search: 'a',
    });
    await migrateUpOnce(knex);
    const [row] = await knex('snapshot_rows').select('inputs');
    expect(row.inputs).toBeNull();
    const inputs = JSON.stringify({
      e: { protocols: 'm:0123abcd' },
      o: [3, '89abcdef'],
      w: [['tracing', '2026-12-31', 0]],
    });
    await knex('snapshot_rows').update({ inputs });
    const [updated] = await knex('snapshot_rows').select('inputs');
    expect(JSON.parse(updated.inputs)).toEqual(JSON.parse(inputs));

    await migrateDownOnce(knex);
    expect(await knex.schema.hasColumn('snapshot_rows', 'inputs')).toBe(false);
    const [count] = await knex('snapshot_rows').count({ n: '*' });
    expect(Number(count.n)).toBe(1);
    await knex.destroy();
  });

  it('waits while another replica holds the migration lock, then migrates', async () => {
    const knex = await databases.init(id);
    // knex's own bookkeeping, as a replica that is migrating leaves it.
    await knex.schema.createTable('knex_migrations', table => {
      table.increments('id');
      table.string('name');
      table.integer('batch');
      table.timestamp('migration_time');
    });
    await knex.schema.createTable('knex_migrations_lock', table => {
      table.increments('index').primary();
      table.integer('is_locked');
    });
    await knex('knex_migrations_lock').insert({ is_locked: 1 });
    // The holder finishes after more than the retries for other errors take.
    let released = false;
    const release = setTimeout(async () => {
      await knex('knex_migrations_lock').update({ is_locked: 0 });
      released = true;
    }, 2500);
    try {
      await DatabaseSnapshotStore.create({
        database: mockServices.database({ knex }),
      });
      expect(released).toBe(true);
      expect(await knex.schema.hasTable('snapshot_rows')).toBe(true);
    } finally {
      clearTimeout(release);
      await knex.destroy();
    }
  });
});
