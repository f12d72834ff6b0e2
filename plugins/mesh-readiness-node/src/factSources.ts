import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  ManifestObservation,
  ObservedCluster,
} from '@mesh-readiness/plugin-mesh-readiness-common';

/**
 * What the backend hands a fact source on each call.
 *
 * @public
 */
export interface MeshReadinessFactSourceContext {
  /**
   * The last observation this source returned for each entity that had
   * workloads, by lower-cased entity ref. The backend stores observations
   * in its database, so they outlive a restart and are shared by replicas;
   * a source uses them, marked `stale`, while it cannot read the entity.
   */
  previous: ReadonlyMap<string, ManifestObservation>;
}

/**
 * A source of observed facts beside the manifests that Components link, for
 * example the running cluster. The backend asks every source during each
 * snapshot (page by page) and stores what it answers; entity requests and
 * live reports read the stored observations, so a page view never waits on
 * a cluster.
 *
 * @public
 */
export interface MeshReadinessFactSource {
  /** Names the source in logs and problems, e.g. `kubernetes`. */
  id: string;
  /**
   * What the source observes of the given entities, by lower-cased entity
   * ref (`component:default/checkout`). Leave out the entities it knows
   * nothing about. An entity it could not read is an observation with no
   * workloads and a problem saying why. It should not throw; a source that
   * throws is logged and observes nothing for these entities.
   */
  observe(
    entities: readonly Entity[],
    context: MeshReadinessFactSourceContext,
  ): Promise<ReadonlyMap<string, ManifestObservation>>;
  /**
   * What the clusters say about themselves (version, nodes, meshes
   * installed), asked once per snapshot. A cluster that cannot be read is
   * left out or carries its problems.
   */
  observeClusters?(): Promise<ObservedCluster[]>;
}

/**
 * Lets backend modules add sources of observed facts. When a source
 * observes workloads for an entity, they are scored instead of those of its
 * manifests (what runs wins over what is written, which wins over what is
 * declared); the locations and problems of both are kept. Sources are asked
 * in the order they were added, and the first that observes workloads wins.
 *
 * @public
 */
export interface MeshReadinessFactSourcesExtensionPoint {
  addFactSource(...sources: MeshReadinessFactSource[]): void;
}

/** @public */
export const meshReadinessFactSourcesExtensionPoint =
  createExtensionPoint<MeshReadinessFactSourcesExtensionPoint>({
    id: 'mesh-readiness.fact-sources',
  });
