import type { Entity } from '@backstage/catalog-model';
import {
  EntityResult,
  refKey,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  checkColumnsOf,
  levelRank,
  searchTextOf,
} from '../services/ReadinessService/rows';

/**
 * The values of one `snapshot_rows` row in {@link ROW_COLUMNS} order,
 * without the snapshot id: plain strings, numbers, booleans and nulls, so
 * that a row built in the scoring worker crosses to the store as it is.
 */
export type SnapshotRow = unknown[];

/** The columns of `snapshot_rows` after `snapshot_id`, in row order. */
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
];

/**
 * The row of a result. The optional text columns hold what the /services
 * row shows (see `serviceRowOf`): the value when there is one, else null.
 * `entity` is what the org model reads of an in-scope workload (see
 * `workloadViewOf`), kept so that the org result can be recomputed over
 * the rows a user may see.
 */
export function snapshotRowOf(
  result: EntityResult,
  entity: Entity | undefined,
): SnapshotRow {
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
  ];
}

/**
 * The rows of a snapshot's results; `entities` holds the workload view of
 * each in-scope result by lower-cased ref (out-of-scope rows keep none).
 */
export function snapshotRowsOf(
  results: readonly EntityResult[],
  entities: ReadonlyMap<string, Entity>,
): SnapshotRow[] {
  return results.map(result =>
    snapshotRowOf(
      result,
      result.inScope ? entities.get(refKey(result.entityRef)) : undefined,
    ),
  );
}
