import type { Entity } from '@backstage/catalog-model';
import type {
  FactEvidence,
  ManifestProblem,
  ObservedCluster,
  ObservedMeshResource,
  ObservedWorkload,
} from './observed';

/*
 * The shapes every surface shares: the REST API, the CLI's --json output,
 * the frontend and the extension point. Ids and enum values are fixed by
 * docs/annotations.md (contract v1): extend, never rename.
 */

/** @public */
export type CheckStatus =
  | 'pass'
  | 'fail'
  | 'warn'
  | 'waived'
  | 'not-applicable'
  | 'unknown'
  | 'invalid';

/** @public */
export const CHECK_STATUSES: readonly CheckStatus[] = [
  'fail',
  'invalid',
  'warn',
  'unknown',
  'waived',
  'pass',
  'not-applicable',
];

/** @public */
export type CheckCategory =
  | 'ownership'
  | 'protocols'
  | 'workload'
  | 'security'
  | 'observability'
  | 'resilience'
  | 'organisation';

/** @public */
export type MeshOption =
  | 'none'
  | 'cilium'
  | 'linkerd'
  | 'istio-ambient'
  | 'istio-sidecar';

/** @public */
export const MESH_OPTIONS: readonly MeshOption[] = [
  'none',
  'cilium',
  'linkerd',
  'istio-ambient',
  'istio-sidecar',
];

/** @public */
export type OrgVerdict =
  | 'not-needed'
  | 'not-ready'
  | 'ready'
  /** A gate that decides the verdict is unknown: declare its inputs. */
  | 'undetermined';

/**
 * Per-entity readiness level, lowest first. A failing gate check caps the
 * level at `not-ready`.
 * @public
 */
export type ReadinessLevel =
  /** Too little is known (coverage below the threshold) to judge. */
  'not-assessed' | 'not-ready' | 'pilot-ready' | 'production-ready' | 'optimal';

/** @public */
export const READINESS_LEVELS: readonly ReadinessLevel[] = [
  'not-assessed',
  'not-ready',
  'pilot-ready',
  'production-ready',
  'optimal',
];

/** A citation: official docs, RFC or source file. @public */
export interface SourceLink {
  title: string;
  url: string;
}

/** One check in the catalogue, as served by `GET /checks`. @public */
export interface CheckDefinition {
  /** Stable id, e.g. `tracing`. */
  id: string;
  title: string;
  category: CheckCategory;
  /** `entity` checks run per workload; `org` checks run once for the org. */
  scope: 'entity' | 'org';
  /** Human-readable description of what the check applies to. */
  appliesTo: string;
  /** Weight in the 0–100 score (0 = informational). */
  weight: number;
  /** A failing gate caps the entity level at `not-ready`. */
  gate: boolean;
  /** Why it matters. */
  rationale: string;
  /** What to do about a failure. */
  remediation: string;
  /** The exact YAML to add, where there is one. */
  remediationYaml?: string;
  sources: SourceLink[];
  /** The annotation keys and entity fields the check reads (built-in checks). */
  reads?: string[];
}

/** A problem with one annotation value. @public */
export interface AnnotationProblem {
  /** The annotation key, e.g. `mesh-readiness.io/ports`. */
  key: string;
  /** The value as written. */
  value: string;
  /** Why it is wrong, naming the key and the value. */
  message: string;
  /** The closest valid value, where one is close. */
  suggestion?: string;
}

/** A waiver found on an entity. @public */
export interface WaiverInfo {
  checkId: string;
  /** YYYY-MM-DD */
  until: string;
  reason: string;
  expired: boolean;
}

/** How one API operation fares under mesh retries. @public */
export interface RetryOperation {
  /** API entity ref, e.g. `api:default/payments-api`. */
  api: string;
  /** `METHOD /path` for HTTP, `package.Service/Method` for gRPC. */
  operation: string;
  idempotent: boolean | 'unknown';
  retrySafe: boolean | 'unknown';
  reason: string;
  /** gRPC only: true for a client-, server- or bidirectional-streaming rpc. */
  streaming?: boolean;
  /** True when the component lists it in `mesh-readiness.io/no-retry-routes`. */
  listed?: boolean;
}

