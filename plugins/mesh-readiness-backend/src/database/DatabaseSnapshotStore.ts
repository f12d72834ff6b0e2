import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  EntityResult,
  HistoryPoint,
  MeshOption,
  OrgResult,
  READINESS_LEVELS,
  ReadinessLevel,
  refKey,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { Knex } from 'knex';
import {
  AGGREGATION_COLUMNS,
  aggregationResultOf,
  parseInputs,
  ROW_COLUMNS,
  rowValuesOf,
  STORED_ROW_COLUMNS,
  statusesOf,
  storedRowOf,
  toNumberOrNull,
} from './rows';
import {
  EntityPoint,
  EntityRowDetail,
  HistoryQuery,
  NewLiveReport,
  NewSnapshot,
  RowFilter,
  RowRestriction,
  ServicesQuery,
  SnapshotRecord,
  SnapshotStore,
  StoredRow,
} from './types';

const migrationsDir = resolvePackagePath(
  '@mesh-readiness/plugin-mesh-readiness-backend',
  'migrations',
);

/** Rows per INSERT statement: stays below SQLite's and PostgreSQL's bind limits. */
const BATCH_SIZE = 250;

const SORT_COLUMNS: Record<string, string> = {
  name: 'name',
  score: 'score',
  owner: 'owner',
  level: 'level_rank',
};

function toDate(value: unknown): Date {
  if (value instanceof Date) {
    return value;
  }
  if (typeof value === 'number') {
    return new Date(value);
  }
  const text = String(value);
  // SQLite may hand back 'YYYY-MM-DD HH:MM:SS' without a zone: it is UTC.
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text)) {
    return new Date(`${text.replace(' ', 'T')}Z`);
  }
  if (/^\d+$/.test(text)) {
    return new Date(Number(text));
  }
  return new Date(text);
}

/** Escapes LIKE wildcards; used with `ESCAPE '\'`. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`);
}

function emptyLevels(): Record<ReadinessLevel, number> {
  const out = {} as Record<ReadinessLevel, number>;
  for (const level of READINESS_LEVELS) {
    out[level] = 0;
  }
  return out;
}

/** How long a replica waits for another one that holds the migration lock. */
const MIGRATION_LOCK_WAIT_MS = 60_000;

/**
 * Runs the migrations. Replicas that start together on an empty database
 * race to create knex's own bookkeeping tables; the loser of that race
 * fails once and succeeds on a retry, when the tables exist. A replica
 * that finds the migration lock taken waits while the holder migrates
 * (up to a minute: a lock left by a crashed replica is then reported).
 */
async function migrateWithRetry(client: Knex, attempts = 4): Promise<void> {
  const lockDeadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (error) {
      const locked = (error as Error)?.name === 'MigrationLocked';
      if (locked ? Date.now() >= lockDeadline : attempt >= attempts) {
        throw error;
      }
      await new Promise(resolve =>
        setTimeout(
          resolve,
          (locked ? 250 : 100 * attempt) + Math.random() * 200,
        ),
      );
    }
  }
}

/**
 * Stores snapshots in the plugin's own database: SQLite in memory by
 * default, PostgreSQL in production.
 */
