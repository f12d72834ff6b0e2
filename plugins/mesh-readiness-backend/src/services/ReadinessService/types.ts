import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  CheckDefinition,
  EntityHistoryResponse,
  EntityResult,
  HistoryResponse,
  ServiceRow,
  ServicesPage,
  ServicesSort,
  SnapshotInfo,
  SummaryFilter,
  SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { RowFilter } from '../../database/types';

/**
 * A validated `GET /services` query. `ownedBy` (a User or Group ref) is
 * resolved in the catalog into the row filter's `owners`.
 */
export interface ServicesListQuery extends Omit<RowFilter, 'owners'> {
  ownedBy?: string;
  page: number;
  pageSize: number;
  sort: ServicesSort;
}

/** A validated `GET /history` query. */
export interface HistoryListQuery {
  owner?: string;
  from?: Date;
  to?: Date;
}

/** A validated `GET /entities/:kind/:namespace/:name/history` query. */
export interface EntityHistoryQuery {
  from?: Date;
  to?: Date;
}

/** What the REST API serves; the router only parses and delegates. */
export interface ReadinessService {
  getChecks(): CheckDefinition[];
  getEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntityResult>;
  getSummary(
    filter: SummaryFilter,
    credentials: BackstageCredentials,
  ): Promise<SummaryResponse>;
  getServices(
    query: ServicesListQuery,
    credentials: BackstageCredentials,
  ): Promise<ServicesPage>;
  /** Every row matching the query, paging ignored (CSV export). */
  getAllServices(
    query: Omit<ServicesListQuery, 'page' | 'pageSize'>,
    credentials: BackstageCredentials,
  ): Promise<{ snapshot: SnapshotInfo; items: ServiceRow[] }>;
  getHistory(
    query: HistoryListQuery,
    credentials: BackstageCredentials,
  ): Promise<HistoryResponse>;
  /**
   * One entity's points across the snapshots in the range and what changed
   * between the last two; 404 when the caller may not see the entity.
   */
  getEntityHistory(
    ref: CompoundEntityRef,
    query: EntityHistoryQuery,
    credentials: BackstageCredentials,
  ): Promise<EntityHistoryResponse>;
  /**
   * Takes a snapshot now and resolves when it is stored; joins the one
   * being taken, if any.
   */
  refresh(): Promise<SnapshotInfo>;
  /** Whether a snapshot is being taken now, so that `refresh` joins it. */
  refreshing(): boolean;
}
