import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PREFIX,
  EntityResult,
  HistoryPoint,
  OrgResult,
  OrgVerdict,
  ReadinessLevel,
  refKey,
  ScoreReport,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { SnapshotRow, snapshotRowsOf } from '../../database/rows';
import type { NewSnapshot } from '../../database/types';
import { refOf } from '../CatalogReader/createCatalogReader';
import type { ReadinessModel } from '../ReadinessModel/createReadinessModel';

/*
 * What a snapshot stores, derived from a scored catalog. Pure functions:
 * the snapshot service runs them in its own thread, the scoring worker in
 * its thread.
 */

// Lower-casing in this file runs once per entity or row of a snapshot, so
// it uses `toLowerCase`: the same result as `toLocaleLowerCase('en-US')`
// (English has no locale-specific case mappings), many times cheaper.

function kindOf(entity: Entity): string {
  return (entity.kind ?? '').toLowerCase();
}

/**
 * What the org model reads of a workload, and nothing else: its ref, tags,
 * mesh-readiness annotations, type, lifecycle and cluster dependencies.
 * Snapshots keep this for every in-scope row, so that the org result can
 * be recomputed over the rows a user may see; the rest of the entity (other
 * annotations, APIs, owner, links…) would only make every snapshot larger.
 */
export function workloadViewOf(entity: Entity): Entity {
  const annotations: Record<string, string> = {};
  const all = entity.metadata.annotations ?? {};
  for (const key of Object.keys(all)) {
    if (key.startsWith(ANNOTATION_PREFIX)) {
      annotations[key] = all[key];
    }
  }
  const spec: any = entity.spec ?? {};
  return {
    apiVersion: entity.apiVersion ?? 'backstage.io/v1alpha1',
    kind: entity.kind,
    metadata: {
      name: entity.metadata.name,
      namespace: entity.metadata.namespace,
      tags: entity.metadata.tags,
      annotations,
    },
    spec: {
      type: spec.type,
      lifecycle: spec.lifecycle,
      dependsOn: spec.dependsOn,
    },
  };
}

/**
 * The entities besides the scored rows that the org model reads: groups
 * (platform team, engineers, hierarchy), users (only their memberships),
 * systems (their domain) and kubernetes clusters.
 */
export function contextEntitiesOf(entities: readonly Entity[]): Entity[] {
  const out: Entity[] = [];
  for (const entity of entities) {
    const kind = kindOf(entity);
    if (kind === 'user') {
      const memberOf = (entity.spec as any)?.memberOf;
      out.push({
        apiVersion: entity.apiVersion ?? 'backstage.io/v1alpha1',
        kind: entity.kind,
        metadata: {
          name: entity.metadata.name,
          namespace: entity.metadata.namespace,
        },
        spec: { memberOf: Array.isArray(memberOf) ? memberOf : [] },
      });
    } else if (kind === 'group' || kind === 'system' || kind === 'domain') {
      out.push(entity);
    } else if (
      kind === 'resource' &&
      String((entity.spec as any)?.type ?? '').toLowerCase() ===
        'kubernetes-cluster'
    ) {
      out.push(entity);
    }
  }
  return out;
}

/**
 * One history point per direct owner of components, in one pass over the
 * results: score, levels and the in-scope count are summed per owner; only
 * the verdict needs the org model (its gates alone): `verdictOf` gives it
 * over the owner's in-scope workloads — out-of-scope rows change none of
 * the four figures.
 */
export function ownerHistoryOf(
  results: EntityResult[],
  verdictOf: (owner: string, workloads: EntityResult[]) => OrgVerdict,
): Array<{ owner: string; point: Omit<HistoryPoint, 'takenAt'> }> {
  const byOwner = new Map<
    string,
    {
      workloads: EntityResult[];
      scoreSum: number;
      scored: number;
      levels: Record<ReadinessLevel, number>;
    }
  >();
  for (const result of results) {
    if (!result.owner || result.kind.toLowerCase() !== 'component') {
      continue;
    }
    let entry = byOwner.get(result.owner);
    if (!entry) {
      entry = {
        workloads: [],
        scoreSum: 0,
        scored: 0,
        levels: {
          'not-ready': 0,
          'pilot-ready': 0,
          'production-ready': 0,
          optimal: 0,
        },
      };
      byOwner.set(result.owner, entry);
    }
    if (!result.inScope) {
      continue;
    }
    entry.workloads.push(result);
    if (result.score !== null) {
      entry.scoreSum += result.score;
      entry.scored++;
    }
    if (result.level) {
      entry.levels[result.level]++;
    }
  }
  const out: Array<{ owner: string; point: Omit<HistoryPoint, 'takenAt'> }> =
    [];
  for (const [owner, entry] of byOwner) {
    const verdict = verdictOf(owner, entry.workloads);
    out.push({
      owner,
      point: {
        score:
          entry.scored > 0 ? Math.round(entry.scoreSum / entry.scored) : null,
        verdict,
        inScope: entry.workloads.length,
        levels: entry.levels,
      },
    });
  }
  return out;
}

/** What a snapshot stores, as scoring gives it (here or in the worker). */
export interface ScoredSnapshot {
  org: OrgResult;
  /** The groups, users, systems and clusters the org model reads. */
  context: Entity[];
  rows: SnapshotRow[];
  ownerHistory: NewSnapshot['ownerHistory'];
  /** How many entities were read. */
  read: number;
  /** Whether the scoring worker scored it. */
  inWorker?: boolean;
}

/**
 * Turns a scored catalog into what the store writes: a row per result
 * (with the workload view of each in-scope one), the context entities and
 * a history point per owner. The engine decides each owner's verdict in
 * its pass; the org model over the workload views is the fallback (when
 * an entity broke).
 */
export function scoredSnapshotOf(
  report: ScoreReport,
  entities: readonly Entity[],
  takenAt: Date,
  model: Pick<ReadinessModel, 'verdicts'>,
): ScoredSnapshot {
  const byRef = new Map<string, Entity>();
  for (const entity of entities) {
    byRef.set(refOf(entity), entity);
  }
  // The org model reads the entities of in-scope rows only.
  const rowEntities = new Map<string, Entity>();
  for (const result of report.entities) {
    if (!result.inScope) {
      continue;
    }
    const key = refKey(result.entityRef);
    const entity = byRef.get(key);
    if (entity) {
      rowEntities.set(key, workloadViewOf(entity));
    }
  }
  const context = contextEntitiesOf(entities);
  let verdicts: ((subset: EntityResult[]) => OrgVerdict) | undefined;
  const ownerHistory = ownerHistoryOf(report.entities, (owner, workloads) => {
    const decided = report.verdictByOwner?.[owner];
    if (decided !== undefined) {
      return decided;
    }
    verdicts ??= model.verdicts([...rowEntities.values(), ...context], takenAt);
    return verdicts(workloads);
  });
  return {
    org: report.org,
    context,
    rows: snapshotRowsOf(report.entities, rowEntities),
    ownerHistory,
    read: entities.length,
  };
}