export class DatabaseSnapshotStore implements SnapshotStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseSnapshotStore> {
    const client = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await migrateWithRetry(client);
    }
    return new DatabaseSnapshotStore(client);
  }

  /** Where the knex migrations of this store live. */
  static readonly migrationsDir = migrationsDir;

  private constructor(private readonly db: Knex) {}

  async writeSnapshot(snapshot: NewSnapshot): Promise<SnapshotRecord> {
    const { org, results, takenAt } = snapshot;
    return this.db.transaction(async tx => {
      await deleteLiveReportsBefore(tx, takenAt);
      const id = await insertSnapshot(tx, {
        takenAt,
        durationMs: snapshot.durationMs,
        entities: results.length,
        org,
        context: snapshot.context,
      });

      await insertRows(
        tx,
        'snapshot_rows',
        ['snapshot_id', ...ROW_COLUMNS],
        results.length,
        i => [
          id,
          ...rowValuesOf(
            results[i],
            results[i].inScope
              ? snapshot.entities.get(refKey(results[i].entityRef))
              : undefined,
          ),
        ],
      );

      const history = [
        {
          snapshot_id: id,
          owner: '',
          taken_at: takenAt,
          score: org.score,
          verdict: org.verdict,
          in_scope: org.counts.inScope,
          levels: JSON.stringify(org.levels),
        },
        ...snapshot.ownerHistory.map(({ owner, point }) => ({
          snapshot_id: id,
          owner,
          taken_at: takenAt,
          score: point.score,
          verdict: point.verdict,
          in_scope: point.inScope,
          levels: JSON.stringify(point.levels),
        })),
      ];
      for (let i = 0; i < history.length; i += BATCH_SIZE) {
        await tx('snapshot_history').insert(history.slice(i, i + BATCH_SIZE));
      }

      return {
        id,
        takenAt,
        durationMs: Math.round(snapshot.durationMs),
        entities: results.length,
        inScope: org.counts.inScope,
        org,
      };
    });
  }

  async writeLiveReport(report: NewLiveReport): Promise<number> {
    const { principal, takenAt, org, results } = report;
    return this.db.transaction(async tx => {
      await deleteLiveReportsBefore(tx, takenAt);
      const id = await insertSnapshot(tx, {
        takenAt,
        durationMs: 0,
        entities: results.length,
        org,
        context: [],
        liveFor: principal,
      });
      await insertRows(
        tx,
        'snapshot_rows',
        ['snapshot_id', ...ROW_COLUMNS],
        results.length,
        i => [id, ...rowValuesOf(results[i], undefined)],
      );
      return id;
    });
  }

  async getLatestSnapshotId(): Promise<
    { id: number; takenAt: Date } | undefined
  > {
    const row = await this.db('snapshots')
      .select('id', 'taken_at')
      .whereNull('live_for')
      .orderBy('id', 'desc')
      .first();
    return row
      ? { id: Number(row.id), takenAt: toDate(row.taken_at) }
      : undefined;
  }

  async getLatestSnapshot(): Promise<SnapshotRecord | undefined> {
    const latest = await this.getLatestSnapshotId();
    return latest ? this.getSnapshot(latest.id) : undefined;
  }

  async getSnapshot(id: number): Promise<SnapshotRecord | undefined> {
    const row = await this.db('snapshots')
      .select('id', 'taken_at', 'duration_ms', 'entities', 'in_scope', 'org')
      .where({ id })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      id: Number(row.id),
      takenAt: toDate(row.taken_at),
      durationMs: Number(row.duration_ms),
      entities: Number(row.entities),
      inScope: Number(row.in_scope),
      org: JSON.parse(row.org) as OrgResult,
    };
  }

  async listRefs(snapshotId: number): Promise<string[]> {
    const rows = await this.db('snapshot_rows')
      .select('entity_ref')
      .where('snapshot_id', snapshotId);
    return rows.map(r => r.entity_ref);
  }

  async getRowsForAggregation(
    snapshotId: number,
    filter: RowFilter,
  ): Promise<Array<{ result: EntityResult; entity?: Entity }>> {
    const rows = await this.filtered(snapshotId, filter)
      .select(AGGREGATION_COLUMNS)
      .orderBy('entity_ref');
    return rows.map(row => ({
      result: aggregationResultOf(row),
      entity: row.entity ? (JSON.parse(row.entity) as Entity) : undefined,
    }));
  }

  async getContext(snapshotId: number): Promise<Entity[]> {
    const row = await this.db('snapshots')
      .select('context')
      .where({ id: snapshotId })
      .first();
    return row ? (JSON.parse(row.context) as Entity[]) : [];
  }

  private filtered(snapshotId: number, filter: RowFilter) {
    const query = this.db('snapshot_rows').where('snapshot_id', snapshotId);
    // Entity refs name the same entity whatever the case of their letters.
    if (filter.owner !== undefined) {
      query.whereRaw('lower(owner) = ?', [filter.owner.toLowerCase()]);
    }
    if (filter.owners !== undefined) {
      // One bind parameter however many owners (see `jsonList`).
      query.whereRaw(`lower(owner) in (${this.jsonList})`, [
        JSON.stringify(filter.owners.map(o => o.toLowerCase())),
      ]);
    }
    if (filter.system !== undefined) {
      query.whereRaw('lower(system) = ?', [filter.system.toLowerCase()]);
    }
    if (filter.domain !== undefined) {
      query.whereRaw('lower(domain) = ?', [filter.domain.toLowerCase()]);
    }
    if (filter.level !== undefined) {
      query.where('level', filter.level);
    }
    if (filter.check !== undefined) {
      const status = filter.status ?? 'fail';
      query.whereRaw(`statuses like ? escape '\\'`, [
        `%|${likeEscape(filter.check)}=${likeEscape(status)}|%`,
      ]);
    }
    if (filter.q !== undefined && filter.q !== '') {
      query.whereRaw(`search like ? escape '\\'`, [
        `%${likeEscape(filter.q.toLocaleLowerCase('en-US'))}%`,
      ]);
    }
    return query;
  }

  /** Rows of components the caller may see, matching the filter. */
  private services(
    snapshotId: number,
    filter: RowFilter,
    restriction: RowRestriction | undefined,
  ) {
    const query = this.filtered(snapshotId, filter).where(
      'entity_ref',
      'like',
      'component:%',
    );
    if (restriction) {
      const only = 'only' in restriction;
      const refs = only ? restriction.only : restriction.except;
      // One bind parameter however many refs: a JSON array, read as a
      // table by the database.
      query.whereRaw(
        `entity_ref ${only ? 'in' : 'not in'} (${this.jsonList})`,
        [JSON.stringify(refs)],
      );
    }
    return query;
  }

  /** A subquery over the texts of the JSON array bound to its `?`. */
  private get jsonList(): string {
    return (this.db.client as any).driverName === 'pg'
      ? 'select jsonb_array_elements_text(cast(? as jsonb))'
      : 'select value from json_each(?)';
  }

  async listServices(
    snapshotId: number,
    query: ServicesQuery,
  ): Promise<{ rows: StoredRow[]; total: number }> {
    const { filter, sort, restriction, page } = query;
    const descending = sort.startsWith('-');
    const column = SORT_COLUMNS[descending ? sort.slice(1) : sort] ?? 'name';
    const order = descending ? 'desc' : 'asc';
    // Rows without a value (out of scope) sort last in both directions.
    const sorted = (rows: Knex.QueryBuilder) =>
      rows
        .orderByRaw('(case when ?? is null then 1 else 0 end)', [column])
        .orderBy(column, order)
        .orderBy('entity_ref', 'asc');
    if (!page) {
      const rows = await sorted(
        this.services(snapshotId, filter, restriction).select(
          STORED_ROW_COLUMNS,
        ),
      );
      return { rows: rows.map(storedRowOf), total: rows.length };
    }
    // The page is found sorting the refs alone, then its rows are read by
    // their key: sorting whole rows costs about twice as much.
    const pageRefs = sorted(
      this.services(snapshotId, filter, restriction).select('entity_ref'),
    )
      .offset(page.offset)
      .limit(page.limit);
    const [rows, counted] = await Promise.all([
      sorted(
        this.db('snapshot_rows')
          .select(STORED_ROW_COLUMNS)
          .where('snapshot_id', snapshotId)
          .whereIn('entity_ref', pageRefs),
      ),
      this.services(snapshotId, filter, restriction).count({ n: '*' }).first(),
    ]);
    return { rows: rows.map(storedRowOf), total: Number(counted?.n ?? 0) };
  }

  async getHistory(query: HistoryQuery): Promise<HistoryPoint[]> {
    const q = this.db('snapshot_history')
      .select('taken_at', 'score', 'verdict', 'in_scope', 'levels')
      .whereRaw('lower(owner) = ?', [(query.owner ?? '').toLowerCase()]);
    if (query.from) {
      q.where('taken_at', '>=', query.from);
    }
    if (query.to) {
      q.where('taken_at', '<=', query.to);
    }
    const rows = await q.orderBy('taken_at', 'asc');
    return rows.map(row => ({
      takenAt: toDate(row.taken_at).toISOString(),
      score: toNumberOrNull(row.score),
      verdict: row.verdict,
      inScope: Number(row.in_scope),
      levels: { ...emptyLevels(), ...JSON.parse(row.levels) },
    }));
  }

  async getEntityPoints(
    entityRef: string,
    range: { from?: Date; to?: Date },
  ): Promise<EntityPoint[]> {
    // The primary key (snapshot_id, entity_ref) finds the row in each
    // snapshot; snapshots are few next to rows.
    const query = this.db('snapshot_rows as r')
      .join('snapshots as s', 's.id', 'r.snapshot_id')
      .select('s.id', 's.taken_at', 'r.score', 'r.coverage', 'r.level')
      .where('r.entity_ref', entityRef)
      .whereNull('s.live_for');
    if (range.from) {
      query.where('s.taken_at', '>=', range.from);
    }
    if (range.to) {
      query.where('s.taken_at', '<=', range.to);
    }
    const rows = await query.orderBy([
      { column: 's.taken_at', order: 'asc' },
      { column: 's.id', order: 'asc' },
    ]);
    return rows.map(row => ({
      snapshotId: Number(row.id),
      takenAt: toDate(row.taken_at),
      score: toNumberOrNull(row.score),
      coverage: toNumberOrNull(row.coverage),
      level: row.level ?? null,
    }));
  }

  async getEntityRows(
    entityRef: string,
    snapshotIds: number[],
  ): Promise<EntityRowDetail[]> {
    if (snapshotIds.length === 0) {
      return [];
    }
    const [rows, heads] = await Promise.all([
      this.db('snapshot_rows as r')
        .join('snapshots as s', 's.id', 'r.snapshot_id')
        .select(
          's.id',
          's.taken_at',
          'r.score',
          'r.coverage',
          'r.level',
          'r.in_scope',
          'r.statuses',
          'r.owner',
          'r.type',
          'r.lifecycle',
          'r.entity',
          'r.inputs',
        )
        .where('r.entity_ref', entityRef)
        .whereIn('s.id', snapshotIds),
      this.db('snapshots').select('id', 'org').whereIn('id', snapshotIds),
    ]);
    const meshes = new Map<number, MeshOption | undefined>();
    for (const head of heads) {
      let mesh: MeshOption | undefined;
      try {
        mesh = (JSON.parse(head.org) as OrgResult).recommendation?.mesh;
      } catch {
        mesh = undefined;
      }
      meshes.set(Number(head.id), mesh);
    }
    return rows
      .map(row => ({
        snapshotId: Number(row.id),
        takenAt: toDate(row.taken_at),
        score: toNumberOrNull(row.score),
        coverage: toNumberOrNull(row.coverage),
        level: row.level ?? null,
        inScope: Boolean(row.in_scope),
        statuses: statusesOf(row.statuses),
        owner: row.owner ?? null,
        type: row.type ?? null,
        lifecycle: row.lifecycle ?? null,
        entity: row.entity ? (JSON.parse(row.entity) as Entity) : undefined,
        inputs: parseInputs(row.inputs),
        orgMesh: meshes.get(Number(row.id)),
      }))
      .sort(
        (a, b) =>
          a.takenAt.getTime() - b.takenAt.getTime() ||
          a.snapshotId - b.snapshotId,
      );
  }

  async deleteSnapshotsBefore(date: Date): Promise<number> {
    return this.db.transaction(async tx => {
      const ids = (
        await tx('snapshots')
          .select('id')
          .whereNull('live_for')
          .where('taken_at', '<', date)
      ).map(r => r.id);
      await deleteSnapshots(tx, ids);
      return ids.length;
    });
  }

  async countSnapshots(): Promise<number> {
    const row = await this.db('snapshots')
      .whereNull('live_for')
      .count({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  }

  async getObservations(
    source: string,
    subjects?: readonly string[],
  ): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    const read = async (some?: readonly string[]) => {
      const query = this.db('observations')
        .select('subject', 'observation')
        .where({ source });
      if (some) {
        query.whereIn('subject', some);
      }
      for (const row of await query) {
        out.set(row.subject, JSON.parse(row.observation));
      }
    };
    if (!subjects) {
      await read();
    } else {
      for (let i = 0; i < subjects.length; i += BATCH_SIZE) {
        await read(subjects.slice(i, i + BATCH_SIZE));
      }
    }
    return out;
  }

  async putObservations(
    source: string,
    observations: ReadonlyMap<string, unknown>,
    writtenAt: Date,
  ): Promise<void> {
    const rows = [...observations].map(([subject, observation]) => ({
      source,
      subject,
      observation: JSON.stringify(observation),
      written_at: writtenAt,
    }));
    for (let i = 0; i < rows.length; i += BATCH_SIZE) {
      await this.db('observations')
        .insert(rows.slice(i, i + BATCH_SIZE))
        .onConflict(['source', 'subject'])
        .merge(['observation', 'written_at']);
    }
  }

  async deleteObservationsBefore(date: Date): Promise<number> {
    return this.db('observations').where('written_at', '<', date).delete();
  }
}

