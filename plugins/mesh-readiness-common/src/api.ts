import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  CheckDefinition,
  CheckStatus,
  EntityResult,
  OrgResult,
  OrgVerdict,
  ReadinessLevel,
} from './types';

/*
 * The REST contract of the backend, mounted at /api/mesh-readiness. The
 * frontend client implements MeshReadinessApi over it; the backend router
 * serves exactly these shapes.
 */

/** Where an org figure comes from. @public */
export interface SnapshotInfo {
  /** When the data was computed (ISO 8601). */
  takenAt: string;
  /** `snapshot` = read from the last stored snapshot; `live` = computed on demand. */
  source: 'snapshot' | 'live';
  /** True when the catalog could not be read and this is the last good snapshot. */
  stale: boolean;
  /** Why the data is stale, when it is. */
  staleReason?: string;
}

/** `GET /summary` @public */
export interface SummaryResponse {
  snapshot: SnapshotInfo;
  org: OrgResult;
  /** The owners `ownedBy` stood for; present when the query had `ownedBy`. */
  ownedBy?: OwnedByScope;
}

/**
 * What an `ownedBy` filter resolved to in the catalog: a User stands for
 * themself, the groups they are a member of and every group below those
 * (through `spec.children` / `spec.parent`); a Group stands for itself and
 * every group below it. @public
 */
export interface OwnedByScope {
  /** The User or Group named, as a full entity ref. */
  entityRef: string;
  /** False when the catalog has no such entity that the caller may see. */
  found: boolean;
  /** The groups a User is a direct member of (empty for a Group). */
  groups: string[];
  /**
   * Every owner counted: the entity itself, its groups and their
   * descendants, as full entity refs.
   */
  owners: string[];
}

/** Filters of `GET /summary`. @public */
export interface SummaryFilter {
  owner?: string;
  /**
   * A User or Group entity ref: keeps the services owned by it, by the
   * groups a User belongs to, and by every group below those.
   */
  ownedBy?: string;
  system?: string;
  domain?: string;
}

/** Sort keys of `GET /services`; prefix with `-` for descending. @public */
export type ServicesSort =
  | 'name'
  | '-name'
  | 'score'
  | '-score'
  | 'owner'
  | '-owner'
  | 'level'
  | '-level';

/** Query of `GET /services`. @public */
export interface ServicesQuery {
  /** 1-based. */
  page?: number;
  /** 1–500, default 25. */
  pageSize?: number;
  owner?: string;
  /** As in {@link SummaryFilter}: services owned by a User's groups, nested. */
  ownedBy?: string;
  system?: string;
  domain?: string;
  level?: ReadinessLevel;
  /** A check id; with `status` (default `fail`) keeps rows where that check has that status. */
  check?: string;
  status?: CheckStatus;
  /** Free text over name, title, owner and system. */
  q?: string;
  sort?: ServicesSort;
}

/** One row of `GET /services`. @public */
export interface ServiceRow {
  entityRef: string;
  name: string;
  title?: string;
  type?: string;
  lifecycle?: string;
  owner?: string;
  system?: string;
  domain?: string;
  score: number | null;
  /** Share (0–1) of the check weight whose status is known; null when not computed. */
  coverage?: number | null;
  level: ReadinessLevel | null;
  /** Ids of checks with status `fail` or `invalid`. */
  failing: string[];
  /** Ids of checks with status `unknown`. */
  unknown: string[];
  /** Number of annotation problems. */
  problems: number;
  /** True when retry-safety fails. */
  retryRisk: boolean;
  /** True when the service's manifests were read and matched; false when its facts are declared only. */
  inspected?: boolean;
}

/** `GET /services` @public */
export interface ServicesPage {
  snapshot: SnapshotInfo;
  items: ServiceRow[];
  page: number;
  pageSize: number;
  total: number;
}

/** One point of `GET /history`. @public */
export interface HistoryPoint {
  takenAt: string;
  score: number | null;
  verdict: OrgVerdict;
  inScope: number;
  levels: Record<ReadinessLevel, number>;
}

