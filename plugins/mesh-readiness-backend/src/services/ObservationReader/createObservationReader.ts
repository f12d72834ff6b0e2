import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { ManifestObservation } from '@mesh-readiness/plugin-mesh-readiness-common';
import type { MeshReadinessFactSource } from '@mesh-readiness/plugin-mesh-readiness-node';
import type {
  ManifestReader,
  ManifestSession,
} from '../ManifestReader/createManifestReader';

/*
 * The manifests Components link and the fact sources modules add (the
 * running cluster), merged per entity. What runs is trusted over what is
 * written, which is trusted over what is declared: the first fact source
 * that observes workloads for an entity supplies them, else the manifests
 * do. Locations and problems of every source are kept, so a cluster that
 * did not answer still shows why beside the manifests that were scored.
 */

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
  return {
    locations: present.flatMap(o => o.locations),
    files: present.reduce((n, o) => n + o.files, 0),
    workloads: scored?.workloads ?? [],
    problems: present.flatMap(o => o.problems),
  };
}

export function createObservationReader(options: {
  manifests: ManifestReader;
  sources: readonly MeshReadinessFactSource[];
  logger: LoggerService;
}): ManifestReader {
  const { manifests, sources, logger } = options;
  if (sources.length === 0) {
    return manifests;
  }

  async function fromSource(
    source: MeshReadinessFactSource,
    entities: readonly Entity[],
  ): Promise<ReadonlyMap<string, ManifestObservation>> {
    try {
      return await source.observe(entities);
    } catch (error) {
      logger.warn(
        `Fact source ${source.id} failed for ${entities.length} entities: ${
          (error as Error)?.message ?? error
        }`,
      );
      return new Map();
    }
  }

  return {
    session(): ManifestSession {
      const session = manifests.session();
      return {
        async observe(entities) {
          const [written, ...running] = await Promise.all([
            session.observe(entities),
            ...sources.map(source => fromSource(source, entities)),
          ]);
          const refs = new Set([
            ...written.keys(),
            ...running.flatMap(r => [...r.keys()]),
          ]);
          const out = new Map<string, ManifestObservation>();
          for (const ref of refs) {
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
        stats: () => session.stats(),
      };
    },
  };
}
