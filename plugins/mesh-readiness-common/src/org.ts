/*
 * The organisation result over any set of entity results: counts, score,
 * level distribution, most-missing prerequisites, rollups by owner (with
 * nested groups), system and domain, the gates and the verdict, the
 * recommendation and its cost. Works on a subset of the catalog (the
 * backend recomputes it for only the rows a user may see).
 */
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_MESH_ENGINEERS,
  ANNOTATION_MTLS_REQUIREMENT,
  ANNOTATION_NEEDS,
  ANNOTATION_PLATFORM_TEAM,
  ANNOTATION_TRACING,
} from './annotationKeys';
import { GATES, ORG_CHECKS, OrgCheck } from './checks/org';
import {
  MeshReadinessConfig,
  ResolvedMeshReadinessConfig,
  resolveConfig,
} from './config';
import { CatalogContext, groupAncestors, refKey } from './context';
import { costInputsFrom, estimateCost } from './cost';
import { computeOrgFacts, OrgFacts } from './facts';
import { recommendMesh } from './recommend';
import type { ObservedCluster } from './observed';
import type {
  CheckDefinition,
  CheckResult,
  EntityResult,
  GateResult,
  MeshOption,
  OrgResult,
  OrgVerdict,
  ReadinessLevel,
  RollupRow,
} from './types';

/** @public */
export interface AggregateOrgOptions {
  /** Timestamp of the result (default: the context's date). */
  now?: Date;
  /** Check definitions for titles (default: the built-in catalogue). */
  checks?: readonly CheckDefinition[];
}

function emptyLevels(): Record<ReadinessLevel, number> {
  return {
    'not-assessed': 0,
    'not-ready': 0,
    'pilot-ready': 0,
    'production-ready': 0,
    optimal: 0,
  };
}

function countLevel(levels: Record<ReadinessLevel, number>, level: string) {
  if (level in levels) {
    levels[level as ReadinessLevel]++;
  }
}

class Rollup {
  services = 0;
  scoreSum = 0;
  scored = 0;
  coverageSum = 0;
  covered = 0;
  failing = 0;
  levels = emptyLevels();

  add(r: EntityResult, failing: boolean) {
    this.services++;
    if (r.score !== null) {
      this.scoreSum += r.score;
      this.scored++;
    }
    if (typeof r.coverage === 'number') {
      this.coverageSum += r.coverage;
      this.covered++;
    }
    if (r.level) {
      countLevel(this.levels, r.level);
    }
    if (failing) {
      this.failing++;
    }
  }

  /** Adds another rollup's rows. */
  addAll(other: Rollup) {
    this.services += other.services;
    this.scoreSum += other.scoreSum;
    this.scored += other.scored;
    this.coverageSum += other.coverageSum;
    this.covered += other.covered;
    this.failing += other.failing;
    const levels = this.levels as Record<string, number>;
    for (const [level, n] of Object.entries(other.levels)) {
      levels[level] = (levels[level] ?? 0) + n;
    }
  }

  /** Mean coverage of the services, two decimals. */
  coverage(): number | null {
    return this.covered > 0
      ? Math.round((100 * this.coverageSum) / this.covered) / 100
      : null;
  }

  row(key: string): RollupRow {
    return {
      key,
      services: this.services,
      score: this.scored > 0 ? Math.round(this.scoreSum / this.scored) : null,
      coverage: this.coverage(),
      levels: this.levels,
      failing: this.failing,
    };
  }
}

function rows(map: Map<string, Rollup>): RollupRow[] {
  return [...map.entries()]
    .sort((a, b) => a[0].localeCompare(b[0], 'en'))
    .map(([key, r]) => r.row(key));
}

/**
 * The operations a failing retry-safety result found not retry-safe;
 * undefined for any other result (the retry risk of the org result).
 * @internal
 */
