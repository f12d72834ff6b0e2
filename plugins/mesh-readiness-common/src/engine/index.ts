/*
 * The one entry point the backend and the CLI call. Synchronous and pure:
 * entity → facts → checks → score and level, then the org: facts, gates,
 * verdict, recommendation and cost.
 *
 * Every check of every entity runs under the mesh the organisation would
 * adopt, so the org facts (which decide that mesh) are gathered from all
 * entities before any check runs. A caller that knows the mesh to expect
 * (the last snapshot's) can have rows scored as they are added instead;
 * when the catalog's own recommendation turns out different, every row is
 * scored again under it, so the report is the same either way.
 */
import type { Entity } from '@backstage/catalog-model';
import { parseAnnotations, type ParseAnnotationsResult } from '../annotations';
import { ENTITY_CHECK_IDS } from '../checkIds';
import { ENTITY_CHECKS } from '../checks/entity';
import { GATES, ORG_CHECKS } from '../checks/org';
import type {
  CheckOutcome,
  CustomCheck,
  EntityCheck,
  EntityCheckEnvironment,
  RetrySafetyEvaluator,
} from '../checks/types';
import {
  type MeshReadinessConfig,
  type ResolvedMeshReadinessConfig,
  resolveConfig,
} from '../config';
import {
  addToEntityIndex,
  buildCatalogContext,
  type CatalogContext,
  entityRefOf,
  refKey,
  resolveRef,
} from '../context';
import {
  type EntityFacts,
  entityFactsOf,
  type EntityScope,
  type OrgFacts,
  OrgFactsBuilder,
  type RetrySafetyOf,
  scopeOf,
} from '../facts';
import { aggregate, verdictOfFacts } from '../org';
import type { ManifestObservation, ObservedCluster } from '../observed';
import { meshName, recommendMesh } from '../recommend';
import { scoreInOrder } from '../scoring';
import type {
  AnnotationProblem,
  CheckDefinition,
  CheckResult,
  EntityResult,
  ManifestSummary,
  MeshOption,
  ScoreReport,
  WaiverInfo,
} from '../types';
import { CHECK_STATUSES, MESH_OPTIONS } from '../types';

/** @public */
export interface EvaluationOptions {
  config?: MeshReadinessConfig | ResolvedMeshReadinessConfig;
  /** The date waivers are judged against (default: now). */
  now?: Date;
  /** Results of the API analysis, by API entity ref. */
  apiAnalyses?: ReadonlyMap<string, unknown>;
  /** The retry-safety analysis; without it, retry-safety is `unknown`. */
  retrySafety?: RetrySafetyEvaluator;
  /** Extra checks from other modules. */
  customChecks?: readonly CustomCheck[];
  /**
   * What each entity's Kubernetes manifests say, by entity ref
   * (`kind:namespace/name`, lower-case): observed facts, which win over
   * declared ones.
   */
  observations?: ReadonlyMap<string, ManifestObservation>;
  /**
   * What running clusters said about themselves (version, nodes, meshes
   * installed): they win over the cluster Resources' annotations.
   */
  clusters?: readonly ObservedCluster[];
  /**
   * evaluateCatalog only: also decide the verdict of each direct owner
   * (ScoreReport.verdictByOwner).
   */
  verdictByOwner?: boolean;
  /**
   * startCatalogEvaluation only: the mesh the organisation is expected to
   * be recommended (the last snapshot's, say), so that rows are scored as
   * each part is added. When the catalog's own recommendation turns out
   * different, `finish` scores every row again under it: the report is
   * the same either way.
   */
  expectedMesh?: MeshOption;
}

/** Options for a single entity. @public */
export interface EvaluateEntityOptions extends EvaluationOptions {
  /** The org's recommended mesh (default: computed from the context). */
  recommendedMesh?: MeshOption;
}

/** One check to run: a built-in one or a custom one, with its definition in effect. */
interface PlannedCheck {
  definition: CheckDefinition;
  builtin?: EntityCheck;
  custom?: CustomCheck;
  /**
   * This check's results by message, for one evaluation: rows with the
   * same result share one read-only copy. Most rows get one of a handful
   * of results per check; on a 30,000-entity catalog the report held 62
   * MiB without sharing and 18 MiB with it (`node --expose-gc`, heap after
   * GC with and without the report), in the same time within the
   * machine's noise.
   */
  resultsByMessage: Map<string, CheckResult>;
}

