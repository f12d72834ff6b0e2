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

/**
 * Scores check results. `definitions` gives each check's weight and gate
 * flag (checks without a definition are ignored).
 * @public
 */
export function scoreChecks(
  checks: readonly CheckResult[],
  definitions: ReadonlyMap<string, CheckDefinition>,
  levels: ResolvedMeshReadinessConfig['levels'],
): EntityScore {
  let earned = 0;
  let possible = 0;
  let hardCap = false;
  let softCap = false;
  const cappedBy: string[] = [];
  const missing: Array<{ id: string; gate: boolean; lost: number; rank: number; order: number }> = [];
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i];
    const d = definitions.get(c.id);
    if (!d || c.status === 'not-applicable') {
      continue;
    }
    const weight = d.weight > 0 ? d.weight : 0;
    const share = EARN[c.status] ?? 0;
    possible += weight;
    earned += weight * share;
    const isMissingGate = d.gate && (c.status === 'fail' || c.status === 'invalid' || c.status === 'unknown');
    if (isMissingGate) {
      cappedBy.push(c.id);
      if (c.status === 'unknown') {
        softCap = true;
      } else {
        hardCap = true;
      }
    }
    const rank = MISSING_RANK[c.status];
    if (rank !== undefined && (weight > 0 || isMissingGate)) {
      missing.push({ id: c.id, gate: isMissingGate, lost: weight * (1 - share), rank, order: i });
    }
  }
  const score = possible > 0 ? Math.round((100 * earned) / possible) : null;
  let level: ReadinessLevel | null = score === null ? null : levelForScore(score, levels);
  if (level !== null) {
    if (hardCap) {
      level = 'not-ready';
    } else if (softCap && (level === 'production-ready' || level === 'optimal')) {
      level = 'pilot-ready';
    }
  } else if (hardCap) {
    level = 'not-ready';
  }
  missing.sort(
    (a, b) =>
      Number(b.gate) - Number(a.gate) ||
      b.lost - a.lost ||
      a.rank - b.rank ||
      a.order - b.order,
  );
  const topMissing: string[] = [];
  for (let i = 0; i < missing.length && i < TOP_MISSING; i++) {
    topMissing.push(missing[i].id);
  }
  return { score, level, earned, possible, cappedBy, topMissing };
}
