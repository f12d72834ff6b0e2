import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  CheckResult,
  CheckStatus,
  EntityResult,
  HistoryPoint,
  OrgResult,
  READINESS_LEVELS,
  ReadinessLevel,
  refKey,
  ServicesSort,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { Knex } from 'knex';
import {
  checkColumnsOf,
  levelRank,
  searchTextOf,
} from '../services/ReadinessService/rows';
import {
  HistoryQuery,
  NewSnapshot,
  RowFilter,
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

const LIGHT_COLUMNS = [
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
  'failing',
  'unknown',
  'problems',
  'retry_risk',
];

/** The columns of `snapshot_rows`, in the order {@link rowValues} gives them. */
const ROW_COLUMNS = [
  'snapshot_id',
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
  'level_rank',
  'failing',
  'unknown',
  'statuses',
  'problems',
  'retry_risk',
  'search',
  'excluded',
  'retry_operations',
  'entity',
];

/** The columns the org model reads back for a subset of rows. */
const AGGREGATION_COLUMNS = [
  'entity_ref',
  'name',
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
  'entity',
];

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

function toNumberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) {
    return null;
  }
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function splitIds(value: unknown): string[] {
  return typeof value === 'string' && value !== ''
    ? value.split(',').filter(Boolean)
    : [];
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
      const inserted = await tx('snapshots')
        .insert({
          taken_at: takenAt,
          duration_ms: Math.round(snapshot.durationMs),
          entities: results.length,
          in_scope: org.counts.inScope,
          score: org.score,
          verdict: org.verdict,
          org: JSON.stringify(org),
          context: JSON.stringify(snapshot.context),
        })
        .returning('id');
      const first: any = inserted[0];
      const id = Number(typeof first === 'object' ? first.id : first);

      await insertRows(tx, 'snapshot_rows', ROW_COLUMNS, results.length, i =>
        rowValues(
          id,
          results[i],
          results[i].inScope
            ? snapshot.entities.get(refKey(results[i].entityRef))
            : undefined,
        ),
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

  async getLatestSnapshotId(): Promise<
    { id: number; takenAt: Date } | undefined
  > {
    const row = await this.db('snapshots')
      .select('id', 'taken_at')
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
    if (filter.owner !== undefined) {
      query.where('owner', filter.owner);
    }
    if (filter.system !== undefined) {
      query.where('system', filter.system);
    }
    if (filter.domain !== undefined) {
      query.where('domain', filter.domain);
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

  async listRows(
    snapshotId: number,
    filter: RowFilter,
    sort: ServicesSort,
  ): Promise<StoredRow[]> {
    const descending = sort.startsWith('-');
    const column = SORT_COLUMNS[descending ? sort.slice(1) : sort] ?? 'name';
    const order = descending ? 'desc' : 'asc';
    // Rows without a value (out of scope) sort last in both directions.
    const rows = await this.filtered(snapshotId, filter)
      .where('entity_ref', 'like', 'component:%')
      .select(LIGHT_COLUMNS)
      .orderByRaw('(case when ?? is null then 1 else 0 end)', [column])
      .orderBy(column, order)
      .orderBy('entity_ref', 'asc');
    return rows.map(deserializeRow);
  }

  async getHistory(query: HistoryQuery): Promise<HistoryPoint[]> {
    const q = this.db('snapshot_history')
      .select('taken_at', 'score', 'verdict', 'in_scope', 'levels')
      .where('owner', query.owner ?? '');
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

  async deleteSnapshotsBefore(date: Date): Promise<number> {
    return this.db.transaction(async tx => {
      const ids = (
        await tx('snapshots').select('id').where('taken_at', '<', date)
      ).map(r => r.id);
      if (ids.length === 0) {
        return 0;
      }
      // Explicit deletes: SQLite enforces ON DELETE CASCADE only when
      // foreign keys are switched on for the connection.
      for (let i = 0; i < ids.length; i += BATCH_SIZE) {
        const chunk = ids.slice(i, i + BATCH_SIZE);
        await tx('snapshot_history').whereIn('snapshot_id', chunk).delete();
        await tx('snapshot_rows').whereIn('snapshot_id', chunk).delete();
        await tx('snapshots').whereIn('id', chunk).delete();
      }
      return ids.length;
    });
  }

  async countSnapshots(): Promise<number> {
    const row = await this.db('snapshots').count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }
}

/** A check list entry that stands for an operation that is not retry-safe. */
const UNSAFE_OPERATION = Object.freeze({ retrySafe: false });

/** Stands for one annotation problem: the org model only counts them. */
const PROBLEM = Object.freeze({ key: '', value: '', message: '' });

/**
 * The result as far as the org model reads it, rebuilt from the row's
 * columns: ref, kind, owner, system, domain, scope (and whether excluded),
 * score, level, check statuses, the number of problems and of operations
 * that are not retry-safe. Messages, fixes, waivers and snippets are not
 * stored; the entity route computes them live.
 */
function aggregationResultOf(row: any): EntityResult {
  const ref: string = row.entity_ref;
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon + 1);
  const checks: CheckResult[] = [];
  const statuses: string = row.statuses ?? '';
  let start = 1;
  while (start < statuses.length) {
    const end = statuses.indexOf('|', start);
    if (end < 0) {
      break;
    }
    const eq = statuses.lastIndexOf('=', end);
    if (eq > start) {
      const check: CheckResult = {
        id: statuses.slice(start, eq),
        status: statuses.slice(eq + 1, end) as CheckStatus,
        message: '',
      };
      if (check.id === 'retry-safety' && check.status === 'fail') {
        const count = Number(row.retry_operations) || 0;
        check.operations = new Array(count).fill(UNSAFE_OPERATION);
      }
      checks.push(check);
    }
    start = end + 1;
  }
  const result: EntityResult = {
    entityRef: ref,
    kind: ref.slice(0, colon),
    namespace: ref.slice(colon + 1, slash),
    name: row.name,
    inScope: Boolean(row.in_scope),
    score: toNumberOrNull(row.score),
    level: row.level ?? null,
    checks,
    problems: new Array(Number(row.problems) || 0).fill(PROBLEM),
    waivers: [],
    topMissing: [],
  };
  if (row.excluded && !result.inScope) {
    result.scopeReason = 'Excluded';
  }
  for (const key of ['owner', 'system', 'domain'] as const) {
    if (row[key] !== null && row[key] !== undefined) {
      result[key] = row[key];
    }
  }
  return result;
}

/**
 * The values of a `snapshot_rows` row in {@link ROW_COLUMNS} order. The
 * optional text columns hold what the /services row shows (see
 * `serviceRowOf`): the value when there is one, else null.
 */
function rowValues(
  snapshotId: number,
  result: EntityResult,
  entity: Entity | undefined,
): unknown[] {
  const checks = checkColumnsOf(result);
  return [
    snapshotId,
    result.entityRef,
    result.name,
    result.title || null,
    result.type || null,
    result.lifecycle || null,
    result.owner || null,
    result.system || null,
    result.domain || null,
    result.inScope,
    result.score,
    result.level,
    levelRank(result.level),
    checks.failing.join(','),
    checks.unknown.join(','),
    checks.statuses,
    result.problems.length,
    checks.retryRisk,
    searchTextOf(result),
    !result.inScope && Boolean(result.scopeReason?.startsWith('Excluded')),
    checks.unsafeOperations,
    entity ? JSON.stringify(entity) : null,
  ];
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

function deserializeRow(row: any): StoredRow {
  const out: StoredRow = {
    entityRef: row.entity_ref,
    name: row.name,
    score: toNumberOrNull(row.score),
    level: row.level ?? null,
    failing: splitIds(row.failing),
    unknown: splitIds(row.unknown),
    problems: Number(row.problems),
    retryRisk: Boolean(row.retry_risk),
    inScope: Boolean(row.in_scope),
  };
  for (const key of [
    'title',
    'type',
    'lifecycle',
    'owner',
    'system',
    'domain',
  ] as const) {
    if (row[key] !== null && row[key] !== undefined) {
      out[key] = row[key];
    }
  }
  return out;
}
