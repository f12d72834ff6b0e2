import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PREFIX,
  EntityResult,
  ManifestObservation,
  ObservedCluster,
  HistoryPoint,
  OrgVerdict,
  ReadinessLevel,
  refKey,
  MeshOption,
  ScoreReport,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { SnapshotRecord, SnapshotStore } from '../../database/types';
import type { CatalogReader } from '../CatalogReader/types';
import { CONTEXT_KINDS, refOf } from '../CatalogReader/createCatalogReader';
import type {
  ObservationReader,
  ObservationSession,
} from '../ObservationReader/createObservationReader';
import type { ReadinessModel } from '../ReadinessModel/createReadinessModel';

/** The newest snapshot, with what is derived from it once. */
export interface LatestSnapshot {
  record: SnapshotRecord;
  /** Every ref the snapshot's org result counted (rows and context). */
  allRefs(): Promise<ReadonlySet<string>>;
  /** The groups, users, systems and clusters the org model reads. */
  contextEntities(): Promise<Entity[]>;
}

export interface SnapshotFailure {
  at: Date;
  message: string;
}

export interface SnapshotService {
  /**
   * Reads the whole catalog with the plugin's own credentials, scores it
   * and stores the snapshot in one transaction; then applies retention.
   * Concurrent calls on one instance share one run.
   */
  takeSnapshot(): Promise<SnapshotRecord>;
  /** Whether this instance is taking a snapshot now (one to join). */
  isTakingSnapshot(): boolean;
  /** The newest stored snapshot (from any instance), or undefined. */
  getLatest(): Promise<LatestSnapshot | undefined>;
  /** The last failed run on this instance, if it failed after the newest snapshot. */
  lastFailure(): SnapshotFailure | undefined;
}

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
export function contextEntitiesOf(entities: Entity[]): Entity[] {
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
          'not-assessed': 0,
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

/** Components scored between two turns of the event loop (about a millisecond). */
const SLICE = 100;

export function createSnapshotService(options: {
  store: SnapshotStore;
  reader: CatalogReader;
  model: ReadinessModel;
  auth: AuthService;
  logger: LoggerService;
  retentionMs: number;
  /**
   * Reads the manifests Components link and asks the fact sources; without
   * it, nothing is observed.
   */
  manifests?: ObservationReader;
  /**
   * Runs once a snapshot is stored, before old ones are removed (the owner
   * notifications compare it with the one before); it must not throw.
   */
  afterWrite?: (
    record: SnapshotRecord,
    results: EntityResult[],
  ) => Promise<unknown>;
}): SnapshotService {
  const {
    store,
    reader,
    model,
    auth,
    logger,
    retentionMs,
    manifests,
    afterWrite,
  } = options;
  let running: Promise<SnapshotRecord> | undefined;
  let failure: SnapshotFailure | undefined;
  let cached:
    | {
        id: number;
        latest: LatestSnapshot;
      }
    | undefined;
  /** The mesh the last snapshot recommended: most catalogs keep it. */
  let lastMesh: MeshOption | undefined;

  async function expectedMesh(): Promise<MeshOption | undefined> {
    if (lastMesh === undefined) {
      try {
        lastMesh = (cached?.latest.record ?? (await store.getLatestSnapshot()))
          ?.org.recommendation.mesh;
      } catch {
        // Only a hint: without it the rows are scored once the read is done.
      }
    }
    return lastMesh;
  }

  /**
   * Reads the catalog and scores it. Without custom checks, the kinds the
   * checks look up come first; then each page of Components is scored,
   * in slices that let the catalog answer between them, while the next
   * page is on its way, so that most of the scoring hides in the read.
   */
  async function readAndScore(
    credentials: BackstageCredentials,
    takenAt: Date,
    session: ObservationSession | undefined,
  ): Promise<{
    entities: Entity[];
    report: ScoreReport;
    clusters: readonly ObservedCluster[];
  }> {
    // Filled with each page's observations before the page is added.
    const observations = new Map<string, ManifestObservation>();
    const clusters = (await session?.clusters()) ?? [];
    const observe = async (items: readonly Entity[]) => {
      if (session) {
        for (const [ref, observation] of await session.observe(items)) {
          observations.set(ref, observation);
        }
      }
    };
    if (!model.startCatalogEvaluation) {
      const entities = await reader.readAll(credentials);
      await observe(entities);
      const report = await model.evaluateCatalog(entities, takenAt, {
        verdictByOwner: true,
        observations,
        clusters,
      });
      return { entities, report, clusters };
    }
    const contextEntities = await reader.readAll(credentials, {
      kinds: CONTEXT_KINDS,
    });
    const evaluation = await model.startCatalogEvaluation(
      contextEntities,
      takenAt,
      {
        verdictByOwner: true,
        expectedMesh: await expectedMesh(),
        observations,
        clusters,
      },
    );
    evaluation.add(contextEntities);
    const components = await reader.readAll(credentials, {
      kinds: ['Component'],
      onItems: async items => {
        await observe(items);
        for (let i = 0; i < items.length; i += SLICE) {
          evaluation.add(items.slice(i, i + SLICE));
          await new Promise(resolve => setImmediate(resolve));
        }
      },
    });
    return {
      entities: [...contextEntities, ...components],
      report: evaluation.finish(),
      clusters,
    };
  }

  async function run(): Promise<SnapshotRecord> {
    const started = Date.now();
    const takenAt = new Date(started);
    try {
      const credentials = await auth.getOwnServiceCredentials();
      const session = manifests?.session({ ask: true });
      const { entities, report, clusters } = await readAndScore(
        credentials,
        takenAt,
        session,
      );
      const readAndScoredMs = Date.now() - started;
      lastMesh = report.org.recommendation.mesh;

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
      // The engine decides each owner's verdict in its pass; the org model
      // over the stored rows is the fallback (when an entity broke).
      let verdicts: ((subset: EntityResult[]) => OrgVerdict) | undefined;
      const ownerHistory = ownerHistoryOf(
        report.entities,
        (owner, workloads) => {
          const decided = report.verdictByOwner?.[owner];
          if (decided !== undefined) {
            return decided;
          }
          verdicts ??= model.verdicts(
            [...rowEntities.values(), ...context],
            takenAt,
            clusters,
          );
          return verdicts(workloads);
        },
      );
      const scoredMs = Date.now() - started;

      const record = await store.writeSnapshot({
        takenAt,
        durationMs: Date.now() - started,
        org: report.org,
        context,
        results: report.entities,
        entities: rowEntities,
        ownerHistory,
      });
      await afterWrite?.(record, report.entities);
      const deleted = await store.deleteSnapshotsBefore(
        new Date(started - retentionMs),
      );
      failure = undefined;
      const read = session?.stats();
      logger.info(
        `Mesh readiness snapshot ${record.id}: ${entities.length} entities read and ` +
          `${
            report.entities.length
          } rows scored in ${readAndScoredMs} ms, owners done by ${scoredMs} ms, stored by ${
            Date.now() - started
          } ms; ${deleted} old snapshot(s) removed${
            read && read.entities > 0
              ? `; manifests of ${read.entities} entities read from ${read.locations} location(s), ${read.problems} problem(s)`
              : ''
          }`,
      );
      return record;
    } catch (error) {
      failure = {
        at: new Date(),
        message: error instanceof Error ? error.message : String(error),
      };
      logger.error(`Mesh readiness snapshot failed: ${failure.message}`);
      throw error;
    }
  }

  function describe(record: SnapshotRecord): LatestSnapshot {
    let refs: Promise<ReadonlySet<string>> | undefined;
    let context: Promise<Entity[]> | undefined;
    const contextEntities = () => {
      if (!context) {
        context = store.getContext(record.id);
        context.catch(() => {
          context = undefined;
        });
      }
      return context;
    };
    return {
      record,
      contextEntities,
      allRefs() {
        if (!refs) {
          refs = Promise.all([
            store.listRefs(record.id),
            contextEntities(),
          ]).then(([rowRefs, entities]) => {
            const set = new Set<string>();
            for (const ref of rowRefs) {
              set.add(ref.toLocaleLowerCase('en-US'));
            }
            for (const entity of entities) {
              set.add(refOf(entity));
            }
            return set;
          });
          refs.catch(() => {
            refs = undefined;
          });
        }
        return refs;
      },
    };
  }

  return {
    takeSnapshot() {
      if (!running) {
        running = run().finally(() => {
          running = undefined;
        });
      }
      return running;
    },

    isTakingSnapshot() {
      return running !== undefined;
    },

    async getLatest() {
      const head = await store.getLatestSnapshotId();
      if (!head) {
        return undefined;
      }
      if (cached?.id === head.id) {
        return cached.latest;
      }
      const record = await store.getSnapshot(head.id);
      if (!record) {
        return undefined;
      }
      cached = { id: record.id, latest: describe(record) };
      return cached.latest;
    },

    lastFailure() {
      return failure;
    },
  };
}
