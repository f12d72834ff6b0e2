/*
 * The one entry point the backend and the CLI call. Synchronous and pure:
 * build the catalog indexes once, decide the recommended mesh (some checks
 * depend on it), evaluate every entity, aggregate the org.
 */
import type { Entity } from '@backstage/catalog-model';
import { ENTITY_CHECK_IDS } from './checkIds';
import { ENTITY_CHECKS, isBatchWorkload } from './checks/entity';
import { GATES, ORG_CHECKS } from './checks/org';
import {
  type BuiltinEntityCheck,
  type CheckOutcome,
  type CustomCheck,
  type EntityCheckInput,
  MeshDependent,
  type RetrySafetyEvaluator,
} from './checks/types';
import {
  MeshReadinessConfig,
  ResolvedMeshReadinessConfig,
  resolveConfig,
} from './config';
import {
  buildCatalogContext,
  CatalogContext,
  entityRefOf,
  addToEntityIndex,
  parseUncached,
  refKey,
  takeEntityRefs,
  resolveRef,
} from './context';
import type { ParseAnnotationsResult } from './annotations';
import {
  clustersOf,
  EntityScope,
  OrgFacts,
  OrgFactsBuilder,
  scopeOf,
} from './facts';
import { aggregate, unsafeOperations, verdictOfFacts } from './org';
import { recommendMesh } from './recommend';
import { scorePlanned } from './scoring';
import type {
  AnnotationProblem,
  CheckDefinition,
  CheckResult,
  EntityResult,
  MeshOption,
  OrgVerdict,
  ScoreReport,
  WaiverInfo,
} from './types';
import { CHECK_STATUSES, MESH_OPTIONS } from './types';

const BROKEN = 'The entity could not be evaluated.';
/** Shared empty list for rows without checks; frozen, like every shared result. */
const NO_CHECKS: never[] = Object.freeze([]) as unknown as never[];

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
   * evaluateCatalog only: also decide the verdict of each direct owner
   * (ScoreReport.verdictByOwner), from facts gathered in the same pass.
   */
  verdictByOwner?: boolean;
  /**
   * startCatalogEvaluation only: the mesh the organisation is expected to
   * be recommended (the last snapshot's, say), so that the checks that
   * depend on it are answered, and rows scored, as each part is added.
   * When the catalog's own recommendation turns out different, `finish`
   * evaluates every part again under it: the report is the same either way.
   */
  expectedMesh?: MeshOption;
}

/** Options for a single entity. @public */
export interface EvaluateEntityOptions extends EvaluationOptions {
  /** The org's recommended mesh (default: computed from the context). */
  recommendedMesh?: MeshOption;
}

interface PlannedCheck {
  definition: CheckDefinition;
  builtin?: BuiltinEntityCheck;
  custom?: CustomCheck;
  /**
   * A few shared (frozen) outcomes this check returned and their results:
   * most entities get one of a handful of constants, found here without a
   * WeakMap lookup.
   */
  seenOut: CheckOutcome[];
  seenResult: CheckResult[];
}

