import {
  CheckStatus,
  EntityResult,
  READINESS_LEVELS,
  ServicesSort,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { RowFilter, StoredRow } from '../../database/types';

/*
 * The one definition of a /services row and of its filters and sort
 * order. The store uses it to write rows; live mode (before the first
 * snapshot) filters and sorts in memory with the same rules.
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

/** The /services row of an entity result. */
export function serviceRowOf(result: EntityResult): StoredRow {
  const { failing, unknown, retryRisk } = checkColumnsOf(result);
  const row: StoredRow = {
    entityRef: result.entityRef,
    name: result.name,
    score: result.score,
    level: result.level,
    failing,
    unknown,
    problems: result.problems.length,
    retryRisk,
    inScope: result.inScope,
  };
  if (result.title) row.title = result.title;
  if (result.type) row.type = result.type;
  if (result.lifecycle) row.lifecycle = result.lifecycle;
  if (result.owner) row.owner = result.owner;
  if (result.system) row.system = result.system;
  if (result.domain) row.domain = result.domain;
  return row;
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

export function levelRank(level: string | null | undefined): number | null {
  if (!level) {
    return null;
  }
  const i = READINESS_LEVELS.indexOf(level as any);
  return i < 0 ? null : i;
}

/** Whether a result matches the filter, with the store's rules. */
export function matchesFilter(
  result: EntityResult,
  filter: RowFilter,
): boolean {
  if (filter.owner !== undefined && result.owner !== filter.owner) {
    return false;
  }
  if (filter.system !== undefined && result.system !== filter.system) {
    return false;
  }
  if (filter.domain !== undefined && result.domain !== filter.domain) {
    return false;
  }
  if (filter.level !== undefined && result.level !== filter.level) {
    return false;
  }
  if (filter.check !== undefined) {
    const status: CheckStatus = filter.status ?? 'fail';
    if (
      !result.checks.some(c => c.id === filter.check && c.status === status)
    ) {
      return false;
    }
  }
  if (filter.q !== undefined && filter.q !== '') {
    if (!searchTextOf(result).includes(filter.q.toLocaleLowerCase('en-US'))) {
      return false;
    }
  }
  return true;
}

function sortValue(row: StoredRow, key: string): string | number | null {
  switch (key) {
    case 'score':
      return row.score;
    case 'owner':
      return row.owner ?? null;
    case 'level':
      return levelRank(row.level);
    default:
      return row.name;
  }
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return compareText(String(a), String(b));
}

function compareText(x: string, y: string): number {
  if (x < y) {
    return -1;
  }
  return x > y ? 1 : 0;
}

/** Sorts rows as the store does: empty values last, then by entity ref. */
export function sortRows(rows: StoredRow[], sort: ServicesSort): StoredRow[] {
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    if (x !== null && y !== null) {
      const c = compareValues(x, y);
      if (c !== 0) {
        return descending ? -c : c;
      }
    }
    return compareText(a.entityRef, b.entityRef);
  });
}