/**
 * retry-safety only: whether the provided APIs are safe from the retries a
 * mesh option makes by default.
 * @public
 */
export type MeshRetryVerdict = 'safe' | 'unsafe' | 'unknown';

/** A copyable configuration snippet for one mesh option. @public */
export interface ConfigSnippet {
  mesh: MeshOption;
  title: string;
  yaml: string;
  sources: SourceLink[];
}

/** The result of one check on one entity. @public */
export interface CheckResult {
  id: string;
  status: CheckStatus;
  /** What was found, in a sentence that names the input. */
  message: string;
  /** YAML snippet for this entity that would fix the check, if any. */
  fixYaml?: string;
  /** Present when a waiver is (or was) on the entity for this check. */
  waiver?: WaiverInfo;
  /** retry-safety only: the per-operation list. */
  operations?: RetryOperation[];
  /** retry-safety only: configuration that makes the service safe, per mesh. */
  snippets?: ConfigSnippet[];
  /** retry-safety only: the verdict under each mesh option ("safe under Linkerd, unsafe under Istio"). */
  perMesh?: Partial<Record<MeshOption, MeshRetryVerdict>>;
  /**
   * For checks whose outcome depends on the organisation's mesh: the mesh
   * the result assumed and why.
   */
  assumption?: string;
  /** The facts the result was decided on, each with where it was read. */
  evidence?: FactEvidence[];
}

/** The manifests read for an entity and the workloads matched in them. @public */
export interface ManifestSummary {
  /** The locations read, as written in the annotation or on the command line. */
  locations: string[];
  files: number;
  workloads: Array<
    Pick<
      ObservedWorkload,
      'kind' | 'name' | 'namespace' | 'matchedBy' | 'source' | 'meshProxy'
    >
  >;
  problems: ManifestProblem[];
  /** When the scored workloads were read from a running cluster. */
  observedAt?: string;
  /** The cluster did not answer: the workloads are the last ones seen, at `observedAt`. */
  stale?: boolean;
  /** Mesh custom resources the running cluster holds for the entity. */
  meshResources?: ObservedMeshResource[];
}

/** One entity's result, as served by `GET /entities/:kind/:namespace/:name`. @public */
export interface EntityResult {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  type?: string;
  lifecycle?: string;
  owner?: string;
  system?: string;
  domain?: string;
  /** False for non-workloads and for excluded components. */
  inScope: boolean;
  /** Why the entity is out of scope, when it is. */
  scopeReason?: string;
  /** 0–100 over the checks that apply; null when out of scope. */
  score: number | null;
  /**
   * Share (0–1) of the applicable check weight whose status is known (not
   * `unknown`); null when out of scope.
   */
  coverage?: number | null;
  level: ReadinessLevel | null;
  checks: CheckResult[];
  problems: AnnotationProblem[];
  waivers: WaiverInfo[];
  /** Ids of the failing or unknown checks that weigh most, most important first. */
  topMissing: string[];
  /**
   * The manifests linked to the entity and what was matched in them;
   * absent when none are linked. With workloads, the entity is inspected;
   * without, its facts are declared only.
   */
  manifests?: ManifestSummary;
}

/** An org gate (`genuine-need`, `platform-capacity`, `observability`). @public */
export interface GateResult {
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
  /** The figures the gate was decided on, e.g. `{ coverage: 0.62, threshold: 0.8 }`. */
  figures: Record<string, number | string>;
  sources: SourceLink[];
}

/** One option considered by the recommendation. @public */
export interface MeshAssessment {
  mesh: MeshOption;
  /** True when the option meets every declared need and constraint. */
  fits: boolean;
  /** Lower is simpler. */
  complexity: number;
  reasons: string[];
  caveats: string[];
  sources: SourceLink[];
  /** Cluster facts the option depends on that the catalog does not declare. */
  missingInputs?: string[];
}

/** @public */
export interface Recommendation {
  /**
   * `decided`: the genuine need passed and `mesh` is the recommendation;
   * `no-need`: the need was ruled out on evidence, so `none`;
   * `undetermined`: the need is unknown, so no recommendation (`none`),
   * and `alternatives` rank the options "if a need is confirmed".
   */
  basis?: 'decided' | 'no-need' | 'undetermined';
  mesh: MeshOption;
  reasons: string[];
  caveats: string[];
  sources: SourceLink[];
  /** Every option, best first. */
  alternatives: MeshAssessment[];
}

