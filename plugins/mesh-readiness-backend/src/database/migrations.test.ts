import { TestDatabases } from '@backstage/backend-test-utils';
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
    await knex('snapshot_rows').insert({
      snapshot_id: snapshotId,
      entity_ref: 'component:default/a',
      name: 'a',
      in_scope: true,
      failing: '',
      unknown: '',
      statuses: '|',
      search: 'a',
      result: '{}',
    });
    // The primary key keeps one row per entity per snapshot.
    await expect(
      knex('snapshot_rows').insert({
        snapshot_id: snapshotId,
        entity_ref: 'component:default/a',
        name: 'a',
        in_scope: true,
        failing: '',
        unknown: '',
        statuses: '|',
        search: 'a',
        result: '{}',
      }),
    ).rejects.toMatchObject({
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
});