/** The checks in effect for one evaluation. */
interface Plan {
  config: ResolvedMeshReadinessConfig;
  checks: PlannedCheck[];
  /** `checks[i].definition`, for scoring by position. */
  definitions: CheckDefinition[];
  allDefinitions: CheckDefinition[];
  waivableIds: string[];
}

function withWeight(
  d: CheckDefinition,
  config: ResolvedMeshReadinessConfig,
): CheckDefinition {
  const w = config.weights[d.id];
  return w === undefined || w === d.weight ? d : { ...d, weight: w };
}

function validCustom(c: CustomCheck): boolean {
  const d = c?.definition;
  return (
    !!d &&
    typeof d.id === 'string' &&
    d.id.trim() !== '' &&
    typeof c.evaluate === 'function'
  );
}

function buildPlan(
  configInput: EvaluationOptions['config'],
  customChecks: readonly CustomCheck[] = [],
): Plan {
  const config = resolveConfig(configInput);
  const enabled = (d: CheckDefinition) => !config.disabledChecks.includes(d.id);
  const builtinIds = new Set<string>(
    [...ENTITY_CHECKS, ...GATES, ...ORG_CHECKS].map(c => c.definition.id),
  );
  const checks: PlannedCheck[] = ENTITY_CHECKS.filter(c =>
    enabled(c.definition),
  ).map(builtin => ({
    definition: withWeight(builtin.definition, config),
    builtin,
    resultsByMessage: new Map(),
  }));
  const customIds = new Set<string>();
  for (const custom of customChecks) {
    if (!validCustom(custom)) {
      throw new Error(
        'A custom mesh-readiness check needs a definition with an id and an evaluate function',
      );
    }
    const id = custom.definition.id;
    if (builtinIds.has(id) || customIds.has(id)) {
      throw new Error(
        `Custom mesh-readiness check id '${id}' is already in use`,
      );
    }
    customIds.add(id);
    if (enabled(custom.definition)) {
      checks.push({
        definition: withWeight(
          { ...custom.definition, scope: 'entity' },
          config,
        ),
        custom,
        resultsByMessage: new Map(),
      });
    }
  }
  const orgDefinitions = [...GATES, ...ORG_CHECKS]
    .map(c => c.definition)
    .filter(enabled)
    .map(d => withWeight(d, config));
  return {
    config,
    checks,
    definitions: checks.map(c => c.definition),
    allDefinitions: [...checks.map(c => c.definition), ...orgDefinitions],
    waivableIds: [...ENTITY_CHECK_IDS, ...customIds],
  };
}

/**
 * The check catalogue in effect: built-in entity checks, custom checks,
 * the org gates and org checks, with configured weights and without
 * disabled checks.
 * @public
 */
export function listChecks(
  config?: MeshReadinessConfig | ResolvedMeshReadinessConfig,
  customChecks?: readonly CustomCheck[],
): CheckDefinition[] {
  return buildPlan(config, customChecks).allDefinitions;
}

const STATUSES: ReadonlySet<string> = new Set(CHECK_STATUSES);

function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Makes any value a check returned into a well-formed outcome. */
function sanitize(out: unknown, id: string): CheckOutcome {
  if (
    typeof out !== 'object' ||
    out === null ||
    !STATUSES.has((out as any).status)
  ) {
    return {
      status: 'unknown',
      message: `The ${id} check returned no valid status, so its result is unknown.`,
    };
  }
  const o = out as CheckOutcome;
  return typeof o.message === 'string' ? o : { ...o, message: '' };
}

/** The waiver for a check: a valid one first, else an expired one. */
function findWaiver(
  waivers: readonly WaiverInfo[],
  id: string,
): WaiverInfo | undefined {
  if (waivers.length === 0) {
    return undefined;
  }
  const forCheck = waivers.filter(w => w.checkId === id);
  return forCheck.find(w => !w.expired) ?? forCheck[forCheck.length - 1];
}

function withWaiver(
  id: string,
  out: CheckOutcome,
  waiver: WaiverInfo,
): CheckResult {
  if (waiver.expired) {
    return {
      id,
      ...out,
      message: `${out.message} (A waiver expired on ${waiver.until} and is ignored.)`,
      waiver,
    };
  }
  if (out.status === 'pass' || out.status === 'not-applicable') {
    return {
      id,
      ...out,
      message: `${out.message} (Waived until ${waiver.until}, no longer needed.)`,
      waiver,
    };
  }
  const { fixYaml: _fix, ...rest } = out;
  return {
    id,
    ...rest,
    status: 'waived',
    message: `Waived until ${waiver.until}: ${waiver.reason} (otherwise ${out.status}: ${out.message})`,
    waiver,
  };
}