/** Inserts the `snapshots` row of a snapshot or live report; returns its id. */
async function insertSnapshot(
  tx: Knex.Transaction,
  head: {
    takenAt: Date;
    durationMs: number;
    entities: number;
    org: OrgResult;
    context: Entity[];
    liveFor?: string;
  },
): Promise<number> {
  const { org } = head;
  const inserted = await tx('snapshots')
    .insert({
      taken_at: head.takenAt,
      duration_ms: Math.round(head.durationMs),
      entities: head.entities,
      in_scope: org.counts.inScope,
      score: org.score,
      verdict: org.verdict,
      org: JSON.stringify(org),
      context: JSON.stringify(head.context),
      live_for: head.liveFor ?? null,
    })
    .returning('id');
  const first: any = inserted[0];
  return Number(typeof first === 'object' ? first.id : first);
}

/**
 * Deletes snapshots (or live reports) and their rows. Explicit deletes:
 * SQLite enforces ON DELETE CASCADE only when foreign keys are switched on
 * for the connection.
 */
async function deleteSnapshots(
  tx: Knex.Transaction,
  ids: number[],
): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH_SIZE) {
    const chunk = ids.slice(i, i + BATCH_SIZE);
    await tx('snapshot_history').whereIn('snapshot_id', chunk).delete();
    await tx('snapshot_rows').whereIn('snapshot_id', chunk).delete();
    await tx('snapshots').whereIn('id', chunk).delete();
  }
}