interface Plan {
  config: ResolvedMeshReadinessConfig;
  checks: PlannedCheck[];
  definitions: Map<string, CheckDefinition>;
  /** `checks[i].definition`, for scoring by position. */
  checkDefinitions: CheckDefinition[];
  allDefinitions: CheckDefinition[];
  waivableIds: string[];
  /** Position of retry-safety in `checks`, or -1. */
  retrySlot: number;
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
  const disabled = new Set(config.disabledChecks);
  const builtinIds = new Set<string>([
    ...ENTITY_CHECK_IDS,
    ...GATES.map(g => g.definition.id),
    ...ORG_CHECKS.map(c => c.definition.id),
  ]);
  const checks: PlannedCheck[] = [];
  for (const builtin of ENTITY_CHECKS) {
    if (!disabled.has(builtin.definition.id)) {
      checks.push({
        definition: withWeight(builtin.definition, config),
        builtin,
        seenOut: [],
        seenResult: [],
      });
    }
  }
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
    if (!disabled.has(id)) {
      checks.push({
        definition: withWeight(
          { ...custom.definition, scope: 'entity' },
          config,
        ),
        custom,
        seenOut: [],
        seenResult: [],
      });
    }
  }
  const definitions = new Map<string, CheckDefinition>();
  for (const c of checks) {
    definitions.set(c.definition.id, c.definition);
  }
  const allDefinitions = [
    ...checks.map(c => c.definition),
    ...GATES.filter(g => !disabled.has(g.definition.id)).map(g =>
      withWeight(g.definition, config),
    ),
    ...ORG_CHECKS.filter(g => !disabled.has(g.definition.id)).map(g =>
      withWeight(g.definition, config),
    ),
  ];
  return {
    config,
    checks,
    definitions,
    checkDefinitions: checks.map(c => c.definition),
    allDefinitions,
    waivableIds: [...ENTITY_CHECK_IDS, ...customIds],
    retrySlot: checks.findIndex(c => c.definition.id === 'retry-safety'),
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

const STATUS_SET: ReadonlySet<string> = new Set(CHECK_STATUSES);

function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Makes any value a check returned into a well-formed outcome. */
function sanitize(out: unknown, who: string): CheckOutcome {
  if (
    typeof out !== 'object' ||
    out === null ||
    !STATUS_SET.has((out as any).status)
  ) {
    return {
      status: 'unknown',
      message: `The ${who} check returned no valid status, so its result is unknown.`,
    };
  }
  const o = out as CheckOutcome;
  if (typeof o.message !== 'string') {
    return { ...o, message: '' };
  }
  return o;
}

function findWaiver(waivers: readonly WaiverInfo[], id: string) {
  let expired: WaiverInfo | undefined;
  for (let i = 0; i < waivers.length; i++) {
    const w = waivers[i];
    if (w.checkId === id) {
      if (!w.expired) {
        return w;
      }
      expired = w;
    }
  }
  return expired;
}

const SHARED_RESULTS = new WeakMap<CheckOutcome, CheckResult>();

/**
 * The result for an outcome. A frozen outcome is a constant the checks
 * share between entities; its result is frozen and shared too, so a large
 * catalog does not retain one copy per entity. Results are read-only.
 */
function toResult(id: string, out: CheckOutcome): CheckResult {
  if (Object.isFrozen(out)) {
    const shared = SHARED_RESULTS.get(out);
    if (shared !== undefined && shared.id === id) {
      return shared;
    }
    const made = Object.freeze(copyResult(id, out));
    if (shared === undefined) {
      SHARED_RESULTS.set(out, made);
    }
    return made;
  }
  return copyResult(id, out);
}

const INTERN_LIMIT = 100_000;
/** Shared outcomes remembered per check (see PlannedCheck.seenOut). */
const SEEN_LIMIT = 8;

/**
 * Shares one frozen result between rows whose result is identical (same
 * check, status, message and fix). Results carrying operations, snippets or
 * a waiver are never shared.
 */
function internResult(
  shared: Shared,
  id: string,
  out: CheckOutcome,
): CheckResult {
  if (
    Object.isFrozen(out) ||
    out.operations !== undefined ||
    out.snippets !== undefined ||
    out.waiver !== undefined ||
    typeof out.message !== 'string'
  ) {
    return toResult(id, out);
  }
  const key = `${id}\u0000${out.status}\u0000${out.message}\u0000${
    out.fixYaml ?? ''
  }`;
  let r = shared.results.get(key);
  if (r === undefined) {
    r = Object.freeze(copyResult(id, out));
    if (shared.results.size < INTERN_LIMIT) {
      shared.results.set(key, r);
    }
  }
  return r;
}

/** A trie of id lists: a lookup builds no key string. */
interface ListNode {
  list: string[] | undefined;
  next: Map<string, ListNode> | undefined;
}

/** A trie node; both fields from the start, so that all nodes share one shape. */
function listNode(): ListNode {
  return { list: undefined, next: undefined };
}

function internList(shared: Shared, list: string[]): string[] {
  if (list.length === 0) {
    return NO_CHECKS;
  }
  let node = shared.lists;
  for (let i = 0; i < list.length; i++) {
    const next = (node.next ??= new Map());
    let child = next.get(list[i]);
    if (!child) {
      child = listNode();
      next.set(list[i], child);
    }
    node = child;
  }
  // `list` is a scratch array: keep a copy.
  node.list ??= Object.freeze(list.slice()) as string[];
  return node.list;
}

function copyResult(id: string, out: CheckOutcome): CheckResult {
  const r: CheckResult = { id, status: out.status, message: out.message };
  if (out.fixYaml !== undefined) {
    r.fixYaml = out.fixYaml;
  }
  if (out.waiver !== undefined) {
    r.waiver = out.waiver;
  }
  if (out.operations !== undefined) {
    r.operations = out.operations;
  }
  if (out.snippets !== undefined) {
    r.snippets = out.snippets;
  }
  return r;
}

function applyWaiver(
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

interface Shared {
  /** Identical check results and topMissing lists, shared between rows. */
  results: Map<string, CheckResult>;
  lists: ListNode;
  /** Interned relation refs by kind, namespace and raw value (owners repeat a lot). */
  refs: Record<'group' | 'system', Map<string, Map<string, string | null>>>;
  /**
   * Set when an entity broke during evaluation, or was evaluated without
   * its facts gathered: the pass's facts and tallies are then incomplete.
   */
  broken?: boolean;
  /** A system ref's domain (interned system refs repeat a lot). */
  domains: Map<string, string | null>;
  plan: Plan;
  context: CatalogContext;
  /** Undefined during the catalog pass, until the org facts are complete. */
  recommendedMesh: MeshOption | undefined;
  /** Checks that wait for the recommended mesh, by row. */
  waiting: Waiting[];
  apiAnalyses?: ReadonlyMap<string, unknown>;
  retrySafety?: RetrySafetyEvaluator;
  /** The check input, reused from entity to entity. */
  input?: EntityCheckInput;
  /** The org tallies of a whole-catalog evaluation, filled as rows are scored. */
  tally?: Tally;
  /** The index the row being evaluated will have in the results. */
  row: number;
}

/** Org tallies gathered while scoring (see Precomputed in org.ts). */
interface Tally {
  missingBySlot: number[];
  failing: Uint8Array;
  retryServices: number;
  retryOperations: number;
}

function internRef(
  shared: Shared,
  raw: unknown,
  kind: 'group' | 'system',
  namespace: string,
): string | undefined {
  if (typeof raw !== 'string') {
    return undefined;
  }
  const byNamespace = shared.refs[kind];
  let cache = byNamespace.get(namespace);
  if (!cache) {
    cache = new Map();
    byNamespace.set(namespace, cache);
  }
  // One lookup per hit: null marks a value that is not a ref.
  let ref = cache.get(raw);
  if (ref === undefined) {
    ref = resolveRef(raw, kind, namespace) ?? null;
    cache.set(raw, ref);
  }
  return ref ?? undefined;
}

function domainOf(shared: Shared, system: string): string | undefined {
  const cache = shared.domains;
  let domain = cache.get(system);
  if (domain === undefined) {
    domain = shared.context.systems.get(refKey(system))?.domain ?? null;
    cache.set(system, domain);
  }
  return domain ?? undefined;
}

function str(v: unknown, max = 200): string | undefined {
  return typeof v === 'string' && v !== '' ? v.slice(0, max) : undefined;
}

/** A row whose checks include some that wait for the recommended mesh. */
interface Waiting {
  result: EntityResult;
  row: number;
  checks: CheckResult[];
  waivers: readonly WaiverInfo[];
  positions: number[];
  answers: MeshDependent[];
}

interface Prepared {
  parsed: ParseAnnotationsResult;
  scope: EntityScope;
  /** entityRefOf(entity), when already known. */
  ref?: string;
  /** clustersOf(entity), when the first pass already computed it. */
  links?: ReturnType<typeof clustersOf>;
}

function evaluateOne(
  entity: Entity,
  shared: Shared,
  prepared?: Prepared,
): EntityResult {
  const { plan, context } = shared;
  const parsed = prepared?.parsed ?? context.annotationsOf(entity);
  const prep: Prepared = prepared ?? {
    parsed,
    scope: scopeOf(entity, parsed.values, plan.config),
  };
  const entityRef = prep.ref ?? entityRefOf(entity);
  const kind = str((entity as any)?.kind) ?? 'unknown';
  const namespace = str((entity as any)?.metadata?.namespace) ?? 'default';
  const name = str((entity as any)?.metadata?.name) ?? '<unnamed>';
  const spec: any =
    typeof (entity as any)?.spec === 'object' && (entity as any).spec !== null
      ? (entity as any).spec
      : {};
  const { values, problems } = prep.parsed;
  const owner = internRef(shared, spec.owner, 'group', namespace);
  const system = internRef(shared, spec.system, 'system', namespace);
  const domain = system ? domainOf(shared, system) : undefined;
  const type = str(spec.type, 80);
  // One object shape for every row: absent fields are undefined (and
  // dropped by JSON).
  const result: EntityResult = {
    entityRef,
    kind,
    namespace,
    name,
    title: str((entity as any)?.metadata?.title),
    type,
    lifecycle: str(spec.lifecycle, 80),
    owner,
    system,
    domain,
    inScope: false,
    scopeReason: undefined,
    score: null,
    level: null,
    checks: NO_CHECKS,
    problems,
    waivers: values.waivers,
    topMissing: NO_CHECKS,
  };

  const scope = prep.scope;
  if (!scope.inScope) {
    result.scopeReason = scope.reason;
    return result;
  }
  result.inScope = true;
  const { resourceRefs, clusters } = prep.links ?? clustersOf(entity, context);
  // One input object per evaluation, refilled for each entity: checks read
  // it during the call and never keep it, so no entity pays for its own.
  let input = shared.input;
  if (input === undefined) {
    input = {
      entity,
      entityRef,
      ownerRef: owner,
      values,
      problems,
      context,
      config: plan.config,
      clusters,
      resourceRefs,
      isBatch: false,
      recommendedMesh: shared.recommendedMesh,
      apiAnalyses: shared.apiAnalyses,
      retrySafety: shared.retrySafety,
    };
    shared.input = input;
  }
  input.entity = entity;
  input.entityRef = entityRef;
  input.ownerRef = owner;
  input.values = values;
  input.problems = problems;
  input.clusters = clusters;
  input.resourceRefs = resourceRefs;
  input.recommendedMesh = shared.recommendedMesh;
  input.isBatch = isBatchWorkload(
    type?.toLowerCase(),
    (entity as any).metadata?.tags,
  );
  const waivers = values.waivers;
  const checks: CheckResult[] = new Array(plan.checks.length);
  let waiting: Waiting | undefined;
  for (let i = 0; i < plan.checks.length; i++) {
    const planned = plan.checks[i];
    const out = runCheck(planned, input, context);
    if (out instanceof MeshDependent) {
      if (shared.recommendedMesh !== undefined) {
        checks[i] = resultOf(
          shared,
          planned,
          resolveAnswer(planned, out, shared.recommendedMesh),
          waivers,
        );
        continue;
      }
      if (!waiting) {
        waiting = {
          result,
          row: shared.row,
          checks,
          waivers,
          positions: [],
          answers: [],
        };
        shared.waiting.push(waiting);
      }
      waiting.positions.push(i);
      waiting.answers.push(out);
      continue;
    }
    checks[i] = resultOf(shared, planned, out, waivers);
  }
  result.checks = checks;
  if (!waiting) {
    scoreRow(result, shared, shared.row);
  }
  return result;
}

/** Runs one check; never throws. */
function runCheck(
  planned: PlannedCheck,
  input: EntityCheckInput,
  context: CatalogContext,
): CheckOutcome | MeshDependent {
  const id = planned.definition.id;
  try {
    if (planned.builtin) {
      const out = planned.builtin.evaluate(input);
      return id === 'retry-safety' && !(out instanceof MeshDependent)
        ? sanitize(out, id)
        : out;
    }
    return sanitize(planned.custom!.evaluate(input.entity, context), id);
  } catch (e) {
    return notEvaluated(e);
  }
}

function notEvaluated(e: unknown): CheckOutcome {
  return {
    status: 'unknown',
    message: `The check could not be evaluated: ${errorText(e)}`,
  };
}

/** A mesh-dependent answer under the recommended mesh; never throws. */
function resolveAnswer(
  planned: PlannedCheck,
  answer: MeshDependent,
  mesh: MeshOption,
): CheckOutcome {
  try {
    return sanitize(answer.resolve(mesh), planned.definition.id);
  } catch (e) {
    return notEvaluated(e);
  }
}

/** A check's result on a row: waiver applied, shared when identical. */
function resultOf(
  shared: Shared,
  planned: PlannedCheck,
  out: CheckOutcome,
  waivers: readonly WaiverInfo[],
): CheckResult {
  const id = planned.definition.id;
  const waiver = waivers.length > 0 ? findWaiver(waivers, id) : undefined;
  if (waiver) {
    return applyWaiver(id, out, waiver);
  }
  const seen = planned.seenOut;
  for (let k = 0; k < seen.length; k++) {
    if (seen[k] === out) {
      return planned.seenResult[k];
    }
  }
  const r = internResult(shared, id, out);
  if (seen.length < SEEN_LIMIT && Object.isFrozen(out)) {
    seen.push(out);
    planned.seenResult.push(r);
  }
  return r;
}

function scoreRow(result: EntityResult, shared: Shared, row: number) {
  const { plan, tally } = shared;
  const s = scorePlanned(
    result.checks,
    plan.checkDefinitions,
    plan.config.levels,
    tally?.missingBySlot,
  );
  result.score = s.score;
  result.level = s.level;
  result.topMissing = internList(shared, s.topMissing);
  if (tally !== undefined) {
    if (s.failing) {
      tally.failing[row] = 1;
    }
    const unsafe =
      plan.retrySlot >= 0
        ? unsafeOperations(result.checks[plan.retrySlot])
        : undefined;
    if (unsafe !== undefined) {
      tally.retryServices++;
      tally.retryOperations += unsafe;
    }
  }
}

/** Resolves the checks that waited for the mesh, and scores their rows. */
function finishWaiting(shared: Shared, mesh: MeshOption) {
  const planned = shared.plan.checks;
  for (const w of shared.waiting) {
    for (let k = 0; k < w.positions.length; k++) {
      const p = planned[w.positions[k]];
      w.checks[w.positions[k]] = resultOf(
        shared,
        p,
        resolveAnswer(p, w.answers[k], mesh),
        w.waivers,
      );
    }
    scoreRow(w.result, shared, w.row);
  }
  shared.waiting = [];
}

/** A value read from an entity, or undefined when reading it throws. */
function readSafely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function brokenEntity(entity: Entity, e: unknown): EntityResult {
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
    scopeReason: BROKEN,
    score: null,
    level: null,
    checks: [],
    problems: [problem],
    waivers: [],
    topMissing: [],
  };
}

function safeEvaluate(
  entity: Entity,
  shared: Shared,
  prepared?: Prepared,
): EntityResult {
  try {
    return evaluateOne(entity, shared, prepared);
  } catch (e) {
    shared.broken = true;
    return brokenEntity(entity, e);
  }
}

function recommendedFor(
  context: CatalogContext,
  config: ResolvedMeshReadinessConfig,
): MeshOption {
  const builder = new OrgFactsBuilder();
  for (const entity of context.entities.values()) {
    try {
      const values = context.annotationsOf(entity).values;
      if (scopeOf(entity, values, config).inScope) {
        builder.add(entity, values, clustersOf(entity, context).clusters);
      }
    } catch {
      // a broken entity is left out of the org facts
    }
  }
  return recommendedFromFacts(builder.finish(context), config);
}

function recommendedFromFacts(
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
): MeshOption {
  const gate = GATES.find(g => g.definition.id === 'genuine-need');
  const need =
    gate && !config.disabledChecks.includes('genuine-need')
      ? gate.evaluate({ facts, config, recommendedMesh: 'none', cost: [] })
      : undefined;
  return recommendMesh(facts, config, need).mesh;
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
  let shared: Shared;
  try {
    const plan = buildPlan(options.config, options.customChecks);
    shared = newShared(
      plan,
      context,
      options,
      options.recommendedMesh ?? recommendedFor(context, plan.config),
    );
  } catch (e) {
    return brokenEntity(entity, e);
  }
  return safeEvaluate(entity, shared);
}

/** The state of one evaluation; the mesh is undefined until it is decided. */
function newShared(
  plan: Plan,
  context: CatalogContext,
  options: EvaluationOptions,
  recommendedMesh: MeshOption | undefined,
): Shared {
  return {
    results: new Map(),
    lists: listNode(),
    refs: { group: new Map(), system: new Map() },
    domains: new Map(),
    plan,
    context,
    recommendedMesh,
    waiting: [],
    apiAnalyses: options.apiAnalyses,
    retrySafety: options.retrySafety,
    row: 0,
  };
}

/** Whether an entity gets a row in the report. */
function reported(entity: Entity, parsed: ParseAnnotationsResult): boolean {
  const kind =
    typeof entity?.kind === 'string' ? entity.kind.toLowerCase() : '';
  if (kind === 'component') {
    return true;
  }
  return parsed.values.hasAnnotations || parsed.problems.length > 0;
}

/**
 * A whole-catalog evaluation fed in parts, for a caller that reads the
 * catalog page by page and scores each page while the next one is on its
 * way. See {@link startCatalogEvaluation}.
 * @public
 */
export interface CatalogEvaluation {
  /**
   * Checks and scores these entities (every Component, and any other
   * entity with mesh-readiness annotations, gets a row). Never throws
   * because of an entity; throws once finished.
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
  const { add, finish } = begin(contextEntities, options);
  return { add, finish };
}

function begin(
  contextEntities: readonly Entity[],
  options: EvaluationOptions,
): CatalogEvaluation & { addContext(): void } {
  const plan = buildPlan(options.config, options.customChecks);
  const contextList = Array.isArray(contextEntities) ? contextEntities : [];
  const context = buildCatalogContext(contextList, {
    now: options.now,
    checkIds: plan.waivableIds,
  });
  const expected = MESH_OPTIONS.includes(options.expectedMesh as MeshOption)
    ? options.expectedMesh
    : undefined;
  const shared = newShared(plan, context, options, expected);
  // With an expected mesh, the parts are kept for a second pass in case
  // the recommendation differs.
  const parts: Array<readonly Entity[]> = [];
  const tally: Tally = {
    missingBySlot: new Array(plan.checks.length).fill(0),
    failing: new Uint8Array(contextList.length),
    retryServices: 0,
    retryOperations: 0,
  };
  shared.tally = tally;
  const contextRefs = takeEntityRefs(context);
  const builder = new OrgFactsBuilder();
  // Facts per direct owner; undefined for an owner without in-scope rows.
  const owners = options.verdictByOwner
    ? new Map<string, OrgFactsBuilder | undefined>()
    : undefined;
  const results: EntityResult[] = [];
  let finished = false;
  /**
   * The facts and mesh, when decided before the rows (see addContext, which
   * evaluateCatalog calls without an expected mesh).
   */
  let decided: { facts: OrgFacts; mesh: MeshOption } | undefined;

  /** Parses, scopes and counts an entity in the org facts; null when it gets no row. */
  function prepare(
    entity: Entity,
    ref: string | undefined,
  ): Prepared | undefined | null {
    if (!entity || typeof entity !== 'object') {
      return null;
    }
    // Preparing an entity that throws (a hostile getter, say) leaves it to
    // be evaluated from scratch, and reported broken if that throws too.
    try {
      const parsed = parseUncached(context, entity);
      if (!reported(entity, parsed)) {
        return null;
      }
      const scope = scopeOf(entity, parsed.values, plan.config);
      let links: ReturnType<typeof clustersOf> | undefined;
      if (scope.inScope) {
        links = clustersOf(entity, context);
        builder.add(entity, parsed.values, links.clusters);
      }
      return { parsed, scope, ref, links };
    } catch {
      return undefined;
    }
  }

  /** Checks and scores a prepared entity and adds its row. */
  function addRow(entity: Entity, prepared: Prepared | undefined) {
    shared.row = results.length;
    const result = safeEvaluate(entity, shared, prepared);
    results.push(result);
    if (result.inScope && prepared?.links === undefined) {
      // Evaluated from scratch: the facts gathered in this pass lack it.
      shared.broken = true;
    }
    if (owners && result.owner && result.kind.toLowerCase() === 'component') {
      let forOwner = owners.get(result.owner);
      if (result.inScope && prepared?.links) {
        if (forOwner === undefined) {
          forOwner = new OrgFactsBuilder();
          owners.set(result.owner, forOwner);
        }
        forOwner.add(entity, prepared.parsed.values, prepared.links.clusters);
      } else if (!owners.has(result.owner)) {
        owners.set(result.owner, undefined);
      }
    }
  }

  function start(list: readonly Entity[]) {
    if (finished) {
      throw new Error('This catalog evaluation is finished');
    }
    if (list !== contextList) {
      addToEntityIndex(context, list);
    }
    if (tally.failing.length < results.length + list.length) {
      const grown = new Uint8Array(
        Math.max(results.length + list.length, 2 * tally.failing.length),
      );
      grown.set(tally.failing);
      tally.failing = grown;
    }
  }

  function add(entities: readonly Entity[]) {
    const list = Array.isArray(entities) ? entities : [];
    start(list);
    if (expected !== undefined) {
      parts.push(list);
    }
    // The refs computed for the context serve its own list only.
    const refs = list === contextList ? contextRefs : undefined;
    for (let i = 0; i < list.length; i++) {
      const prepared = prepare(list[i], refs?.[i]);
      if (prepared !== null) {
        addRow(list[i], prepared);
      }
    }
  }

  /**
   * The whole context at once, in two passes: every entity is prepared and
   * counted first, so that the mesh is decided before any check runs and
   * no outcome has to wait for it.
   */
  function addContext() {
    start(contextList);
    const prepared = new Array<Prepared | undefined | null>(contextList.length);
    for (let i = 0; i < contextList.length; i++) {
      prepared[i] = prepare(contextList[i], contextRefs?.[i]);
    }
    const facts = builder.finish(context);
    decided = { facts, mesh: recommendedFromFacts(facts, plan.config) };
    shared.recommendedMesh = decided.mesh;
    for (let i = 0; i < contextList.length; i++) {
      const p = prepared[i];
      if (p !== null) {
        prepared[i] = null; // dropped as soon as it is scored
        addRow(contextList[i], p);
      }
    }
  }

  function finish(): ScoreReport {
    if (finished) {
      throw new Error('This catalog evaluation is finished');
    }
    finished = true;
    const facts = decided?.facts ?? builder.finish(context);
    const mesh = decided?.mesh ?? recommendedFromFacts(facts, plan.config);
    if (expected !== undefined && mesh !== expected) {
      const again = startCatalogEvaluation(contextList, {
        ...options,
        expectedMesh: mesh,
      });
      for (const part of parts) {
        again.add(part);
      }
      return again.finish();
    }
    shared.recommendedMesh = mesh;
    finishWaiting(shared, mesh);
    const org = aggregate(
      results,
      context,
      plan.config,
      { now: context.now, checks: plan.allDefinitions },
      // The facts and tallies hold exactly the in-scope rows, unless an
      // entity broke during evaluation; then recompute from the results.
      shared.broken
        ? undefined
        : {
            facts,
            slotIds: plan.checks.map(c => c.definition.id),
            ...tally,
          },
    );
    const report: ScoreReport = { entities: results, org };
    // A broken entity may be missing from the facts: then there are none.
    if (owners && !shared.broken) {
      const byOwner: Record<string, OrgVerdict> = {};
      let none: OrgVerdict | undefined;
      for (const [owner, forOwner] of owners) {
        byOwner[owner] = forOwner
          ? verdictOfFacts(forOwner.finish(context), plan.config).verdict
          : (none ??= verdictOfFacts(
              new OrgFactsBuilder().finish(context),
              plan.config,
            ).verdict);
      }
      report.verdictByOwner = byOwner;
    }
    return report;
  }

  return { add, finish, addContext };
}

/**
 * Scores a whole catalog: every Component gets a row (in scope or not),
 * as does any other entity carrying mesh-readiness annotations (Groups,
 * clusters), so that their problems are visible. Throws only on invalid
 * configuration or custom checks; never because of an entity.
 *
 * Two passes: every entity is parsed, scoped and added to the org facts,
 * which decide the recommended mesh; then each is checked and scored under
 * that mesh, and its parsed annotations dropped. An `expectedMesh` is not
 * needed here and is ignored.
 * @public
 */
export function evaluateCatalog(
  entities: readonly Entity[],
  options: EvaluationOptions = {},
): ScoreReport {
  const evaluation = begin(entities, { ...options, expectedMesh: undefined });
  evaluation.addContext();
  return evaluation.finish();
}