export function unsafeOperations(c: CheckResult): number | undefined {
  // A warning carries the operations a candidate mesh would retry while
  // none is decided: a risk all the same.
  if (c.id !== 'retry-safety' || (c.status !== 'fail' && c.status !== 'warn')) {
    return undefined;
  }
  const n = (c.operations ?? []).filter(op => op.retrySafe === false).length;
  return c.status === 'fail' || n > 0 ? n : undefined;
}

function rollupFor(map: Map<string, Rollup>, key: string): Rollup {
  let roll = map.get(key);
  if (!roll) {
    roll = new Rollup();
    map.set(key, roll);
  }
  return roll;
}

function bump(
  map: Map<string, Rollup>,
  key: string,
  r: EntityResult,
  failing: boolean,
) {
  rollupFor(map, key).add(r, failing);
}

function gateResult(
  check: OrgCheck,
  evaluated: ReturnType<OrgCheck['evaluate']>,
): GateResult {
  return {
    id: check.definition.id,
    title: check.definition.title,
    status: evaluated.status,
    message: evaluated.message,
    figures: evaluated.figures,
    sources: check.definition.sources,
  };
}

function safeOrg(
  check: OrgCheck,
  input: Parameters<OrgCheck['evaluate']>[0],
): GateResult {
  try {
    return gateResult(check, check.evaluate(input));
  } catch (e) {
    return gateResult(check, {
      status: 'unknown',
      message: `The check could not be evaluated: ${
        e instanceof Error ? e.message : String(e)
      }`,
      figures: {},
    });
  }
}

function gatesOf(
  facts: OrgFacts,
  cfg: ResolvedMeshReadinessConfig,
  disabled: ReadonlySet<string>,
): GateResult[] {
  const gates: GateResult[] = [];
  for (const g of GATES) {
    if (!disabled.has(g.definition.id)) {
      gates.push(
        safeOrg(g, { facts, config: cfg, recommendedMesh: 'none', cost: [] }),
      );
    }
  }
  return gates;
}

/**
 * The verdict alone over a subset of results, as {@link aggregateOrg}
 * would give it: from the gates over the in-scope workloads among them,
 * without rollups, recommendation or cost. For many subsets of one catalog
 * (a history point per team) at a fraction of the cost.
 * @public
 */
export function orgVerdict(
  results: readonly EntityResult[],
  context: CatalogContext,
  config?: MeshReadinessConfig | ResolvedMeshReadinessConfig,
): { verdict: OrgVerdict; reasons: string[] } {
  const cfg = resolveConfig(config);
  const workloads: Entity[] = [];
  for (const r of results) {
    if (r.inScope) {
      const entity = context.entities.get(refKey(r.entityRef));
      if (entity) {
        workloads.push(entity);
      }
    }
  }
  return verdictOfFacts(computeOrgFacts(workloads, context), cfg);
}

/**
 * The verdict from the org facts of a set of workloads, as
 * {@link orgVerdict} decides it.
 * @internal
 */
export function verdictOfFacts(
  facts: OrgFacts,
  cfg: ResolvedMeshReadinessConfig,
): { verdict: OrgVerdict; reasons: string[] } {
  return decideVerdict(gatesOf(facts, cfg, new Set(cfg.disabledChecks)));
}

/**
 * The verdict from the gates: not-needed (the need gate fails on
 * evidence), undetermined (a gate that decides it is unknown), not-ready
 * (a gate fails) or ready.
 * @public
 */
export function decideVerdict(gates: readonly GateResult[]): {
  verdict: OrgVerdict;
  reasons: string[];
} {
  const need = gates.find(g => g.id === 'genuine-need');
  const ok = (g: GateResult) =>
    g.status === 'pass' ||
    g.status === 'waived' ||
    g.status === 'not-applicable';
  if (need?.status === 'unknown') {
    return {
      verdict: 'undetermined',
      reasons: [`Whether a mesh is needed is not decided: ${need.message}`],
    };
  }
  if (need && !ok(need)) {
    return { verdict: 'not-needed', reasons: [need.message] };
  }
  const needReason = need ? [`There is a genuine need: ${need.message}`] : [];
  const others = gates.filter(g => g.id !== 'genuine-need' && !ok(g));
  const blocking = others.filter(g => g.status !== 'unknown');
  if (blocking.length > 0) {
    return {
      verdict: 'not-ready',
      reasons: [
        ...needReason,
        ...blocking.map(g => `${g.title} (${g.status}): ${g.message}`),
      ],
    };
  }
  if (others.length > 0) {
    return {
      verdict: 'undetermined',
      reasons: [
        ...needReason,
        ...others.map(g => `${g.title} is not decided: ${g.message}`),
      ],
    };
  }
  return {
    verdict: 'ready',
    reasons: gates.map(g => `${g.title}: ${g.message}`),
  };
}