/**
 * How long a live report's rows are kept after it was taken: well past the
 * 15 seconds a live report is served for, and the time it takes to compute.
 */
const LIVE_REPORT_KEEP_MS = 60_000;

/** Deletes the live reports taken over a minute before `date`. */
async function deleteLiveReportsBefore(
  tx: Knex.Transaction,
  date: Date,
): Promise<void> {
  const ids = (
    await tx('snapshots')
      .select('id')
      .whereNotNull('live_for')
      .where('taken_at', '<', new Date(date.getTime() - LIVE_REPORT_KEEP_MS))
  ).map(r => r.id);
  await deleteSnapshots(tx, ids);
}

/** Rows per INSERT statement where rows go in as one multi-row statement. */
const INSERT_BATCH_ROWS = 1000;

/**
 * Inserts `count` rows; `valuesAt(i)` gives row i's values in `columns`
 * order. Rows are built as they are inserted, not all up front, so that
 * each row's values (the entity JSON among them) are garbage as soon as
 * the row is in. On SQLite (better-sqlite3) one prepared statement runs
 * once per row, on the transaction's own connection; elsewhere multi-row
 * inserts in batches that stay below the bind-parameter limits
 * (PostgreSQL: 65535).
 */
async function insertRows(
  tx: Knex.Transaction,
  table: string,
  columns: string[],
  count: number,
  valuesAt: (index: number) => unknown[],
): Promise<void> {
  if (count === 0) {
    return;
  }
  if ((tx.client as any).driverName === 'better-sqlite3') {
    const connection: any = await (tx.client as any).acquireConnection();
    const statement = connection.prepare(
      `insert into "${table}" (${columns
        .map(c => `"${c}"`)
        .join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
    for (let index = 0; index < count; index++) {
      const row = valuesAt(index);
      // Bindings as knex gives them to better-sqlite3.
      for (let i = 0; i < row.length; i++) {
        const value = row[i];
        if (typeof value === 'boolean') {
          row[i] = Number(value);
        } else if (value instanceof Date) {
          row[i] = value.valueOf();
        } else if (value === undefined) {
          row[i] = null;
        }
      }
      statement.run(row);
    }
    return;
  }
  const batch = Math.max(
    1,
    Math.min(INSERT_BATCH_ROWS, Math.floor(60_000 / columns.length)),
  );
  for (let start = 0; start < count; start += batch) {
    const records: Array<Record<string, unknown>> = [];
    for (let index = start; index < Math.min(count, start + batch); index++) {
      const values = valuesAt(index);
      const record: Record<string, unknown> = {};
      for (let c = 0; c < columns.length; c++) {
        record[columns[c]] = values[c] ?? null;
      }
      records.push(record);
    }
    await tx(table).insert(records);
  }
}
