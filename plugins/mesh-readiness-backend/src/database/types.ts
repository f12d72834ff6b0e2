import type { Entity } from '@backstage/catalog-model';
import type {
  CheckStatus,
  EntityResult,
  HistoryPoint,
  MeshOption,
  OrgResult,
  ReadinessLevel,
  ServiceRow,
  ServicesSort,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { RowInputs } from './rows';

/** A stored snapshot, without its rows. */
export interface SnapshotRecord {
  id: number;
  takenAt: Date;
  durationMs: number;
  entities: number;
  inScope: number;
  org: OrgResult;
}

/** The input of one snapshot write. */
export interface NewSnapshot {
  takenAt: Date;
  durationMs: number;
  org: OrgResult;
  /** The catalog context the org model needs, to rebuild it for filtered summaries. */
  context: Entity[];
  results: EntityResult[];
  /**
   * The entity each result was computed from, by lower-cased ref, as read
   * for the model; kept for in-scope rows so the org can be recomputed over
   * a subset.
   */
  entities: ReadonlyMap<string, Entity>;
  /** One history point per owner (the org point is derived from `org`). */
  ownerHistory: Array<{ owner: string; point: Omit<HistoryPoint, 'takenAt'> }>;
}

/** Filters on snapshot rows; all optional, combined with AND. */
export interface RowFilter {
  owner?: string;
  /** Rows whose owner is one of these refs (compared lower-cased). */
  owners?: string[];
  system?: string;
  domain?: string;
  level?: ReadinessLevel;
  check?: string;
  status?: CheckStatus;
  q?: string;
}

/**
 * A `GET /services` row with its coverage: the share (0–1) of the
 * applicable check weight whose status is known; null when out of scope or
 * stored before rows kept it.
 */
export type ServiceRowWithCoverage = ServiceRow & { coverage?: number | null };

/** A snapshot row as listed by `GET /services`. */
export interface StoredRow extends ServiceRow {
  coverage?: number | null;
  inScope: boolean;
}

/**
 * The rows a caller may see, by entity ref as stored: only those listed,
 * or all but those listed (whichever list is shorter).
 */
export type RowRestriction = { only: string[] } | { except: string[] };

/** A `GET /services` listing: which rows, in which order, which page. */
export interface ServicesQuery {
  filter: RowFilter;
  sort: ServicesSort;
  /** Absent when the caller may see every row. */
  restriction?: RowRestriction;
  /** Absent for every matching row (the CSV export). */
  page?: { offset: number; limit: number };
}

/** A live report's rows for `GET /services` before the first snapshot. */
export interface NewLiveReport {
  /** Whose catalog read it is (the principal key). */
  principal: string;
  takenAt: Date;
  org: OrgResult;
  results: EntityResult[];
}

export interface HistoryQuery {
  /** Owner entity ref; the org points when absent. */
  owner?: string;
  from?: Date;
  to?: Date;
}

/** One entity's row in one snapshot, as its history lists it. */
export interface EntityPoint {
  snapshotId: number;
  takenAt: Date;
  score: number | null;
  coverage: number | null;
  level: ReadinessLevel | null;
}

/** One entity's row in one snapshot, with what it was decided on. */
export interface EntityRowDetail extends EntityPoint {
  inScope: boolean;
  /** Status by check id. */
  statuses: Map<string, CheckStatus>;
  owner: string | null;
  type: string | null;
  lifecycle: string | null;
  /** The workload view (in-scope rows only): annotations, tags, dependsOn. */
  entity?: Entity;
  /** Absent for rows stored before rows kept it. */
  inputs?: RowInputs;
  /** The mesh the snapshot's org result recommended. */
  orgMesh?: MeshOption;
}

/** Where snapshots live: the plugin's own database. */
export interface SnapshotStore {
  /** Writes a snapshot and all its rows in one transaction. */
  writeSnapshot(snapshot: NewSnapshot): Promise<SnapshotRecord>;
  getLatestSnapshot(): Promise<SnapshotRecord | undefined>;
  /** Id and date of the newest snapshot: a cheap query. */
  getLatestSnapshotId(): Promise<{ id: number; takenAt: Date } | undefined>;
  getSnapshot(id: number): Promise<SnapshotRecord | undefined>;
  /** Entity refs of every row of a snapshot. */
  listRefs(snapshotId: number): Promise<string[]>;
  /**
   * For the org model over a subset: each row's result as far as the org
   * model reads it (no messages, fixes or waivers) and, for in-scope rows,
   * the entity it was computed from.
   */
  getRowsForAggregation(
    snapshotId: number,
    filter: RowFilter,
  ): Promise<Array<{ result: EntityResult; entity?: Entity }>>;
  getContext(snapshotId: number): Promise<Entity[]>;
  /**
   * Writes the rows of a live report (computed with a caller's credentials
   * before the first snapshot) so that `listServices` can list them; returns
   * the id to list them by. It is not a snapshot: the latest snapshot,
   * history and `countSnapshots` leave it out. Live reports taken over a
   * minute before are deleted here and with every snapshot written.
   */
  writeLiveReport(report: NewLiveReport): Promise<number>;
  /**
   * One page of the component rows of a snapshot or live report matching
   * the query, sorted (empty values last, then by entity ref), and how
   * many match in all: filtered, sorted and paged in SQL.
   */
  listServices(
    snapshotId: number,
    query: ServicesQuery,
  ): Promise<{ rows: StoredRow[]; total: number }>;
  getHistory(query: HistoryQuery): Promise<HistoryPoint[]>;
  /**
   * One entity's rows across the snapshots in the range (live reports left
   * out), oldest first: score, coverage and level only. `entityRef` as the
   * rows store it (see `entityRefOf`).
   */
  getEntityPoints(
    entityRef: string,
    range: { from?: Date; to?: Date },
  ): Promise<EntityPoint[]>;
  /**
   * One entity's rows in the given snapshots, with what they were decided
   * on (statuses, the workload view, `inputs`) and the mesh each
   * snapshot's org recommended.
   */
  getEntityRows(
    entityRef: string,
    snapshotIds: number[],
  ): Promise<EntityRowDetail[]>;
  /** Deletes snapshots taken before the date; returns how many. */
  deleteSnapshotsBefore(date: Date): Promise<number>;
  countSnapshots(): Promise<number>;
  /**
   * What a fact source last observed, by subject (a lower-cased entity ref,
   * or `@clusters`), parsed from JSON; only the subjects given, or all.
   */
  getObservations(
    source: string,
    subjects?: readonly string[],
  ): Promise<Map<string, unknown>>;
  /** Replaces what a fact source observed of these subjects. */
  putObservations(
    source: string,
    observations: ReadonlyMap<string, unknown>,
    writtenAt: Date,
  ): Promise<void>;
  /** Deletes observations no snapshot has written since the date. */
  deleteObservationsBefore(date: Date): Promise<number>;
}
