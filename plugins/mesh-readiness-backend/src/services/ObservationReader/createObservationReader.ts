import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  ManifestObservation,
  ObservedCluster,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { MeshReadinessFactSource } from '@mesh-readiness/plugin-mesh-readiness-node';
import type { SnapshotStore } from '../../database/types';
import { refOf } from '../CatalogReader/createCatalogReader';
import type { ManifestReader } from '../ManifestReader/createManifestReader';

/*
 * The manifests Components link and the fact sources modules add (the
 * running cluster), merged per entity. What runs is trusted over what is
 * written, which is trusted over what is declared: the first fact source
 * that observes workloads for an entity supplies them, else the manifests
 * do. Locations and problems of every source are kept, so a cluster that
 * did not answer still shows why beside the manifests that were scored.
 *
 * Fact sources are asked during snapshots only, and what they answer is
 * stored; entity requests and live reports read the stored answers, so a
 * page view never waits on a cluster, and a restarted backend (or another
 * replica) still knows when each fact was seen.
 */

/** The subject the clusters' own facts are stored under. */
const CLUSTERS = '@clusters';
/** Observations no snapshot has written for this long are deleted. */
const PRUNE_AFTER_MS = 7 * 24 * 3600_000;

/** Merges observations, most trusted first. */
export function mergeObservations(
  observations: ReadonlyArray<ManifestObservation | undefined>,
): ManifestObservation | undefined {
  const present = observations.filter(
    (o): o is ManifestObservation => o !== undefined,
  );
  if (present.length <= 1) {
    return present[0];
  }
  const scored = present.find(o => o.workloads.length > 0);
  const written = present[present.length - 1];
  return {
    locations: present.flatMap(o => o.locations),
    files: present.reduce((n, o) => n + o.files, 0),
    workloads: scored?.workloads ?? [],
    problems: present.flatMap(o => o.problems),
    ...(scored?.observedAt ? { observedAt: scored.observedAt } : {}),
    ...(scored?.stale ? { stale: true } : {}),
    ...(scored?.meshResources ? { meshResources: scored.meshResources } : {}),
    // The manifests' workloads, when a running cluster's are scored.
    ...(scored && scored !== written && written.workloads.length > 0
      ? { written: written.workloads }
      : {}),
  };
}

/** One snapshot, entity request or live report. */
export interface ObservationSession {
  /** The merged observations of the given entities, by lower-cased ref. Never throws. */
  observe(
    entities: readonly Entity[],
  ): Promise<Map<string, ManifestObservation>>;
  /** What the clusters say about themselves. Never throws. */
  clusters(): Promise<ObservedCluster[]>;
  /** What the manifest reader read so far. */
  stats(): { entities: number; locations: number; problems: number };
}

export interface ObservationReader {
  /**
   * `ask`: a snapshot's session, which asks every fact source and stores
   * its answers. Otherwise the stored answers are used.
   */
  session(options?: { ask?: boolean }): ObservationSession;
}

function isObservation(value: unknown): value is ManifestObservation {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as ManifestObservation).workloads) &&
    Array.isArray((value as ManifestObservation).problems)
  );
}

/**
 * The clusters as just read, where one that answered nothing (no version,
 * no node count) keeps the figures it had last, marked stale with when they
 * were read; a cluster no longer listed at all keeps them too.
 */
export function withStale(
  now: readonly ObservedCluster[],
  before: readonly ObservedCluster[],
): ObservedCluster[] {
  const out: ObservedCluster[] = [];
  const named = new Set<string>();
  for (const cluster of now) {
    named.add(cluster.name);
    const last = before.find(b => b.name === cluster.name);
    const silent =
      cluster.kubernetesVersion === undefined && cluster.nodes === undefined;
    out.push(
      silent && last && (last.kubernetesVersion || last.nodes !== undefined)
        ? {
            ...last,
            meshes: last.meshes,
            problems: cluster.problems,
            stale: true,
          }
        : cluster,
    );
  }
  if (now.length === 0) {
    // The clusters could not be listed: the last figures, stale.
    for (const last of before) {
      if (!named.has(last.name)) {
        out.push({ ...last, stale: true });
      }
    }
  }
  return out;
}

