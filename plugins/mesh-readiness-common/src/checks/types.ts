/*
 * The shape of a check. Every built-in check is one file that calls
 * defineEntityCheck or defineOrgCheck with named fields; the definition
 * (what /checks and the docs show) and the logic sit side by side.
 */
import type { Entity } from '@backstage/catalog-model';
import type { ParsedAnnotations } from '../annotations';
import type { ResolvedMeshReadinessConfig } from '../config';
import type { EntityFacts, OrgFacts } from '../facts';
import type {
  CheckCategory,
  CheckDefinition,
  CheckResult,
  CostEstimate,
  GateResult,
  MeshOption,
  SourceLink,
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
  /** The component's parsed annotations. */
  values?: ParsedAnnotations,
) => CheckOutcome;

/** What every check is described by. @internal */
interface CheckSpec {
  id: string;
  title: string;
  category: CheckCategory;
  /** Weight in the 0–100 score (0 = informational). */
  weight: number;
  /** A failing gate caps the level at not-ready (entity) or decides the verdict (org). */
  gate?: boolean;
  /** What the check applies to, in words. */
  appliesTo: string;
  /** The annotation keys and entity fields the check reads. */
  reads: readonly string[];
  rationale: string;
  remediation: string;
  /** The YAML that fixes a failure, where there is one. */
  remediationYaml?: string;
  sources: readonly SourceLink[];
}

/** Everything besides its facts that an entity check may read. @internal */
export interface EntityCheckEnvironment {
  /** The mesh the organisation would adopt (`none` while undecided). */
  mesh: MeshOption;
  /** False while the need for a mesh is undetermined: judge every candidate. */
  meshDecided: boolean;
  config: ResolvedMeshReadinessConfig;
}

/** @internal */
export interface EntityCheckSpec extends CheckSpec {
  /** The outcome depends on the mesh: results say which one they assumed. */
  dependsOnMesh?: boolean;
  evaluate(facts: EntityFacts, env: EntityCheckEnvironment): CheckOutcome;
}

/** A built-in per-workload check. @internal */
export interface EntityCheck {
  definition: CheckDefinition;
  dependsOnMesh: boolean;
  evaluate(facts: EntityFacts, env: EntityCheckEnvironment): CheckOutcome;
}

/** What an org check may read. @internal */
export interface OrgCheckInput {
  facts: OrgFacts;
  config: ResolvedMeshReadinessConfig;
  recommendedMesh: MeshOption;
  cost: CostEstimate[];
}

/** What an org check decides. @internal */
export type OrgOutcome = Omit<GateResult, 'id' | 'title' | 'sources'>;

/** @internal */
export interface OrgCheckSpec extends CheckSpec {
  evaluate(input: OrgCheckInput): OrgOutcome;
}

/** A built-in org gate or org check. @internal */
export interface OrgCheck {
  definition: CheckDefinition;
  evaluate(input: OrgCheckInput): OrgOutcome;
}

function definitionOf(
  spec: CheckSpec,
  scope: 'entity' | 'org',
): CheckDefinition {
  return {
    id: spec.id,
    title: spec.title,
    category: spec.category,
    scope,
    appliesTo: spec.appliesTo,
    weight: spec.weight,
    gate: spec.gate ?? false,
    rationale: spec.rationale,
    remediation: spec.remediation,
    ...(spec.remediationYaml ? { remediationYaml: spec.remediationYaml } : {}),
    sources: [...spec.sources],
    reads: [...spec.reads],
  };
}

/** Declares a built-in per-workload check. @internal */
export function defineEntityCheck(spec: EntityCheckSpec): EntityCheck {
  return {
    definition: definitionOf(spec, 'entity'),
    dependsOnMesh: spec.dependsOnMesh ?? false,
    evaluate: spec.evaluate,
  };
}

/** Declares a built-in org gate or org check. @internal */
export function defineOrgCheck(spec: OrgCheckSpec): OrgCheck {
  return { definition: definitionOf(spec, 'org'), evaluate: spec.evaluate };
}