/** What to declare to decide each unknown gate, with how many lack it. */
function toDecide(
  gates: readonly GateResult[],
  facts: OrgFacts,
): NonNullable<OrgResult['toDecide']> {
  const unknown = (id: string) =>
    gates.some(g => g.id === id && g.status === 'unknown');
  const items: NonNullable<OrgResult['toDecide']> = [];
  const add = (gate: string, declare: string, count: number) => {
    if (count > 0) {
      items.push({ gate, declare, count });
    }
  };
  if (unknown('genuine-need')) {
    if (facts.production === 0) {
      add(
        'genuine-need',
        'spec.lifecycle: production on the services that run in production',
        facts.services,
      );
    }
    add(
      'genuine-need',
      `${ANNOTATION_NEEDS} (or 'none') on production services`,
      facts.production - facts.needsDeclared,
    );
    add(
      'genuine-need',
      `${ANNOTATION_MTLS_REQUIREMENT} on production services in a compliance scope`,
      facts.complianceUndetermined,
    );
  }
  if (unknown('platform-capacity')) {
    add(
      'platform-capacity',
      `${ANNOTATION_PLATFORM_TEAM} and ${ANNOTATION_MESH_ENGINEERS} on the Group that would run the mesh`,
      1,
    );
  }
  if (unknown('observability')) {
    add(
      'observability',
      `${ANNOTATION_TRACING} on services`,
      facts.tracing.unknown,
    );
  }
  return items;
}

/**
 * Aggregates entity results into the org result. `results` may be any
 * subset of the catalog; the gates, recommendation and cost are computed
 * over the in-scope workloads among them, with groups and clusters taken
 * from `context`.
 * @public
 */
export function aggregateOrg(
  results: readonly EntityResult[],
  context: CatalogContext,
  config?: MeshReadinessConfig | ResolvedMeshReadinessConfig,
  options: AggregateOrgOptions = {},
): OrgResult {
  return aggregate(results, context, resolveConfig(config), options);
}

/**
 * The aggregation; `facts` are the org facts of exactly the in-scope rows
 * when the caller gathered them already (the engine does).
 * @internal
 */
