import type { Entity } from '@backstage/catalog-model';
import type {
  CatalogEvaluation,
  MeshOption,
  ResolvedMeshReadinessConfig,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  isMainThread,
  MessagePort,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { createReadinessModel } from '../ReadinessModel/createReadinessModel';
import { ScoredSnapshot, scoredSnapshotOf } from './scoredSnapshot';

/*
 * The scoring worker: a thread that scores snapshots while the main thread
 * reads the catalog (and, in a one-process backend, serves it). The main
 * thread hands over the context kinds, then each page of Components as it
 * arrives; the worker scores them with the same engine and configuration
 * and answers with the finished rows, so the main thread only reads and
 * stores. One thread per plugin, started on the first snapshot and kept
 * (its JIT stays warm), ended with the backend. Custom checks are
 * functions registered in the main thread, so with custom checks the
 * snapshot service scores in the main thread instead.
 */

/** A failure of the worker, not of the catalog: the snapshot then scores in the main thread. */
export class ScoringWorkerError extends Error {
  name = 'ScoringWorkerError';
}

/** One snapshot being scored in the worker. */
export interface ScoringSession {
  /** Hands a page of Components over; throws a ScoringWorkerError if it cannot. */
  add(entities: Entity[]): void;
  /** The scored snapshot once every page is in; rejects with a ScoringWorkerError. */
  finish(): Promise<ScoredSnapshot>;
  /** Drops the session (the catalog read failed). */
  abort(): void;
}

export interface ScoringWorker {
  /** Starts scoring a snapshot; a session still open is aborted. */
  start(input: {
    context: Entity[];
    takenAt: Date;
    expectedMesh?: MeshOption;
  }): ScoringSession;
  /** Ends the thread. */
  close(): Promise<void>;
}

type ToWorker =
  | {
      type: 'start';
      id: number;
      context: Entity[];
      takenAt: Date;
      expectedMesh?: MeshOption;
    }
  | { type: 'add'; id: number; entities: Entity[] }
  | { type: 'finish'; id: number }
  | { type: 'abort'; id: number };

type FromWorker =
  | { type: 'done'; id: number; snapshot: ScoredSnapshot }
  | { type: 'failed'; id: number; message: string };

const WORKER_MARK = 'meshReadinessScoringWorker';

/**
 * How the thread loads this file: built, it is JavaScript; from source (in
 * development, tests and benchmarks) it is TypeScript and needs Backstage's
 * Node transform, which `backstage-cli package start` already passes on.
 * Undefined when the source cannot be loaded.
 */
function execArgvForThisFile(): string[] | undefined | null {
  if (!/\.tsx?$/.test(__filename)) {
    return undefined;
  }
  if (process.execArgv.some(arg => arg.includes('nodeTransform'))) {
    return undefined;
  }
  try {
    return [
      ...process.execArgv,
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ];
  } catch {
    return null;
  }
}

/**
 * The main thread's side. The thread starts on the first `start`; if it
 * cannot start, or dies, the open session fails with a ScoringWorkerError,
 * and a thread that never started is not tried again.
 */
export function createScoringWorker(options: {
  config: ResolvedMeshReadinessConfig;
}): ScoringWorker {
  let worker: Worker | undefined;
  let unusable: string | undefined;
  let nextId = 1;
  let open:
    | {
        id: number;
        resolve(snapshot: ScoredSnapshot): void;
        reject(error: Error): void;
      }
    | undefined;

  function failOpen(message: string) {
    const session = open;
    open = undefined;
    session?.reject(new ScoringWorkerError(message));
  }

  function thread(): Worker {
    if (unusable) {
      throw new ScoringWorkerError(unusable);
    }
    if (worker) {
      return worker;
    }
    const execArgv = execArgvForThisFile();
    if (execArgv === null) {
      unusable = 'the scoring worker cannot load its TypeScript source';
      throw new ScoringWorkerError(unusable);
    }
    const started = new Worker(__filename, {
      workerData: { [WORKER_MARK]: true, config: options.config },
      execArgv,
    });
    let ready = false;
    started.unref();
    started.on('message', (message: FromWorker | { type: 'ready' }) => {
      if (message.type === 'ready') {
        ready = true;
        return;
      }
      if (!open || message.id !== open.id) {
        return; // an aborted session's answer
      }
      const session = open;
      open = undefined;
      if (message.type === 'done') {
        session.resolve({ ...message.snapshot, inWorker: true });
      } else {
        session.reject(new ScoringWorkerError(message.message));
      }
    });
    const gone = (reason: string) => {
      if (worker === started) {
        worker = undefined;
        if (!ready) {
          unusable = `the scoring worker did not start (${reason})`;
        }
      }
      failOpen(unusable ?? `the scoring worker stopped (${reason})`);
    };
    started.on('error', error =>
      gone(String((error as Error)?.message ?? error)),
    );
    started.on('exit', code => gone(`exit code ${code}`));
    worker = started;
    return started;
  }

  return {
    start(input) {
      if (open) {
        failOpen('a newer snapshot started');
      }
      const id = nextId++;
      let finished: Promise<ScoredSnapshot> | undefined;
      let failure: ScoringWorkerError | undefined;
      const done = new Promise<ScoredSnapshot>((resolve, reject) => {
        open = { id, resolve, reject };
      });
      done.catch(() => {}); // surfaced by finish()
      const post = (message: ToWorker) => {
        if (failure) {
          throw failure;
        }
        try {
          thread().postMessage(message);
        } catch (error) {
          // An entity that cannot be cloned (an object with throwing
          // getters, say): the main thread scores this snapshot.
          failure =
            error instanceof ScoringWorkerError
              ? error
              : new ScoringWorkerError(
                  `the scoring worker could not be handed the catalog (${
                    (error as Error)?.message ?? error
                  })`,
                );
          if (open?.id === id) {
            open = undefined;
            worker?.postMessage({ type: 'abort', id } satisfies ToWorker);
          }
          throw failure;
        }
      };
      post({ type: 'start', id, ...input });
      return {
        add(entities) {
          post({ type: 'add', id, entities });
        },
        finish() {
          if (!finished) {
            finished = failure
              ? Promise.reject(failure)
              : (post({ type: 'finish', id }), done);
          }
          return finished;
        },
        abort() {
          if (open?.id === id) {
            open = undefined;
            worker?.postMessage({ type: 'abort', id } satisfies ToWorker);
          }
        },
      };
    },

    async close() {
      const current = worker;
      worker = undefined;
      unusable = 'the scoring worker was closed';
      failOpen(unusable);
      await current?.terminate();
    },
  };
}

/** The worker's side: scores one session at a time, in message order. */
function serve(port: MessagePort, config: ResolvedMeshReadinessConfig) {
  const model = createReadinessModel({ config, customChecks: [] });
  let session:
    | {
        id: number;
        takenAt: Date;
        entities: Entity[];
        evaluation: CatalogEvaluation;
      }
    | undefined;
  let queue: Promise<void> = Promise.resolve();

  async function handle(message: ToWorker): Promise<void> {
    if (message.type === 'start') {
      const evaluation = await model.startCatalogEvaluation!(
        message.context,
        message.takenAt,
        { verdictByOwner: true, expectedMesh: message.expectedMesh },
      );
      evaluation.add(message.context);
      session = {
        id: message.id,
        takenAt: message.takenAt,
        entities: [...message.context],
        evaluation,
      };
      return;
    }
    if (!session || session.id !== message.id) {
      return; // a message of a session that failed or was aborted
    }
    if (message.type === 'abort') {
      session = undefined;
    } else if (message.type === 'add') {
      session.evaluation.add(message.entities);
      for (const entity of message.entities) {
        session.entities.push(entity);
      }
    } else {
      const { id, takenAt, entities, evaluation } = session;
      session = undefined;
      const snapshot = scoredSnapshotOf(
        evaluation.finish(),
        entities,
        takenAt,
        model,
      );
      port.postMessage({ type: 'done', id, snapshot } satisfies FromWorker);
    }
  }

  port.on('message', (message: ToWorker) => {
    queue = queue.then(() =>
      handle(message).catch(error => {
        session = undefined;
        port.postMessage({
          type: 'failed',
          id: message.id,
          message: `scoring failed in the worker: ${
            (error as Error)?.message ?? error
          }`,
        } satisfies FromWorker);
      }),
    );
  });
  port.postMessage({ type: 'ready' });
}

if (!isMainThread && parentPort && workerData?.[WORKER_MARK]) {
  serve(parentPort, workerData.config);
}
