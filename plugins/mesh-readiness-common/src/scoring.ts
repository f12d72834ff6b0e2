/*
 * Score and level of one entity from its check results.
 *
 * Rules (also in the README):
 * - Only checks with weight > 0 and a status other than `not-applicable`
 *   count; their weights sum to the possible points.
 * - pass and waived earn the full weight, warn half; fail, invalid and
 *   unknown earn nothing (unknown is never pass).
 * - score = round(100 × earned / possible); null when nothing counts.
 * - Level from the score: ≥ optimal → optimal, ≥ production →
 *   production-ready, ≥ pilot → pilot-ready, else not-ready.
 * - A gate check that fails or is invalid caps the level at not-ready; a
 *   gate check that is unknown caps it at pilot-ready.
 * - coverage = known weight / possible weight (unknown is not known);
 *   below the configured minimum the level is not-assessed, unless a gate
 *   check fails or is invalid (a finding however little else is known).
 */
import type { ResolvedMeshReadinessConfig } from './config';
import type {
  CheckDefinition,
  CheckResult,
  CheckStatus,
  ReadinessLevel,
} from './types';

/** @public */
export interface EntityScore {
  score: number | null;
  /** Share (0–1, two decimals) of the counted weight whose status is known. */
  coverage: number | null;
  level: ReadinessLevel | null;
  earned: number;
  possible: number;
  /** Ids of gate checks that capped the level. */
  cappedBy: string[];
  topMissing: string[];
}

const EARN: Record<CheckStatus, number> = {
  pass: 1,
  waived: 1,
  warn: 0.5,
  fail: 0,
  invalid: 0,
  unknown: 0,
  'not-applicable': 0,
};

const MISSING_RANK: Partial<Record<CheckStatus, number>> = {
  fail: 0,
  invalid: 1,
  unknown: 2,
  warn: 3,
};

const TOP_MISSING = 5;

/** The level a score reaches, before any gate cap. @public */
export function levelForScore(
  score: number,
  levels: ResolvedMeshReadinessConfig['levels'],
): ReadinessLevel {
  if (score >= levels.optimal) {
    return 'optimal';
  }
  if (score >= levels.production) {
    return 'production-ready';
  }
  if (score >= levels.pilot) {
    return 'pilot-ready';
  }
  return 'not-ready';
}

/** A check that costs points or caps the level: a topMissing candidate. */
interface Missing {
  id: string;
  /** A gate that failed, was invalid or unknown. */
  gate: boolean;
  /** Points lost. */
  lost: number;
  /** fail before invalid before unknown before warn. */
  rank: number;
  /** Position in the check list, the last tie-breaker. */
  index: number;
}

function byImpact(a: Missing, b: Missing): number {
  return (
    Number(b.gate) - Number(a.gate) ||
    b.lost - a.lost ||
    a.rank - b.rank ||
    a.index - b.index
  );
}

/**
 * Scores check results; `definitionOf` gives each check's weight and gate
 * flag (a check without a definition is ignored).
 */
function scoreWith(
  checks: readonly CheckResult[],
  definitionOf: (
    check: CheckResult,
    index: number,
  ) => CheckDefinition | undefined,
  levels: ResolvedMeshReadinessConfig['levels'],
  minCoverage: number,
): EntityScore {
  let earned = 0;
  let possible = 0;
  let unknownWeight = 0;
  let hardCap = false;
  let softCap = false;
  const cappedBy: string[] = [];
  const missing: Missing[] = [];
  for (let index = 0; index < checks.length; index++) {
    const c = checks[index];
    const d = definitionOf(c, index);
    if (!d || c.status === 'not-applicable') {
      continue;
    }
    const weight = Math.max(0, d.weight);
    const share = EARN[c.status] ?? 0;
    possible += weight;
    earned += weight * share;
    if (c.status === 'unknown') {
      unknownWeight += weight;
    }
    const isMissing =
      c.status === 'fail' || c.status === 'invalid' || c.status === 'unknown';
    const gate = d.gate && isMissing;
    if (gate) {
      cappedBy.push(c.id);
      if (c.status === 'unknown') {
        softCap = true;
      } else {
        hardCap = true;
      }
    }
    const rank = MISSING_RANK[c.status];
    if (rank !== undefined && (weight > 0 || gate)) {
      missing.push({ id: c.id, gate, lost: weight * (1 - share), rank, index });
    }
  }
  const value = possible > 0 ? Math.round((100 * earned) / possible) : null;
  const coverage =
    possible > 0
      ? Math.round((100 * (possible - unknownWeight)) / possible) / 100
      : null;
  let level: ReadinessLevel | null =
    value === null ? null : levelForScore(value, levels);
  if (hardCap) {
    // A gate known to fail is a finding, however little else is known.
    level = 'not-ready';
  } else if (coverage !== null && coverage < minCoverage) {
    level = 'not-assessed';
  } else if (softCap && (level === 'production-ready' || level === 'optimal')) {
    level = 'pilot-ready';
  }
  return {
    score: value,
    coverage,
    level,
    earned,
    possible,
    cappedBy,
    topMissing: missing
      .sort(byImpact)
      .slice(0, TOP_MISSING)
      .map(m => m.id),
  };
}

/**
 * Scores check results. `definitions` gives each check's weight and gate
 * flag (checks without a definition are ignored). Below `minCoverage`
 * (0–1, default 0) the level is `not-assessed`, unless a gate check fails.
 * @public
 */
export function scoreChecks(
  checks: readonly CheckResult[],
  definitions: ReadonlyMap<string, CheckDefinition>,
  levels: ResolvedMeshReadinessConfig['levels'],
  minCoverage = 0,
): EntityScore {
  return scoreWith(checks, c => definitions.get(c.id), levels, minCoverage);
}

/**
 * Scores check results whose definitions are given by position:
 * `definitions[i]` is the definition of `checks[i]`, as the engine lays
 * them out.
 * @internal
 */
export function scoreInOrder(
  checks: readonly CheckResult[],
  definitions: readonly CheckDefinition[],
  levels: ResolvedMeshReadinessConfig['levels'],
  minCoverage: number,
): EntityScore {
  return scoreWith(checks, (_, i) => definitions[i], levels, minCoverage);
}
