import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type {
  EntityResult,
  MeshOption,
  OrgResult,
  ScoreReport,
  ServiceRow,
  SnapshotInfo,
  SummaryFilter,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { RowFilter, SnapshotStore, StoredRow } from '../../database/types';
import { refOf } from '../CatalogReader/createCatalogReader';
import type { CatalogReader } from '../CatalogReader/types';
import type { ReadinessModel } from '../ReadinessModel/createReadinessModel';
import type {
  LatestSnapshot,
  SnapshotService,
} from '../SnapshotService/createSnapshotService';
import {
  principalKey,
  Visibility,
  VisibilityService,
} from '../VisibilityService/createVisibilityService';
import { matchesFilter, serviceRowOf, sortRows } from './rows';
import type { ReadinessService, ServicesListQuery } from './types';

const LIVE_TTL_MS = 15_000;
const MEMO_LIMIT = 200;

interface LiveReport {
  report: ScoreReport;
  entities: Entity[];
  takenAt: Date;
  expiresAt: number;
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function isComponent(ref: string): boolean {
  return ref.startsWith('component:');
}

function hasSummaryFilter(filter: SummaryFilter): boolean {
  return (
    filter.owner !== undefined ||
    filter.system !== undefined ||
    filter.domain !== undefined
  );
}

function summaryKey(snapshotId: number, filter: SummaryFilter): string {
  return JSON.stringify([
    snapshotId,
    filter.owner ?? null,
    filter.system ?? null,
    filter.domain ?? null,
  ]);
}

function toServiceRow(row: StoredRow): ServiceRow {
  const { inScope: _inScope, ...rest } = row;
  return rest;
}

/** A bounded insertion-ordered memo. */
class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V) {
    if (this.map.size >= this.limit) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) {
        this.map.delete(oldest);
      }
    }
    this.map.set(key, value);
  }
  delete(key: string) {
    this.map.delete(key);
  }
}