/** The fields of a check result, in a fixed order, without undefined ones. */
function resultOf(id: string, out: CheckOutcome): CheckResult {
  const r: CheckResult = { id, status: out.status, message: out.message };
  if (out.fixYaml !== undefined) {
    r.fixYaml = out.fixYaml;
  }
  if (out.operations !== undefined) {
    r.operations = out.operations;
  }
  if (out.snippets !== undefined) {
    r.snippets = out.snippets;
  }
  if (out.perMesh !== undefined) {
    r.perMesh = out.perMesh;
  }
  if (out.assumption !== undefined) {
    r.assumption = out.assumption;
  }
  if (out.evidence !== undefined && out.evidence.length > 0) {
    r.evidence = out.evidence;
  }
  return r;
}

/**
 * Results whose facts were read from manifests name files and lines of
 * their own, so they are not shared with other rows of the same message.
 */
function observedEvidence(out: CheckOutcome): boolean {
  return !!out.evidence?.some(e => e.source.kind !== 'annotation');
}

/** Runs one check on one entity; never throws. */
function runCheck(
  planned: PlannedCheck,
  entity: Entity,
  facts: EntityFacts,
  env: EntityCheckEnvironment,
  assumption: string,
  context: CatalogContext,
): CheckResult {
  const id = planned.definition.id;
  let out: CheckOutcome;
  try {
    out = planned.builtin
      ? planned.builtin.evaluate(facts, env)
      : planned.custom!.evaluate(entity, context);
    out = sanitize(out, id);
    if (planned.builtin?.dependsOnMesh) {
      out = { ...out, assumption };
    }
  } catch (e) {
    out = {
      status: 'unknown',
      message: `The check could not be evaluated: ${errorText(e)}`,
    };
  }
  const waiver = findWaiver(facts.annotations.waivers, id);
  if (waiver) {
    return withWaiver(id, out, waiver);
  }
  if (out.operations || out.snippets || observedEvidence(out)) {
    return resultOf(id, out);
  }
  const known = planned.resultsByMessage.get(out.message);
  if (
    known?.status === out.status &&
    known.fixYaml === out.fixYaml &&
    known.assumption === out.assumption
  ) {
    return known;
  }
  const result = Object.freeze(resultOf(id, out));
  if (!known) {
    planned.resultsByMessage.set(out.message, result);
  }
  return result;
}

/** What an entity result says about the manifests read for it. */
function manifestSummary(observed: ManifestObservation): ManifestSummary {
  return {
    locations: observed.locations,
    files: observed.files,
    workloads: observed.workloads.map(w => ({
      kind: w.kind,
      name: w.name,
      ...(w.namespace ? { namespace: w.namespace } : {}),
      matchedBy: w.matchedBy,
      source: w.source,
      ...(w.meshProxy ? { meshProxy: w.meshProxy } : {}),
    })),
    problems: observed.problems,
    ...(observed.observedAt ? { observedAt: observed.observedAt } : {}),
    ...(observed.stale ? { stale: true } : {}),
    ...(observed.meshResources?.length
      ? { meshResources: observed.meshResources }
      : {}),
  };
}

/** An entity parsed, scoped and, when in scope, with its facts. */
interface Prepared {
  entity: Entity;
  ref: string;
  parsed: ParseAnnotationsResult;
  scope: EntityScope;
  facts?: EntityFacts;
}

function str(v: unknown, max = 200): string | undefined {
  return typeof v === 'string' && v !== '' ? v.slice(0, max) : undefined;
}

