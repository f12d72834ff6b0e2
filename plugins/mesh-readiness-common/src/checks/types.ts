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
  /**
   * The mesh the org would adopt. Undefined while the engine is still
   * collecting the facts it is decided from: a check whose outcome depends
   * on it then returns a {@link MeshDependent}.
   */
  recommendedMesh?: MeshOption;
  apiAnalyses?: ReadonlyMap<string, unknown>;
  retrySafety?: RetrySafetyEvaluator;
}

/**
 * An outcome that depends on the recommended mesh, returned while the
 * mesh is not decided yet; the engine resolves it once it is. It holds
 * only what it needs, so the entity's other data can be dropped.
 * @internal
 */
export class MeshDependent {
  constructor(readonly resolve: (mesh: MeshOption) => CheckOutcome) {}
}

/** @internal */
export interface BuiltinEntityCheck {
  definition: CheckDefinition;
  evaluate(input: EntityCheckInput): CheckOutcome | MeshDependent;
}
