import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { MeshOption } from '@mesh-readiness/plugin-mesh-readiness-common';
import type { SnapshotRecord, SnapshotStore } from '../../database/types';
import type { CatalogReader } from '../CatalogReader/types';
import { CONTEXT_KINDS, refOf } from '../CatalogReader/createCatalogReader';
import type { ReadinessModel } from '../ReadinessModel/createReadinessModel';
import { ScoredSnapshot, scoredSnapshotOf } from './scoredSnapshot';
import { ScoringWorker, ScoringWorkerError } from './ScoringWorker';

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
  /** The newest stored snapshot (from any instance), or undefined. */
  getLatest(): Promise<LatestSnapshot | undefined>;
  /** The last failed run on this instance, if it failed after the newest snapshot. */
  lastFailure(): SnapshotFailure | undefined;
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
   * Scores in a worker thread when given (and no custom checks are
   * installed: they run where they were registered).
   */
  worker?: ScoringWorker;
}): SnapshotService {
  const { store, reader, model, auth, logger, retentionMs, worker } = options;
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
   * Reads the catalog and scores it in this thread. Without custom checks,
   * the kinds the checks look up come first; then each page of Components
   * is scored, in slices that let the catalog answer between them, while
   * the next page is on its way, so that most of the scoring hides in the
   * read.
   */
  async function scoreHere(
    credentials: BackstageCredentials,
    takenAt: Date,
  ): Promise<ScoredSnapshot> {
    if (!model.startCatalogEvaluation) {
      const entities = await reader.readAll(credentials);
      const report = await model.evaluateCatalog(entities, takenAt, {
        verdictByOwner: true,
      });
      return scoredSnapshotOf(report, entities, takenAt, model);
    }
    const contextEntities = await reader.readAll(credentials, {
      kinds: CONTEXT_KINDS,
    });
    const evaluation = await model.startCatalogEvaluation(
      contextEntities,
      takenAt,
      { verdictByOwner: true, expectedMesh: await expectedMesh() },
    );
    evaluation.add(contextEntities);
    const components = await reader.readAll(credentials, {
      kinds: ['Component'],
      onItems: async items => {
        for (let i = 0; i < items.length; i += SLICE) {
          evaluation.add(items.slice(i, i + SLICE));
          await new Promise(resolve => setImmediate(resolve));
        }
      },
    });
    return scoredSnapshotOf(
      evaluation.finish(),
      [...contextEntities, ...components],
      takenAt,
      model,
    );
  }

  /**
   * Reads the catalog in this thread and scores it in the worker, page by
   * page as the pages arrive, so that this thread only reads and stores.
   */
  async function scoreInWorker(
    scoring: ScoringWorker,
    credentials: BackstageCredentials,
    takenAt: Date,
  ): Promise<ScoredSnapshot> {
    const context = await reader.readAll(credentials, {
      kinds: CONTEXT_KINDS,
    });
    const session = scoring.start({
      context,
      takenAt,
      expectedMesh: await expectedMesh(),
    });
    try {
      await reader.readAll(credentials, {
        kinds: ['Component'],
        keep: false,
        onItems: items => session.add(items),
      });
    } catch (error) {
      session.abort();
      throw error;
    }
    return session.finish();
  }

  async function readAndScore(
    credentials: BackstageCredentials,
    takenAt: Date,
  ): Promise<ScoredSnapshot> {
    if (worker && model.startCatalogEvaluation) {
      try {
        return await scoreInWorker(worker, credentials, takenAt);
      } catch (error) {
        if (!(error instanceof ScoringWorkerError)) {
          throw error;
        }
        logger.warn(
          `Mesh readiness snapshot: ${error.message}; scoring in the main thread instead`,
        );
      }
    }
    return scoreHere(credentials, takenAt);
  }

  async function run(): Promise<SnapshotRecord> {
    const started = Date.now();
    const takenAt = new Date(started);
    try {
      const credentials = await auth.getOwnServiceCredentials();
      const scored = await readAndScore(credentials, takenAt);
      const scoredMs = Date.now() - started;
      lastMesh = scored.org.recommendation.mesh;

      const record = await store.writeSnapshot({
        takenAt,
        durationMs: Date.now() - started,
        org: scored.org,
        context: scored.context,
        rows: scored.rows,
        ownerHistory: scored.ownerHistory,
      });
      const deleted = await store.deleteSnapshotsBefore(
        new Date(started - retentionMs),
      );
      failure = undefined;
      logger.info(
        `Mesh readiness snapshot ${record.id}: ${scored.read} entities read and ` +
          `${scored.rows.length} rows scored ${
            scored.inWorker ? 'in the scoring worker ' : ''
          }by ${scoredMs} ms, stored by ${
            Date.now() - started
          } ms; ${deleted} old snapshot(s) removed`,
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