/** The row of an entity: its identity, scope, and checks and score when in scope. */
function evaluateRow(
  prepared: Prepared,
  mesh: MeshDecision,
  plan: Plan,
  context: CatalogContext,
): EntityResult {
  const { entity, parsed, facts } = prepared;
  const raw = entity as any;
  const namespace = str(raw.metadata?.namespace) ?? 'default';
  const spec: any =
    typeof raw.spec === 'object' && raw.spec !== null ? raw.spec : {};
  const owner = resolveRef(spec.owner, 'group', namespace);
  const system = resolveRef(spec.system, 'system', namespace);
  const result: EntityResult = {
    entityRef: prepared.ref,
    kind: str(raw.kind) ?? 'unknown',
    namespace,
    name: str(raw.metadata?.name) ?? '<unnamed>',
    title: str(raw.metadata?.title),
    type: str(spec.type, 80),
    lifecycle: str(spec.lifecycle, 80),
    owner,
    system,
    domain: system ? context.systems.get(refKey(system))?.domain : undefined,
    inScope: false,
    scopeReason: undefined,
    score: null,
    coverage: null,
    level: null,
    checks: [],
    problems: parsed.problems,
    waivers: parsed.values.waivers,
    topMissing: [],
  };
  if (!facts) {
    result.scopeReason = prepared.scope.reason;
    return result;
  }
  result.inScope = true;
  if (facts.observed) {
    result.manifests = manifestSummary(facts.observed);
  }
  const env = {
    mesh: mesh.mesh,
    meshDecided: mesh.decided,
    config: plan.config,
  };
  result.checks = plan.checks.map(c =>
    runCheck(c, entity, facts, env, mesh.assumption, context),
  );
  const score = scoreInOrder(
    result.checks,
    plan.definitions,
    plan.config.levels,
    plan.config.thresholds.coverage,
  );
  result.score = score.score;
  result.coverage = score.coverage;
  result.level = score.level;
  result.topMissing = score.topMissing;
  return result;
}

/** A value read from an entity, or undefined when reading it throws. */
function readSafely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The row of an entity that could not be evaluated. */
function brokenRow(entity: Entity, e: unknown): EntityResult {
  const ref = entityRefOf(entity);
  const problem: AnnotationProblem = {
    key: 'entity',
    value: '',
    message: `entity: ${ref} could not be evaluated (${errorText(e)})`,
  };
  const raw = entity as any;
  return {
    entityRef: ref,
    kind: str(readSafely(() => raw?.kind)) ?? 'unknown',
    namespace: str(readSafely(() => raw?.metadata?.namespace)) ?? 'default',
    name: str(readSafely(() => raw?.metadata?.name)) ?? '<unnamed>',
    inScope: false,
    scopeReason: 'The entity could not be evaluated.',
    score: null,
    level: null,
    checks: [],
    problems: [problem],
    waivers: [],
    topMissing: [],
  };
}

/** What an evaluation adds to the facts an entity states itself. */
interface FactInputs {
  retrySafety?: RetrySafetyOf;
  observations?: ReadonlyMap<string, ManifestObservation>;
}

/** How the entities' facts get their retry-safety analysis and observations. */
function factInputsOf(options: EvaluationOptions): FactInputs {
  const evaluator = options.retrySafety;
  const analyses = options.apiAnalyses ?? new Map<string, unknown>();
  return {
    retrySafety: evaluator
      ? (entity, providedApis, values) => mesh =>
          evaluator(entity, providedApis, analyses, mesh, values)
      : undefined,
    observations: options.observations,
  };
}

/** Parses, scopes and gathers the facts of an entity. Throws on a hostile entity. */
function prepare(
  entity: Entity,
  parsed: ParseAnnotationsResult,
  plan: Plan,
  context: CatalogContext,
  inputs: FactInputs,
): Prepared {
  const ref = entityRefOf(entity);
  const scope = scopeOf(entity, parsed.values, plan.config);
  return {
    entity,
    ref,
    parsed,
    scope,
    facts: scope.inScope
      ? entityFactsOf(
          entity,
          ref,
          parsed,
          context,
          inputs.retrySafety,
          inputs.observations?.get(refKey(ref)),
        )
      : undefined,
  };
}

/** The mesh the org facts recommend, as the genuine-need gate sees them. */
/**
 * The mesh the checks run under: the recommended one, `none` when no need
 * was found, or undecided (`none`, with `decided` false) while the need is
 * unknown; and the sentence that says so on every result that depends on it.
 */
interface MeshDecision {
  mesh: MeshOption;
  decided: boolean;
  assumption: string;
}

function decided(mesh: MeshOption): MeshDecision {
  return {
    mesh,
    decided: true,
    assumption:
      mesh === 'none'
        ? 'Assumes no mesh: the organisation has no genuine need for one.'
        : `Assumes ${meshName(
            mesh,
          )}, the mesh recommended for the organisation.`,
  };
}