export function createObservationReader(options: {
  manifests: ManifestReader;
  sources: readonly MeshReadinessFactSource[];
  /** Where the sources' answers are kept; without it, they are asked every time. */
  store?: SnapshotStore;
  logger: LoggerService;
  now?: () => Date;
}): ObservationReader {
  const { manifests, sources, store, logger } = options;
  const now = options.now ?? (() => new Date());

  function warn(source: MeshReadinessFactSource, what: string, error: unknown) {
    logger.warn(
      `Fact source ${source.id} failed ${what}: ${
        (error as Error)?.message ?? error
      }`,
    );
  }

  async function stored(
    source: MeshReadinessFactSource,
    subjects?: readonly string[],
  ): Promise<Map<string, unknown>> {
    if (!store) {
      return new Map();
    }
    try {
      return await store.getObservations(source.id, subjects);
    } catch (error) {
      warn(source, 'to read its stored observations', error);
      return new Map();
    }
  }

  async function keep(
    source: MeshReadinessFactSource,
    answers: ReadonlyMap<string, unknown>,
  ): Promise<void> {
    if (!store || answers.size === 0) {
      return;
    }
    try {
      await store.putObservations(source.id, answers, now());
    } catch (error) {
      warn(source, 'to store its observations', error);
    }
  }

  /** Asks a source about entities, with what it last observed of them. */
  async function ask(
    source: MeshReadinessFactSource,
    entities: readonly Entity[],
    refs: readonly string[],
  ): Promise<ReadonlyMap<string, ManifestObservation>> {
    const previous = new Map<string, ManifestObservation>();
    for (const [ref, value] of await stored(source, refs)) {
      if (isObservation(value) && value.workloads.length > 0) {
        previous.set(ref, value);
      }
    }
    let answers: ReadonlyMap<string, ManifestObservation>;
    try {
      answers = await source.observe(entities, { previous });
    } catch (error) {
      warn(source, `for ${entities.length} entities`, error);
      return new Map();
    }
    await keep(source, answers);
    return answers;
  }

  /** What a source answered the last snapshot about these entities. */
  async function recall(
    source: MeshReadinessFactSource,
    refs: readonly string[],
  ): Promise<ReadonlyMap<string, ManifestObservation>> {
    const out = new Map<string, ManifestObservation>();
    for (const [ref, value] of await stored(source, refs)) {
      if (isObservation(value)) {
        out.set(ref, value);
      }
    }
    return out;
  }

  async function clustersOf(
    source: MeshReadinessFactSource,
    asking: boolean,
  ): Promise<ObservedCluster[]> {
    const value = (await stored(source, [CLUSTERS])).get(CLUSTERS);
    const before = Array.isArray(value) ? (value as ObservedCluster[]) : [];
    if (asking && source.observeClusters) {
      try {
        const clusters = withStale(await source.observeClusters(), before);
        await keep(source, new Map([[CLUSTERS, clusters]]));
        return clusters;
      } catch (error) {
        warn(source, 'to read its clusters', error);
      }
    }
    return before;
  }

  return {
    session({ ask: asking = false } = {}): ObservationSession {
      const session = manifests.session();
      let clusters: Promise<ObservedCluster[]> | undefined;
      if (asking && store) {
        // Entities gone from the catalog for a week: their rows go.
        store
          .deleteObservationsBefore(new Date(now().getTime() - PRUNE_AFTER_MS))
          .catch(error =>
            logger.warn(`Could not prune observations: ${error}`),
          );
      }
      return {
        async observe(entities) {
          if (sources.length === 0) {
            return session.observe(entities);
          }
          const refs = entities.map(refOf);
          const [written, ...running] = await Promise.all([
            session.observe(entities),
            ...sources.map(source =>
              asking || !store
                ? ask(source, entities, refs)
                : recall(source, refs),
            ),
          ]);
          const all = new Set([
            ...written.keys(),
            ...running.flatMap(r => [...r.keys()]),
          ]);
          const out = new Map<string, ManifestObservation>();
          for (const ref of all) {
            const merged = mergeObservations([
              ...running.map(r => r.get(ref)),
              written.get(ref),
            ]);
            if (merged) {
              out.set(ref, merged);
            }
          }
          return out;
        },
        clusters() {
          clusters ??= Promise.all(
            sources.map(source => clustersOf(source, asking || !store)),
          ).then(lists => lists.flat());
          return clusters;
        },
        stats: () => session.stats(),
      };
    },
  };
}
