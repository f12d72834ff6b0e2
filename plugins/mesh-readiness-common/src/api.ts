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
}

/** Filters of `GET /summary`. @public */
export interface SummaryFilter {
  owner?: string;
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
  /** Takes a snapshot now; resolves when it is stored. */
  refresh(): Promise<SnapshotInfo>;
}
