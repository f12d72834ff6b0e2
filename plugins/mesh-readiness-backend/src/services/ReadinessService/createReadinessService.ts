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
  OwnedByScope,
  ScoreReport,
  ServiceRow,
  SnapshotInfo,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type {
  RowFilter,
  RowRestriction,
  ServicesQuery,
  SnapshotStore,
  StoredRow,
} from '../../database/types';
import { refOf } from '../CatalogReader/createCatalogReader';
import type { CatalogReader } from '../CatalogReader/types';
import type { ObservationReader } from '../ObservationReader/createObservationReader';
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
import { readEntityHistory } from './entityHistory';
import type { ReadinessService, ServicesListQuery } from './types';

const LIVE_TTL_MS = 15_000;
/** How long an `ownedBy` resolved in the catalog is reused (paging, CSV). */
const OWNED_BY_TTL_MS = 15_000;
const MEMO_LIMIT = 200;

interface LiveReport {
  /** The principal whose catalog read it is. */
  principal: string;
  report: ScoreReport;
  entities: Entity[];
  takenAt: Date;
  expiresAt: number;
  /** The id its rows are stored under, once /services asked for them. */
  rowsId?: Promise<number>;
}

function lower(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function isComponent(ref: string): boolean {
  return ref.startsWith('component:');
}

/** The summary filter as rows are filtered: `ownedBy` resolved to owners. */
type SummaryRowFilter = Pick<
  RowFilter,
  'owner' | 'owners' | 'system' | 'domain'
>;

function hasSummaryFilter(filter: SummaryRowFilter): boolean {
  return (
    filter.owner !== undefined ||
    filter.owners !== undefined ||
    filter.system !== undefined ||
    filter.domain !== undefined
  );
}

/** Whether a result has the owner, system and domain the filter names. */
function inSummary(
  result: EntityResult,
  filter: SummaryRowFilter,
  owners: ReadonlySet<string> | undefined,
): boolean {
  return (
    sameRef(filter.owner, result.owner) &&
    (owners === undefined ||
      (result.owner !== undefined && owners.has(lower(result.owner)))) &&
    sameRef(filter.system, result.system) &&
    sameRef(filter.domain, result.domain)
  );
}

/** Whether a result's ref is the one a filter names (if it names one). */
function sameRef(wanted: string | undefined, actual: string | undefined) {
  return (
    wanted === undefined ||
    (actual !== undefined && lower(actual) === lower(wanted))
  );
}

function summaryKey(snapshotId: number, filter: SummaryRowFilter): string {
  return JSON.stringify([
    snapshotId,
    filter.owner ? lower(filter.owner) : null,
    filter.owners?.map(lower).sort() ?? null,
    filter.system ? lower(filter.system) : null,
    filter.domain ? lower(filter.domain) : null,
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
  /**
   * Reads the manifests Components link and what fact sources stored;
   * without it, nothing is observed.
   */
  manifests?: ObservationReader;
}): ReadinessService {
  const { store, reader, model, snapshots, visibility, logger, manifests } =
    options;

  const liveReports = new Map<string, LiveReport>();
  // Org results over every row (caller sees all) are shared between callers;
  // those over a visible subset are kept per visibility answer.
  const sharedSummaries = new Memo<Promise<OrgResult>>(MEMO_LIMIT);
  const subsetSummaries = new WeakMap<Visibility, Memo<Promise<OrgResult>>>();
  const coverage = new WeakMap<Visibility, Map<number, boolean>>();
  const restrictions = new WeakMap<
    Visibility,
    Map<number, Promise<RowRestriction>>
  >();

  /** Live reports being computed, by principal: concurrent callers share one. */
  const computing = new Map<string, Promise<LiveReport>>();

  /** `ownedBy` answers, by principal and ref, for a few seconds. */
  const ownedByCache = new Map<
    string,
    { expiresAt: number; scope: Promise<OwnedByScope> }
  >();

  /**
   * The owners a User or Group ref stands for, read from the catalog with
   * the caller's credentials (so groups they may not see are not walked).
   */
  function resolveOwnedBy(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<OwnedByScope> {
    const key = JSON.stringify([principalKey(credentials), lower(ref)]);
    const known = ownedByCache.get(key);
    if (known && known.expiresAt > Date.now()) {
      return known.scope;
    }
    if (ownedByCache.size >= MEMO_LIMIT) {
      ownedByCache.clear();
    }
    const scope = reader.readOwnedBy(ref, credentials);
    ownedByCache.set(key, { expiresAt: Date.now() + OWNED_BY_TTL_MS, scope });
    scope.catch(() => ownedByCache.delete(key));
    return scope;
  }

  async function live(credentials: BackstageCredentials): Promise<LiveReport> {
    const key = principalKey(credentials);
    const known = liveReports.get(key);
    if (known && known.expiresAt > Date.now()) {
      return known;
    }
    let pending = computing.get(key);
    if (!pending) {
      pending = computeLive(key, credentials).finally(() =>
        computing.delete(key),
      );
      computing.set(key, pending);
    }
    return pending;
  }

  async function computeLive(
    key: string,
    credentials: BackstageCredentials,
  ): Promise<LiveReport> {
    const takenAt = new Date();
    // The caller's own credentials: the catalog leaves out what they may not see.
    const entities = await reader.readAll(credentials);
    const session = manifests?.session();
    const observations = await session?.observe(entities);
    const clusters = await session?.clusters();
    const report = await model.evaluateCatalog(entities, takenAt, {
      observations,
      clusters,
    });
    const entry: LiveReport = {
      principal: key,
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
    return model.aggregate(
      results,
      entities,
      latest.record.takenAt,
      await manifests?.session().clusters(),
    );
  }

  async function latestOrUndefined(): Promise<LatestSnapshot | undefined> {
    return snapshots.getLatest();
  }

  /** The snapshot's rows the caller may see, as refs stored in the rows. */
  async function restrictionOf(
    latest: LatestSnapshot,
    seen: Visibility,
  ): Promise<RowRestriction | undefined> {
    if (await coversAll(latest, seen)) {
      return undefined;
    }
    let bySnapshot = restrictions.get(seen);
    if (!bySnapshot) {
      bySnapshot = new Map();
      restrictions.set(seen, bySnapshot);
    }
    let pending = bySnapshot.get(latest.record.id);
    if (!pending) {
      pending = store.listRefs(latest.record.id).then(refs => {
        const visible: string[] = [];
        const hidden: string[] = [];
        for (const ref of refs) {
          (seen.refs.has(lower(ref)) ? visible : hidden).push(ref);
        }
        return visible.length <= hidden.length
          ? { only: visible }
          : { except: hidden };
      });
      bySnapshot.set(latest.record.id, pending);
      const memo = bySnapshot;
      pending.catch(() => memo.delete(latest.record.id));
    }
    return pending;
  }

  /** The rows of the caller's live report, stored once for SQL to list. */
  function liveRowsId(entry: LiveReport): Promise<number> {
    if (!entry.rowsId) {
      const stored = store.writeLiveReport({
        principal: entry.principal,
        takenAt: entry.takenAt,
        org: entry.report.org,
        results: entry.report.entities,
      });
      entry.rowsId = stored;
      stored.catch(() => {
        entry.rowsId = undefined;
      });
    }
    return entry.rowsId;
  }

  /**
   * The /services rows matching the query (one page of them, or all), from
   * the latest snapshot the caller may see or, before the first snapshot,
   * from the caller's live report; filtered, sorted and paged in SQL.
   */
  async function listServices(
    query: Omit<ServicesListQuery, 'page' | 'pageSize'>,
    credentials: BackstageCredentials,
    page?: ServicesQuery['page'],
  ): Promise<{ snapshot: SnapshotInfo; rows: StoredRow[]; total: number }> {
    const { sort, ownedBy, ...rest } = query;
    const filter: RowFilter = ownedBy
      ? {
          ...rest,
          owners: (await resolveOwnedBy(ownedBy, credentials)).owners,
        }
      : rest;
    const latest = await latestOrUndefined();
    if (!latest) {
      const entry = await live(credentials);
      const listed = await store.listServices(await liveRowsId(entry), {
        filter,
        sort,
        page,
      });
      return { snapshot: liveInfo(entry.takenAt), ...listed };
    }
    const seen = await visibility.forCaller(credentials);
    const listed = await store.listServices(latest.record.id, {
      filter,
      sort,
      page,
      restriction: await restrictionOf(latest, seen),
    });
    return { snapshot: snapshotInfo(latest, seen), ...listed };
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
      const session = manifests?.session();
      const observed = await session?.observe([found.entity]);
      return model.evaluateEntity(found.entity, found.related, {
        now: new Date(),
        recommendedMesh,
        observation: observed?.values().next().value,
        clusters: await session?.clusters(),
      });
    },

    async getSummary(summaryFilter, credentials) {
      const { ownedBy: ownedByRef, ...rest } = summaryFilter;
      const ownedBy = ownedByRef
        ? await resolveOwnedBy(ownedByRef, credentials)
        : undefined;
      const filter: SummaryRowFilter = ownedBy
        ? { ...rest, owners: ownedBy.owners }
        : rest;
      const scoped = ownedBy ? { ownedBy } : {};
      const latest = await latestOrUndefined();
      if (!latest) {
        const { report, entities, takenAt } = await live(credentials);
        const owners = filter.owners && new Set(filter.owners.map(lower));
        const org = hasSummaryFilter(filter)
          ? model.aggregate(
              report.entities.filter(r => inSummary(r, filter, owners)),
              entities,
              takenAt,
            )
          : report.org;
        return { snapshot: liveInfo(takenAt), org, ...scoped };
      }

      const seen = await visibility.forCaller(credentials);
      const info = snapshotInfo(latest, seen);
      const all = await coversAll(latest, seen);
      if (all && !hasSummaryFilter(filter)) {
        return { snapshot: info, org: latest.record.org, ...scoped };
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
      return { snapshot: info, org: await pending, ...scoped };
    },

    async getServices(query, credentials) {
      const { page, pageSize, ...rest } = query;
      const { snapshot, rows, total } = await listServices(rest, credentials, {
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      return {
        snapshot,
        items: rows.map(toServiceRow),
        page,
        pageSize,
        total,
      };
    },

    async getAllServices(query, credentials) {
      const { snapshot, rows } = await listServices(query, credentials);
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
                r =>
                  sameRef(query.owner, r.owner) &&
                  isComponent(lower(r.entityRef)),
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

    async getEntityHistory(ref, query, credentials) {
      return readEntityHistory(
        { store, reader, model, snapshots },
        ref,
        query,
        credentials,
        // Before the first snapshot, the one point is the live result.
        () => this.getEntity(ref, credentials),
      );
    },

    refreshing() {
      return snapshots.isTakingSnapshot();
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