/** `GET /history` @public */
export interface HistoryResponse {
  items: HistoryPoint[];
}

/**
 * One point of `GET /entities/:kind/:namespace/:name/history`: the entity
 * as one snapshot scored it (score and level are null when out of scope).
 * @public
 */
export interface EntityHistoryPoint {
  takenAt: string;
  score: number | null;
  /** Share (0–1) of the check weight whose status was known. */
  coverage: number | null;
  level: ReadinessLevel | null;
}

/**
 * What a {@link ChangeReason} points at:
 * `annotations` (the entity's `mesh-readiness.io/*` annotations the check
 * reads), `entity` (other fields it reads: owner, lifecycle, tags…),
 * `manifests` and `cluster` (the observed facts it was decided on),
 * `operations` (the operations of the APIs the entity provides),
 * `org-mesh` (the organisation's recommended mesh, which the check assumed),
 * `waiver-expired` and `waiver` (its waiver ran out, or was added, removed
 * or changed), `scope` (the entity came into or went out of scope),
 * `catalogue` (the check was added or removed), `unknown` (the snapshots do
 * not record which of its inputs changed).
 * @public
 */
export type ChangeReasonKind =
  | 'annotations'
  | 'entity'
  | 'manifests'
  | 'cluster'
  | 'operations'
  | 'org-mesh'
  | 'waiver-expired'
  | 'waiver'
  | 'scope'
  | 'catalogue'
  | 'unknown';

/** Why a check's status changed, as far as the two snapshots tell. @public */
export interface ChangeReason {
  kind: ChangeReasonKind;
  /** In a sentence, with the values where they are known. */
  message: string;
  /** The annotation keys or entity fields that changed, for those kinds. */
  keys?: string[];
}

/** A check whose status differs between two snapshots. @public */
export interface CheckChange {
  checkId: string;
  title: string;
  /** null: the check was not in the earlier result. */
  from: CheckStatus | null;
  /** null: the check is not in the later result. */
  to: CheckStatus | null;
  reasons: ChangeReason[];
}

/** What changed between the two most recent snapshots listed. @public */
export interface EntityHistoryChanges {
  /** When the earlier snapshot was taken. */
  from: string;
  /** When the later one was taken. */
  to: string;
  /** Each check whose status changed, most important first. */
  checks: CheckChange[];
}

/** `GET /entities/:kind/:namespace/:name/history` @public */
export interface EntityHistoryResponse {
  /** The entity in each snapshot of the range, oldest first. */
  items: EntityHistoryPoint[];
  /** Present when at least two snapshots hold the entity. */
  changes?: EntityHistoryChanges;
}

/** `GET /checks` @public */
export interface ChecksResponse {
  items: CheckDefinition[];
}

/** `GET /entities/:kind/:namespace/:name` @public */
export type EntityResponse = EntityResult;

/** The API the frontend uses; implemented by `MeshReadinessClient`. @public */
export interface MeshReadinessApi {
  getChecks(): Promise<CheckDefinition[]>;
  getEntity(entityRef: CompoundEntityRef): Promise<EntityResult>;
  getSummary(filter?: SummaryFilter): Promise<SummaryResponse>;
  getServices(query?: ServicesQuery): Promise<ServicesPage>;
  /** The CSV text of every row matching the query (paging ignored). */
  getServicesCsv(query?: ServicesQuery): Promise<string>;
  getHistory(query?: {
    owner?: string;
    from?: string;
    to?: string;
  }): Promise<HistoryPoint[]>;
  /** One entity's score, coverage and level over time, and what changed last. */
  getEntityHistory(
    entityRef: CompoundEntityRef,
    query?: { from?: string; to?: string },
  ): Promise<EntityHistoryResponse>;
  /** Takes a snapshot now; resolves when it is stored. */
  refresh(): Promise<SnapshotInfo>;
}