const UNDECIDED: MeshDecision = {
  mesh: 'none',
  decided: false,
  assumption:
    'No mesh is decided yet (the need for one is undetermined), so this is judged against every candidate mesh.',
};

function meshFor(
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
): MeshDecision {
  const gate = GATES.find(g => g.definition.id === 'genuine-need');
  const need =
    gate && !config.disabledChecks.includes('genuine-need')
      ? gate.evaluate({ facts, config, recommendedMesh: 'none', cost: [] })
      : undefined;
  const recommendation = recommendMesh(facts, config, need);
  return recommendation.basis === 'undetermined'
    ? UNDECIDED
    : decided(recommendation.mesh);
}

/** The decision a caller expects from the mesh it names, if any. */
function expectedDecision(mesh: unknown): MeshDecision | undefined {
  if (!MESH_OPTIONS.includes(mesh as MeshOption)) {
    return undefined;
  }
  return mesh === 'none' ? UNDECIDED : decided(mesh as MeshOption);
}

function sameDecision(a: MeshDecision, b: MeshDecision): boolean {
  return a.mesh === b.mesh && a.decided === b.decided;
}

/** The mesh a context's in-scope workloads recommend. */
function meshOfContext(context: CatalogContext, plan: Plan): MeshDecision {
  const builder = new OrgFactsBuilder();
  for (const entity of context.entities.values()) {
    try {
      const prepared = prepare(
        entity,
        context.annotationsOf(entity),
        plan,
        context,
        {},
      );
      if (prepared.facts) {
        builder.add(prepared.facts);
      }
    } catch {
      // a broken entity is left out of the org facts
    }
  }
  return meshFor(builder.finish(context), plan.config);
}

/**
 * Evaluates one entity against a prepared context. The recommended mesh
 * (which some checks depend on) is computed from the context unless given.
 * @public
 */
export function evaluateEntity(
  entity: Entity,
  context: CatalogContext,
  options: EvaluateEntityOptions = {},
): EntityResult {
  try {
    const plan = buildPlan(options.config, options.customChecks);
    const mesh = options.recommendedMesh
      ? decided(options.recommendedMesh)
      : meshOfContext(context, plan);
    const prepared = prepare(
      entity,
      context.annotationsOf(entity),
      plan,
      context,
      factInputsOf(options),
    );
    return evaluateRow(prepared, mesh, plan, context);
  } catch (e) {
    return brokenRow(entity, e);
  }
}

/** Whether an entity gets a row in the report. */
function reported(entity: Entity, parsed: ParseAnnotationsResult): boolean {
  const kind =
    typeof entity?.kind === 'string' ? entity.kind.toLowerCase() : '';
  return (
    kind === 'component' ||
    parsed.values.hasAnnotations ||
    parsed.problems.length > 0
  );
}

/**
 * A whole-catalog evaluation fed in parts, for a caller that reads the
 * catalog page by page. See {@link startCatalogEvaluation}.
 * @public
 */
export interface CatalogEvaluation {
  /**
   * Adds these entities (every Component, and any other entity with
   * mesh-readiness annotations, gets a row). Never throws because of an
   * entity; throws once finished.
   */
  add(entities: readonly Entity[]): void;
  /** The report over every entity added. Call once. */
  finish(): ScoreReport;
}

/**
 * Starts a whole-catalog evaluation whose lookups (owner groups, users,
 * systems, clusters, APIs) come from `contextEntities`; the rows come from
 * the entities given to `add`, in as many calls as the caller likes,
 * `contextEntities` included where their rows are wanted. A custom check's
 * `getEntity` finds the context entities and those added so far.
 * `evaluateCatalog(entities)` is this with the whole catalog as context,
 * added at once. Throws only on invalid configuration or custom checks.
 * @public
 */