/** A published figure used by the estimator, with its source. @public */
export interface CostFigure {
  name: string;
  value: number;
  unit: string;
  source: SourceLink;
}

/** Estimated data-plane overhead of one option. @public */
export interface CostEstimate {
  mesh: MeshOption;
  /** null when its inputs are unknown (see missingInputs). */
  memoryMiB: number | null;
  /** null when its inputs are unknown (see missingInputs). */
  vcpu: number | null;
  /** The inputs no service or cluster declares, when a figure is null. */
  missingInputs?: string[];
  /** How the numbers were computed, in words, with inputs. */
  formula: string;
  inputs: { pods: number; peakRps: number; nodes: number };
  figures: CostFigure[];
  /** Services whose replicas or rps were unknown and so are not counted. */
  servicesMissingInputs: number;
}

/** Aggregate over a set of entities (owner, system or domain). @public */
export interface RollupRow {
  key: string;
  services: number;
  score: number | null;
  /** Mean coverage of the services (see EntityResult.coverage). */
  coverage?: number | null;
  levels: Record<ReadinessLevel, number>;
  failing: number;
}

/** The org result, as served by `GET /summary`. @public */
export interface OrgResult {
  generatedAt: string;
  counts: {
    entities: number;
    inScope: number;
    excluded: number;
    withProblems: number;
  };
  score: number | null;
  /** Mean coverage of the in-scope services (see EntityResult.coverage). */
  coverage?: number | null;
  levels: Record<ReadinessLevel, number>;
  /**
   * The checks most often not passing across the services in scope: the
   * ten with the most services failing them (or invalid), then the most
   * services in all. `count` is `failing` plus `unknown`.
   */
  mostMissing: Array<{
    checkId: string;
    title: string;
    count: number;
    /** Services where it fails or is invalid (absent in snapshots taken before it was added). */
    failing?: number;
    /** Services where it is unknown: a fact is neither declared nor observed. */
    unknown?: number;
  }>;
  rollups: { owner: RollupRow[]; system: RollupRow[]; domain: RollupRow[] };
  gates: GateResult[];
  /**
   * Organisation checks that do not decide the verdict (PKI plan, config
   * linting, cost vs capacity, kernel and Kubernetes versions).
   */
  orgChecks?: GateResult[];
  verdict: OrgVerdict;
  verdictReasons: string[];
  /**
   * When the verdict is `undetermined`: what to declare to decide it, with
   * how many services or groups lack it.
   */
  toDecide?: Array<{ gate: string; declare: string; count: number }>;
  recommendation: Recommendation;
  cost: CostEstimate[];
  retryRisk: { services: number; operations: number };
  /**
   * What the running clusters said about themselves, when a fact source
   * read them: version, nodes and meshes installed, with when.
   */
  observedClusters?: ObservedCluster[];
  /** In-scope services whose manifests were read and matched (the others are declared only). */
  inspected?: number;
}

/** The JSON document of `mesh-readiness score --json`. @public */
export interface ScoreReport {
  entities: EntityResult[];
  org: OrgResult;
  /**
   * With the `verdictByOwner` option: the verdict over each direct owner's
   * in-scope workloads, as {@link orgVerdict} gives it for that owner's
   * rows, for every owner of a Component row (over no workloads for an
   * owner whose Components are all out of scope).
   */
  verdictByOwner?: Record<string, OrgVerdict>;
}

/** What a custom check may read besides the entity itself. @public */
export interface CustomCheckContext {
  now: Date;
  /** Any catalog entity by ref (`kind:namespace/name`, lower-case). */
  getEntity(entityRef: string): Entity | undefined;
}

/**
 * A check contributed by another backend module through the
 * `mesh-readiness.checks` extension point. A check that throws yields
 * `unknown` with the error message; it never breaks the other results.
 * @public
 */
export interface CustomCheck {
  definition: CheckDefinition;
  evaluate(
    entity: Entity,
    context: CustomCheckContext,
  ): Omit<CheckResult, 'id'>;
}
