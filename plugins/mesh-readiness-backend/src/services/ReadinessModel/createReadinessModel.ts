import type { Entity } from '@backstage/catalog-model';
import {
  aggregateOrg,
  buildCatalogContext,
  CatalogEvaluation,
  CheckDefinition,
  CustomCheck,
  ENTITY_CHECK_IDS,
  EntityResult,
  evaluateCatalog,
  evaluateEntity,
  listChecks,
  ManifestObservation,
  ObservedCluster,
  MeshOption,
  OrgResult,
  OrgVerdict,
  orgVerdict,
  ResolvedMeshReadinessConfig,
  ScoreReport,
  startCatalogEvaluation,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  analyzeApiEntity,
  ApiAnalysis,
  defaultRetrySafety,
} from '@mesh-readiness/plugin-mesh-readiness-common/retry';
import { refOf } from '../CatalogReader/createCatalogReader';

/** The common model, configured once with the plugin's config and checks. */
export interface ReadinessModel {
  listChecks(): CheckDefinition[];
  /**
   * Scores a whole catalog read; with `verdictByOwner`, also decides each
   * direct owner's verdict in the same pass (ScoreReport.verdictByOwner).
   */
  evaluateCatalog(
    entities: Entity[],
    now: Date,
    options?: {
      verdictByOwner?: boolean;
      /** What each entity's manifests say, by lower-cased entity ref. */
      observations?: ReadonlyMap<string, ManifestObservation>;
      /** What running clusters said about themselves. */
      clusters?: readonly ObservedCluster[];
    },
  ): Promise<ScoreReport>;
  /**
   * A whole-catalog evaluation over `contextEntities` (the kinds the checks
   * look up), fed its rows in parts; see `startCatalogEvaluation` in the
   * common package. Undefined when custom checks are installed: they may
   * look up any entity, so they get the whole catalog at once.
   * `observations` is read as each part is added: fill it before adding.
   */
  startCatalogEvaluation?(
    contextEntities: Entity[],
    now: Date,
    options?: {
      verdictByOwner?: boolean;
      expectedMesh?: MeshOption;
      observations?: ReadonlyMap<string, ManifestObservation>;
      clusters?: readonly ObservedCluster[];
    },
  ): Promise<CatalogEvaluation>;
  /** Scores one entity given what it relates to. */
  evaluateEntity(
    entity: Entity,
    related: Entity[],
    options: {
      now: Date;
      recommendedMesh?: MeshOption;
      /** What the entity's manifests say, if it lists any. */
      observation?: ManifestObservation;
      clusters?: readonly ObservedCluster[];
    },
  ): Promise<EntityResult>;
  /**
   * The org result over a subset of results. `entities` must hold the
   * workloads of those results and the groups, users, systems and clusters
   * the org model reads.
   */
  aggregate(
    results: EntityResult[],
    entities: Entity[],
    now: Date,
    clusters?: readonly ObservedCluster[],
  ): OrgResult;
  /** The verdict alone for many subsets of one catalog: one context for all. */
  verdicts(
    entities: Entity[],
    now: Date,
    clusters?: readonly ObservedCluster[],
  ): (results: EntityResult[]) => OrgVerdict;
}

function isApi(entity: Entity): boolean {
  return entity.kind?.toLocaleLowerCase('en-US') === 'api';
}

const ANALYSIS_CACHE_LIMIT = 20_000;

export function createReadinessModel(options: {
  config: ResolvedMeshReadinessConfig;
  customChecks: CustomCheck[];
  /** `meshReadiness.maxDefinitionBytes`; default 16 MiB. */
  maxDefinitionBytes?: number;
}): ReadinessModel {
  const { config, customChecks, maxDefinitionBytes } = options;
  // Fails at startup on a duplicate or malformed custom check.
  const checks = listChecks(config, customChecks);
  // The ids a waiver annotation may name: entity checks, built-in or not.
  const waivableIds = [
    ...ENTITY_CHECK_IDS,
    ...customChecks.map(c => c.definition.id),
  ];

  // API definitions rarely change between snapshots: keep each analysis
  // while the definition text is the same.
  const analysisCache = new Map<
    string,
    { definition: unknown; type: unknown; analysis: ApiAnalysis }
  >();

  async function analyze(apis: Entity[]): Promise<Map<string, ApiAnalysis>> {
    const out = new Map<string, ApiAnalysis>();
    for (const api of apis) {
      const ref = refOf(api);
      const spec: any = api.spec ?? {};
      const cached = analysisCache.get(ref);
      if (
        cached &&
        cached.definition === spec.definition &&
        cached.type === spec.type
      ) {
        out.set(ref, cached.analysis);
        continue;
      }
      const analysis = await analyzeApiEntity(api, { maxDefinitionBytes });
      if (analysisCache.size >= ANALYSIS_CACHE_LIMIT) {
        analysisCache.clear();
      }
      analysisCache.set(ref, {
        definition: spec.definition,
        type: spec.type,
        analysis,
      });
      out.set(analysis.apiRef, analysis);
    }
    return out;
  }

  const contextOf = (
    entities: Entity[],
    now: Date,
    clusters?: readonly ObservedCluster[],
  ) =>
    buildCatalogContext(entities, {
      now,
      checkIds: waivableIds,
      observedClusters: clusters,
    });

  function verdicts(
    entities: Entity[],
    now: Date,
    clusters?: readonly ObservedCluster[],
  ): (results: EntityResult[]) => OrgVerdict {
    const context = contextOf(entities, now, clusters);
    return results => orgVerdict(results, context, config).verdict;
  }

  /** What every whole-catalog evaluation is given: config, APIs, seam. */
  async function catalogOptions(entities: Entity[], now: Date) {
    return {
      config,
      now,
      apiAnalyses: await analyze(entities.filter(isApi)),
      retrySafety: defaultRetrySafety,
    };
  }

  return {
    listChecks() {
      return checks;
    },

    async evaluateCatalog(entities, now, evaluation) {
      return evaluateCatalog(entities, {
        ...(await catalogOptions(entities, now)),
        customChecks,
        verdictByOwner: evaluation?.verdictByOwner,
        observations: evaluation?.observations,
        clusters: evaluation?.clusters,
      });
    },

    startCatalogEvaluation:
      customChecks.length > 0
        ? undefined
        : async (contextEntities, now, evaluation) =>
            startCatalogEvaluation(contextEntities, {
              ...(await catalogOptions(contextEntities, now)),
              verdictByOwner: evaluation?.verdictByOwner,
              expectedMesh: evaluation?.expectedMesh,
              observations: evaluation?.observations,
              clusters: evaluation?.clusters,
            }),

    async evaluateEntity(
      entity,
      related,
      { now, recommendedMesh, observation, clusters },
    ) {
      const apiAnalyses = await analyze(related.filter(isApi));
      const context = contextOf([entity, ...related], now, clusters);
      return evaluateEntity(entity, context, {
        config,
        now,
        apiAnalyses,
        retrySafety: defaultRetrySafety,
        customChecks,
        recommendedMesh,
        observations: observation
          ? new Map([[refOf(entity), observation]])
          : undefined,
      });
    },

    aggregate(results, entities, now, clusters) {
      const context = contextOf(entities, now, clusters);
      return aggregateOrg(results, context, config, { now, checks });
    },

    verdicts,
  };
}