export function startCatalogEvaluation(
  contextEntities: readonly Entity[],
  options: EvaluationOptions = {},
): CatalogEvaluation {
  const plan = buildPlan(options.config, options.customChecks);
  const contextList = Array.isArray(contextEntities) ? contextEntities : [];
  const context = buildCatalogContext(contextList, {
    now: options.now,
    checkIds: plan.waivableIds,
    observedClusters: options.clusters,
  });
  // An expected `none` cannot tell "no need" from "undecided": taken as
  // undecided, and scored again when the catalog says otherwise.
  const expected = expectedDecision(options.expectedMesh);
  const inputs = factInputsOf(options);
  /** Every row in order; scored as it is added when a mesh is expected. */
  const rows: Row[] = [];
  let finished = false;

  function add(entities: readonly Entity[]) {
    if (finished) {
      throw new Error('This catalog evaluation is finished');
    }
    const list = Array.isArray(entities) ? entities : [];
    if (list !== contextList) {
      addToEntityIndex(context, list);
    }
    for (const entity of list) {
      if (!entity || typeof entity !== 'object') {
        continue;
      }
      let prepared: Prepared;
      try {
        // Parsed here rather than through the context, whose cache would
        // keep every entity's annotations to the end of the evaluation.
        const parsed = parseAnnotations(entity, {
          now: context.now,
          checkIds: context.checkIds,
        });
        if (!reported(entity, parsed)) {
          continue;
        }
        prepared = prepare(entity, parsed, plan, context, inputs);
      } catch (e) {
        rows.push({ result: brokenRow(entity, e) });
        continue;
      }
      rows.push({
        prepared,
        result:
          expected === undefined
            ? undefined
            : scoreRow(prepared, expected, plan, context),
      });
    }
  }

  function finish(): ScoreReport {
    if (finished) {
      throw new Error('This catalog evaluation is finished');
    }
    finished = true;
    const mesh = meshFor(factsOf(rows, context), plan.config);
    // The org facts of the rows in scope once scored (an entity that broke
    // while scored is out), and of each owner's; each row's facts and
    // parsed annotations are dropped as soon as it is scored.
    const orgFacts = new OrgFactsBuilder();
    const ownerFacts = new Map<string, OrgFactsBuilder>();
    const results = rows.map((row, i) => {
      const result =
        row.result &&
        (!row.prepared || (expected && sameDecision(mesh, expected)))
          ? row.result
          : scoreRow(row.prepared!, mesh, plan, context);
      const facts = result.inScope ? row.prepared?.facts : undefined;
      if (facts) {
        orgFacts.add(facts);
      }
      if (options.verdictByOwner && result.owner && isComponent(result)) {
        const forOwner = ownerFacts.get(result.owner) ?? new OrgFactsBuilder();
        ownerFacts.set(result.owner, forOwner);
        if (facts) {
          forOwner.add(facts);
        }
      }
      rows[i] = {};
      return result;
    });
    const org = aggregate(
      results,
      context,
      plan.config,
      { now: context.now, checks: plan.allDefinitions },
      orgFacts.finish(context),
    );
    const report: ScoreReport = { entities: results, org };
    if (options.verdictByOwner) {
      report.verdictByOwner = Object.fromEntries(
        [...ownerFacts].map(([owner, forOwner]) => [
          owner,
          verdictOfFacts(forOwner.finish(context), plan.config).verdict,
        ]),
      );
    }
    return report;
  }

  return { add, finish };
}

function isComponent(result: EntityResult): boolean {
  return result.kind.toLowerCase() === 'component';
}

/** A row of a catalog evaluation: a broken entity has a result only. */
interface Row {
  prepared?: Prepared;
  result?: EntityResult;
}

/** The row of a prepared entity under a mesh; a broken row if it throws. */
function scoreRow(
  prepared: Prepared,
  mesh: MeshDecision,
  plan: Plan,
  context: CatalogContext,
): EntityResult {
  try {
    return evaluateRow(prepared, mesh, plan, context);
  } catch (e) {
    return brokenRow(prepared.entity, e);
  }
}

/** The org facts of the in-scope rows among these. */
function factsOf(rows: readonly Row[], context: CatalogContext): OrgFacts {
  const builder = new OrgFactsBuilder();
  for (const row of rows) {
    if (row.prepared?.facts) {
      builder.add(row.prepared.facts);
    }
  }
  return builder.finish(context);
}

/**
 * Scores a whole catalog: every Component gets a row (in scope or not),
 * as does any other entity carrying mesh-readiness annotations (Groups,
 * clusters), so that their problems are visible. Throws only on invalid
 * configuration or custom checks; never because of an entity.
 * @public
 */
export function evaluateCatalog(
  entities: readonly Entity[],
  options: EvaluationOptions = {},
): ScoreReport {
  const evaluation = startCatalogEvaluation(entities, {
    ...options,
    expectedMesh: undefined,
  });
  evaluation.add(entities);
  return evaluation.finish();
}
