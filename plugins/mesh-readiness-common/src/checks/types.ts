import type { Entity } from '@backstage/catalog-model';
import type { ParsedAnnotations } from '../annotations';
import type { ResolvedMeshReadinessConfig } from '../config';
import type { CatalogContext, ClusterInfo } from '../context';
import type {
  AnnotationProblem,
  CheckDefinition,
  CheckResult,
  MeshOption,
} from '../types';

export type { CustomCheck } from '../types';

/** What a check decides, before the engine adds the id and any waiver. @public */
export type CheckOutcome = Omit<CheckResult, 'id'>;

/**
 * The retry-safety seam: the retry module analyses the APIs a component
 * provides. `analyses` maps API entity refs (`api:namespace/name`) to
 * whatever the analysis produced.
 * @public
 */
export type RetrySafetyEvaluator = (
  component: Entity,
  providedApiRefs: string[],
  analyses: ReadonlyMap<string, unknown>,
  recommendedMesh: MeshOption,
  /**
   * The component's parsed annotations, when the caller has them (the
   * engine always does); without them the evaluator parses them itself.
   */
  values?: ParsedAnnotations,
) => CheckOutcome;

/** Everything a built-in entity check may read. @internal */
export interface EntityCheckInput {
  entity: Entity;
  entityRef: string;
  /** spec.owner resolved to a ref; undefined when absent or not a ref. */
  ownerRef?: string;
  values: ParsedAnnotations;
  problems: AnnotationProblem[];
  context: CatalogContext;
  config: ResolvedMeshReadinessConfig;
  /** Clusters the entity declares it runs on (found in the catalog). */
  clusters: ClusterInfo[];
  /** Cluster refs in `spec.dependsOn` of kind resource, found or not. */
  resourceRefs: string[];
  isBatch: boolean;
  recommendedMesh: MeshOption;
  apiAnalyses?: ReadonlyMap<string, unknown>;
  retrySafety?: RetrySafetyEvaluator;
}

/** @internal */
export interface BuiltinEntityCheck {
  definition: CheckDefinition;
  evaluate(input: EntityCheckInput): CheckOutcome;
}
