import type { Entity } from '@backstage/catalog-model';
import {
  CheckResult,
  CheckStatus,
  EntityResult,
  ManifestSummary,
  READINESS_LEVELS,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { StoredRow } from './types';

/*
 * The row encoding: how a scored entity is written as a `snapshot_rows`
 * row, and how a row is read back as a /services row or as the result the
 * org model reads. Filtering, sorting and paging happen in SQL, in the
 * store; this file only says what the columns hold.
 */

/** What a row keeps of a result's checks. */
export interface CheckColumns {
  /** Ids of failing or invalid checks. */
  failing: string[];
  /** Ids of unknown checks. */
  unknown: string[];
  /** `|id=status|…|` for the check filter. */
  statuses: string;
  /** Whether the retry-safety check fails. */
  retryRisk: boolean;
  /** Operations a failing retry-safety check found not retry-safe. */
  unsafeOperations: number;
}

/**
 * A result's checks as the row columns hold them, in one pass: the store
 * runs this for every row of a snapshot.
 */
export function checkColumnsOf(result: EntityResult): CheckColumns {
  const failing: string[] = [];
  const unknown: string[] = [];
  let statuses = '|';
  let retryRisk = false;
  let unsafeOperations = 0;
  for (const check of result.checks) {
    statuses += `${check.id}=${check.status}|`;
    if (check.status === 'fail' || check.status === 'invalid') {
      failing.push(check.id);
    } else if (check.status === 'unknown') {
      unknown.push(check.id);
    }
    if (check.id === 'retry-safety' && check.status === 'fail') {
      retryRisk = true;
      for (const op of check.operations ?? []) {
        if (op.retrySafe === false) {
          unsafeOperations++;
        }
      }
    }
  }
  return { failing, unknown, statuses, retryRisk, unsafeOperations };
}

/**
 * The text free-text search looks in: name, title, owner, system.
 * Lower-cased with `toLowerCase`, which gives what
 * `toLocaleLowerCase('en-US')` gives at a fraction of the cost: the store
 * computes this for every row of a snapshot.
 */
export function searchTextOf(result: EntityResult): string {
  return [result.name, result.title, result.owner, result.system]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

/** A level's place in READINESS_LEVELS (0 = not-assessed), for sorting. */
export function levelRank(level: string | null | undefined): number | null {
  if (!level) {
    return null;
  }
  const i = READINESS_LEVELS.indexOf(level as any);
  return i < 0 ? null : i;
}

/**
 * The columns of `snapshot_rows` after `snapshot_id`, in the order
 * {@link rowValuesOf} gives them.
 */
export const ROW_COLUMNS = [
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
  'coverage',
  'inspected',
  'inputs',
];

/**
 * The values of a `snapshot_rows` row in {@link ROW_COLUMNS} order, as
 * plain data (booleans, numbers, strings, null). The optional text columns
 * hold what the /services row shows (see {@link storedRowOf}): the value
 * when there is one, else null. `entity` is the workload view of an
 * in-scope row, stored as JSON.
 */
export function rowValuesOf(
  result: EntityResult,
  entity: Entity | undefined,
): unknown[] {
  const checks = checkColumnsOf(result);
  return [
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
    coverageOf(result),
    inspectedOf(result),
    JSON.stringify(inputsOf(result)),
  ];
}

/**
 * What a row keeps of what its checks were decided on, besides the
 * annotations (in the `entity` column): enough to tell, between two
 * snapshots, whether the observed facts, the API operations, the waivers
 * or the organisation's mesh could be why a check's status changed. Short
 * keys: every row of every snapshot holds one.
 */
export interface RowInputs {
  /**
   * Per check id, a digest of the facts read from the manifests (`m:…`) or
   * a running cluster (`c:…`) that the check was decided on.
   */
  e?: Record<string, string>;
  /** The operations of the APIs the entity provides: how many, and a digest. */
  o?: [number, string];
  /** Waivers: check id, last day (YYYY-MM-DD), 1 when expired. */
  w?: Array<[string, string, 0 | 1]>;
  /** Ids of the checks whose result assumed the organisation's mesh. */
  m?: string[];
}

/**
 * FNV-1a over the text, as 8 hex digits: a change detector, not a
 * security measure; a collision only hides one reason.
 */
export function digestOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** A result's {@link RowInputs}; `{}` when there is nothing to keep. */
export function inputsOf(result: EntityResult): RowInputs {
  const inputs: RowInputs = {};
  for (const check of result.checks) {
    let observed = '';
    let fromCluster = false;
    for (const item of check.evidence ?? []) {
      if (item.source.kind === 'manifest') {
        observed += `${item.fact}\u0000${item.value}\u0001`;
        fromCluster ||= Boolean(item.source.cluster);
      }
    }
    if (observed) {
      inputs.e ??= {};
      inputs.e[check.id] = `${fromCluster ? 'c' : 'm'}:${digestOf(observed)}`;
    }
    if (check.id === 'retry-safety' && check.operations) {
      const operations = check.operations
        .map(
          op =>
            `${op.api} ${op.operation} ${op.idempotent} ${op.retrySafe}${
              op.streaming ? ' streaming' : ''
            }`,
        )
        .sort();
      inputs.o = [operations.length, digestOf(operations.join('\n'))];
    }
    if (check.assumption) {
      (inputs.m ??= []).push(check.id);
    }
  }
  for (const waiver of result.waivers) {
    (inputs.w ??= []).push([
      waiver.checkId,
      waiver.until,
      waiver.expired ? 1 : 0,
    ]);
  }
  return inputs;
}

/** A stored `inputs` value, parsed; undefined for rows stored before it. */
export function parseInputs(value: unknown): RowInputs | undefined {
  if (typeof value !== 'string' || value === '') {
    return undefined;
  }
  try {
    const parsed = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a result's facts were observed: its manifests were read and at
 * least one workload in them matched the entity. False when its facts are
 * declared only (no manifests linked, or none matched).
 */
export function inspectedOf(result: EntityResult): boolean {
  return (result.manifests?.workloads.length ?? 0) > 0;
}

/** A result's coverage as stored: a number in 0–1, else null. */
export function coverageOf(result: EntityResult): number | null {
  const value = result.coverage;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function toNumberOrNull(value: unknown): number | null {
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

/** The columns {@link storedRowOf} reads. */
export const STORED_ROW_COLUMNS = [
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
  'coverage',
  'level',
  'failing',
  'unknown',
  'problems',
  'retry_risk',
  'inspected',
];

/** A row read with {@link STORED_ROW_COLUMNS}, as /services lists it. */
export function storedRowOf(row: any): StoredRow {
  const out: StoredRow = {
    entityRef: row.entity_ref,
    name: row.name,
    score: toNumberOrNull(row.score),
    coverage: toNumberOrNull(row.coverage),
    level: row.level ?? null,
    failing: splitIds(row.failing),
    unknown: splitIds(row.unknown),
    problems: Number(row.problems),
    retryRisk: Boolean(row.retry_risk),
    inScope: Boolean(row.in_scope),
  };
  // Null in the rows of snapshots taken before rows kept it.
  if (row.inspected !== null && row.inspected !== undefined) {
    out.inspected = Boolean(row.inspected);
  }
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

/** The columns {@link aggregationResultOf} reads. */
export const AGGREGATION_COLUMNS = [
  'entity_ref',
  'name',
  'owner',
  'system',
  'domain',
  'in_scope',
  'score',
  'coverage',
  'level',
  'statuses',
  'problems',
  'excluded',
  'retry_operations',
  'entity',
  'inspected',
];

/** A check list entry that stands for an operation that is not retry-safe. */
const UNSAFE_OPERATION = Object.freeze({ retrySafe: false });

/** Stands for one annotation problem: the org model only counts them. */
const PROBLEM = Object.freeze({ key: '', value: '', message: '' });

/**
 * Stands for the manifests of an inspected row: the org model only counts
 * the rows whose manifests matched a workload.
 */
const INSPECTED: ManifestSummary = {
  locations: [],
  files: 0,
  workloads: [
    {
      kind: '',
      name: '',
      matchedBy: '',
      source: { kind: 'manifest', label: '' },
    },
  ],
  problems: [],
};

/**
 * The result as far as the org model reads it, rebuilt from a row read
 * with {@link AGGREGATION_COLUMNS}: ref, kind, owner, system, domain,
 * scope (and whether excluded), score, coverage, level, check statuses, the number
 * of problems and of operations that are not retry-safe, and whether its
 * manifests were inspected. Messages, fixes,
 * waivers and snippets are not stored; the entity route computes them
 * live.
 */
export function aggregationResultOf(row: any): EntityResult {
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
    coverage: toNumberOrNull(row.coverage),
    level: row.level ?? null,
    checks,
    problems: new Array(Number(row.problems) || 0).fill(PROBLEM),
    waivers: [],
    topMissing: [],
  };
  if (row.excluded && !result.inScope) {
    result.scopeReason = 'Excluded';
  }
  if (row.inspected) {
    result.manifests = INSPECTED;
  }
  for (const key of ['owner', 'system', 'domain'] as const) {
    if (row[key] !== null && row[key] !== undefined) {
      result[key] = row[key];
    }
  }
  return result;
}

/** A row's `statuses` column (`|id=status|…|`) as status by check id. */
export function statusesOf(value: unknown): Map<string, CheckStatus> {
  const out = new Map<string, CheckStatus>();
  for (const part of String(value ?? '').split('|')) {
    const eq = part.lastIndexOf('=');
    if (eq > 0) {
      out.set(part.slice(0, eq), part.slice(eq + 1) as CheckStatus);
    }
  }
  return out;
}