export function aggregate(
  results: readonly EntityResult[],
  context: CatalogContext,
  cfg: ResolvedMeshReadinessConfig,
  options: AggregateOrgOptions,
  knownFacts?: OrgFacts,
): OrgResult {
  const disabled = new Set(cfg.disabledChecks);
  const titles = new Map<string, string>();
  for (const d of options.checks ?? []) {
    titles.set(d.id, d.title);
  }

  const all = new Rollup();
  const missingCounts = new Map<string, { failing: number; unknown: number }>();
  const owners = new Map<string, Rollup>();
  const systems = new Map<string, Rollup>();
  const domains = new Map<string, Rollup>();
  // Rows are counted under their direct owner first; each owner's rollup
  // is then added to its ancestors' once, rather than every row walking up
  // the hierarchy.
  const directOwners = new Map<string, Rollup>();
  const workloads: Entity[] = [];
  let excluded = 0;
  let withProblems = 0;
  let retryServices = 0;
  let retryOperations = 0;
  let inspected = 0;

  for (const r of results) {
    if (r.problems.length > 0) {
      withProblems++;
    }
    if (!r.inScope) {
      if (
        r.kind.toLowerCase() === 'component' &&
        r.scopeReason?.startsWith('Excluded')
      ) {
        excluded++;
      }
      continue;
    }
    if (r.manifests?.workloads.length) {
      inspected++;
    }
    if (!knownFacts) {
      const entity = context.entities.get(refKey(r.entityRef));
      if (entity) {
        workloads.push(entity);
      }
    }
    let failing = false;
    for (const c of r.checks) {
      if (
        c.status === 'fail' ||
        c.status === 'invalid' ||
        c.status === 'unknown'
      ) {
        let missing = missingCounts.get(c.id);
        if (!missing) {
          missing = { failing: 0, unknown: 0 };
          missingCounts.set(c.id, missing);
        }
        if (c.status === 'unknown') {
          missing.unknown++;
        } else {
          missing.failing++;
          failing = true;
        }
      }
      const unsafe = unsafeOperations(c);
      if (unsafe !== undefined) {
        retryServices++;
        retryOperations += unsafe;
      }
    }
    all.add(r, failing);
    if (r.owner) {
      bump(directOwners, r.owner, r, failing);
    }
    if (r.system) {
      bump(systems, r.system, r, failing);
    }
    if (r.domain) {
      bump(domains, r.domain, r, failing);
    }
  }

  for (const [owner, direct] of directOwners) {
    rollupFor(owners, owner).addAll(direct);
  }
  for (const [owner, direct] of directOwners) {
    if (owner.startsWith('group:')) {
      for (const ancestor of groupAncestors(context, owner)) {
        rollupFor(owners, ancestor).addAll(direct);
      }
    }
  }

  const facts = knownFacts ?? computeOrgFacts(workloads, context);
  const gates = gatesOf(facts, cfg, disabled);
  const needGate = gates.find(g => g.id === 'genuine-need');
  const recommendation = recommendMesh(facts, cfg, needGate);
  const cost = estimateCost(costInputsFrom(facts), cfg);
  const recommendedMesh: MeshOption = recommendation.mesh;
  const orgChecks: GateResult[] = [];
  for (const c of ORG_CHECKS) {
    if (!disabled.has(c.definition.id)) {
      orgChecks.push(safeOrg(c, { facts, config: cfg, recommendedMesh, cost }));
    }
  }
  const { verdict, reasons } = decideVerdict(gates);
  const undecided =
    verdict === 'undetermined' ? toDecide(gates, facts) : undefined;

  // What fails leads; what is only unknown (often a fact no one has
  // declared yet, on many services at once) follows.
  const mostMissing = [...missingCounts.entries()]
    .map(([checkId, { failing: failingCount, unknown }]) => ({
      checkId,
      title: titles.get(checkId) ?? checkId,
      count: failingCount + unknown,
      failing: failingCount,
      unknown,
    }))
    .sort(
      (a, b) =>
        b.failing - a.failing ||
        b.count - a.count ||
        (a.checkId < b.checkId ? -1 : 1),
    )
    .slice(0, 10);

  return {
    generatedAt: (options.now ?? context.now).toISOString(),
    counts: {
      entities: results.length,
      inScope: all.services,
      excluded,
      withProblems,
    },
    score: all.row('').score,
    coverage: all.coverage(),
    levels: all.levels,
    mostMissing,
    rollups: {
      owner: rows(owners),
      system: rows(systems),
      domain: rows(domains),
    },
    gates,
    orgChecks,
    verdict,
    verdictReasons: reasons,
    ...(undecided ? { toDecide: undecided } : {}),
    recommendation,
    cost,
    retryRisk: { services: retryServices, operations: retryOperations },
    inspected,
    ...observedClustersOf(context),
  };
}

/** The clusters a fact source described, for the org result. */
function observedClustersOf(context: CatalogContext): {
  observedClusters?: ObservedCluster[];
} {
  const observed: ObservedCluster[] = [];
  for (const c of context.clusters.values()) {
    if (c.observed) {
      observed.push(c.observed);
    }
  }
  return observed.length > 0 ? { observedClusters: observed } : {};
}