export function createReadinessService(options: {
  store: SnapshotStore;
  reader: CatalogReader;
  model: ReadinessModel;
  snapshots: SnapshotService;
  visibility: VisibilityService;
  logger: LoggerService;
}): ReadinessService {
  const { store, reader, model, snapshots, visibility, logger } = options;

  const liveReports = new Map<string, LiveReport>();
  // Org results over every row (caller sees all) are shared between callers;
  // those over a visible subset are kept per visibility answer.
  const sharedSummaries = new Memo<Promise<OrgResult>>(MEMO_LIMIT);
  const subsetSummaries = new WeakMap<Visibility, Memo<Promise<OrgResult>>>();
  const coverage = new WeakMap<Visibility, Map<number, boolean>>();

  async function live(credentials: BackstageCredentials): Promise<LiveReport> {
    const key = principalKey(credentials);
    const known = liveReports.get(key);
    if (known && known.expiresAt > Date.now()) {
      return known;
    }
    const takenAt = new Date();
    // The caller's own credentials: the catalog leaves out what they may not see.
    const entities = await reader.readAll(credentials);
    const report = await model.evaluateCatalog(entities, takenAt);
    const entry = {
      report,
      entities,
      takenAt,
      expiresAt: Date.now() + LIVE_TTL_MS,
    };
    if (liveReports.size > 100) {
      liveReports.clear();
    }
    liveReports.set(key, entry);
    return entry;
  }

  function liveInfo(takenAt: Date): SnapshotInfo {
    return { takenAt: takenAt.toISOString(), source: 'live', stale: false };
  }

  function snapshotInfo(
    latest: LatestSnapshot,
    seen: Visibility,
  ): SnapshotInfo {
    const reasons: string[] = [];
    const failure = snapshots.lastFailure();
    if (failure && failure.at >= latest.record.takenAt) {
      reasons.push(
        `The snapshot run at ${failure.at.toISOString()} failed (${
          failure.message
        }); this is the last good snapshot.`,
      );
    }
    if (seen.staleReason) {
      reasons.push(seen.staleReason);
    }
    const info: SnapshotInfo = {
      takenAt: latest.record.takenAt.toISOString(),
      source: 'snapshot',
      stale: reasons.length > 0,
    };
    if (reasons.length > 0) {
      info.staleReason = reasons.join(' ');
    }
    return info;
  }

  /** Whether the caller may see every entity the snapshot counted. */
  async function coversAll(
    latest: LatestSnapshot,
    seen: Visibility,
  ): Promise<boolean> {
    let bySnapshot = coverage.get(seen);
    if (!bySnapshot) {
      bySnapshot = new Map();
      coverage.set(seen, bySnapshot);
    }
    const known = bySnapshot.get(latest.record.id);
    if (known !== undefined) {
      return known;
    }
    const refs = await latest.allRefs();
    let all = true;
    for (const ref of refs) {
      if (!seen.refs.has(ref)) {
        all = false;
        break;
      }
    }
    bySnapshot.set(latest.record.id, all);
    return all;
  }

  async function aggregateVisible(
    latest: LatestSnapshot,
    filter: RowFilter,
    seen: Visibility | undefined,
  ): Promise<OrgResult> {
    const rows = await store.getRowsForAggregation(latest.record.id, filter);
    const context = await latest.contextEntities();
    const results: EntityResult[] = [];
    const entities: Entity[] = [];
    for (const row of rows) {
      if (seen && !seen.refs.has(lower(row.result.entityRef))) {
        continue;
      }
      results.push(row.result);
      if (row.entity) {
        entities.push(row.entity);
      }
    }
    for (const entity of context) {
      if (!seen || seen.refs.has(refOf(entity))) {
        entities.push(entity);
      }
    }
    return model.aggregate(results, entities, latest.record.takenAt);
  }

  async function latestOrUndefined(): Promise<LatestSnapshot | undefined> {
    return snapshots.getLatest();
  }

  async function listRows(
    query: Omit<ServicesListQuery, 'page' | 'pageSize'>,
    credentials: BackstageCredentials,
  ): Promise<{ snapshot: SnapshotInfo; rows: StoredRow[] }> {
    const { sort, ...filter } = query;
    const latest = await latestOrUndefined();
    if (!latest) {
      const { report, takenAt } = await live(credentials);
      const rows = sortRows(
        report.entities
          .filter(r => isComponent(lower(r.entityRef)))
          .filter(r => matchesFilter(r, filter))
          .map(serviceRowOf),
        sort,
      );
      return { snapshot: liveInfo(takenAt), rows };
    }
    const seen = await visibility.forCaller(credentials);
    const all = await store.listRows(latest.record.id, filter, sort);
    const rows = (await coversAll(latest, seen))
      ? all
      : all.filter(r => seen.refs.has(lower(r.entityRef)));
    return { snapshot: snapshotInfo(latest, seen), rows };
  }

  return {
    getChecks() {
      return model.listChecks();
    },

    async getEntity(ref, credentials) {
      const found = await reader.readEntity(ref, credentials);
      if (!found) {
        throw new NotFoundError(
          `No entity ${JSON.stringify(
            stringifyEntityRef(ref).slice(0, 300),
          )} that you may see`,
        );
      }
      let recommendedMesh: MeshOption | undefined;
      try {
        recommendedMesh = (await latestOrUndefined())?.record.org.recommendation
          .mesh;
      } catch (error) {
        logger.warn(`Could not read the latest snapshot: ${error}`);
      }
      return model.evaluateEntity(found.entity, found.related, {
        now: new Date(),
        recommendedMesh,
      });
    },

    async getSummary(filter, credentials) {
      const latest = await latestOrUndefined();
      if (!latest) {
        const { report, entities, takenAt } = await live(credentials);
        const org = hasSummaryFilter(filter)
          ? model.aggregate(
              report.entities.filter(r => matchesFilter(r, filter)),
              entities,
              takenAt,
            )
          : report.org;
        return { snapshot: liveInfo(takenAt), org };
      }

      const seen = await visibility.forCaller(credentials);
      const info = snapshotInfo(latest, seen);
      const all = await coversAll(latest, seen);
      if (all && !hasSummaryFilter(filter)) {
        return { snapshot: info, org: latest.record.org };
      }
      const key = summaryKey(latest.record.id, filter);
      let memo: Memo<Promise<OrgResult>>;
      if (all) {
        memo = sharedSummaries;
      } else {
        memo = subsetSummaries.get(seen) ?? new Memo(MEMO_LIMIT);
        subsetSummaries.set(seen, memo);
      }
      let pending = memo.get(key);
      if (!pending) {
        pending = aggregateVisible(latest, filter, all ? undefined : seen);
        memo.set(key, pending);
        pending.catch(() => memo.delete(key));
      }
      return { snapshot: info, org: await pending };
    },

    async getServices(query, credentials) {
      const { page, pageSize, ...rest } = query;
      const { snapshot, rows } = await listRows(rest, credentials);
      const start = (page - 1) * pageSize;
      return {
        snapshot,
        items: rows.slice(start, start + pageSize).map(toServiceRow),
        page,
        pageSize,
        total: rows.length,
      };
    },

    async getAllServices(query, credentials) {
      const { snapshot, rows } = await listRows(query, credentials);
      return { snapshot, items: rows.map(toServiceRow) };
    },

    async getHistory(query, credentials) {
      const latest = await latestOrUndefined();
      if (!latest) {
        const { report, entities, takenAt } = await live(credentials);
        const inRange =
          (!query.from || query.from <= takenAt) &&
          (!query.to || query.to >= takenAt);
        if (!inRange) {
          return { items: [] };
        }
        const org = query.owner
          ? model.aggregate(
              report.entities.filter(
                r => r.owner === query.owner && isComponent(lower(r.entityRef)),
              ),
              entities,
              takenAt,
            )
          : report.org;
        return {
          items: [
            {
              takenAt: takenAt.toISOString(),
              score: org.score,
              verdict: org.verdict,
              inScope: org.counts.inScope,
              levels: org.levels,
            },
          ],
        };
      }
      return { items: await store.getHistory(query) };
    },

    async refresh() {
      const record = await snapshots.takeSnapshot();
      return {
        takenAt: record.takenAt.toISOString(),
        source: 'snapshot',
        stale: false,
      };
    },
  };
}
