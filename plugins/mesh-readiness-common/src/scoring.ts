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

const SCRATCH = {
  index: new Int32Array(64),
  gate: new Uint8Array(64),
  lost: new Float64Array(64),
  rank: new Uint8Array(64),
  taken: new Uint8Array(64),
};

function growScratch() {
  const size = SCRATCH.index.length * 2;
  const grow = <T extends Int32Array | Uint8Array | Float64Array>(
    a: T,
    make: (n: number) => T,
  ): T => {
    const b = make(size);
    b.set(a as any);
    return b;
  };
  SCRATCH.index = grow(SCRATCH.index, n => new Int32Array(n));
  SCRATCH.gate = grow(SCRATCH.gate, n => new Uint8Array(n));
  SCRATCH.lost = grow(SCRATCH.lost, n => new Float64Array(n));
  SCRATCH.rank = grow(SCRATCH.rank, n => new Uint8Array(n));
  SCRATCH.taken = new Uint8Array(size);
}

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

/** The outcome of the last {@link scoreInto} (no object per entity). */
const LAST = {
  score: null as number | null,
  level: null as ReadinessLevel | null,
  earned: 0,
  possible: 0,
  cappedBy: undefined as string[] | undefined,
  /** A check failed or was invalid. */
  failing: false,
};

/** {@link scorePlanned}'s reused output. */
const PLANNED = {
  score: null as number | null,
  level: null as ReadinessLevel | null,
  topMissing: [] as string[],
  failing: false,
};

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
  const count = scoreInto(checks, undefined, definitions, levels);
  return {
    score: LAST.score,
    level: LAST.level,
    earned: LAST.earned,
    possible: LAST.possible,
    cappedBy: LAST.cappedBy ?? [],
    topMissing: pickTopMissing(
      checks,
      count,
      new Array(Math.min(TOP_MISSING, count)),
    ),
  };
}

/**
 * The engine's fast path: `definitions[i]` is the definition of
 * `checks[i]` (as the plan lays them out). Same rules as
 * {@link scoreChecks}. The returned object and its topMissing array are
 * reused: the next call overwrites them (copy what you keep).
 * @internal
 */
export function scorePlanned(
  checks: readonly CheckResult[],
  definitions: readonly CheckDefinition[],
  levels: ResolvedMeshReadinessConfig['levels'],
  missingBySlot?: number[],
): {
  score: number | null;
  level: ReadinessLevel | null;
  topMissing: string[];
  failing: boolean;
} {
  const count = scoreInto(
    checks,
    definitions,
    undefined,
    levels,
    missingBySlot,
  );
  const out = PLANNED;
  out.topMissing.length = Math.min(TOP_MISSING, count);
  pickTopMissing(checks, count, out.topMissing);
  out.score = LAST.score;
  out.level = LAST.level;
  out.failing = LAST.failing;
  return out;
}

/**
 * Scores into LAST and the candidate scratch arrays; returns the number of
 * topMissing candidates. Definitions come from `list[i]` when a list is
 * given, else from `byId`. With `missingBySlot`, counts each check that
 * is missing (fail, invalid, unknown) by position, for the org tally.
 */
function scoreInto(
  checks: readonly CheckResult[],
  list: readonly CheckDefinition[] | undefined,
  byId: ReadonlyMap<string, CheckDefinition> | undefined,
  levels: ResolvedMeshReadinessConfig['levels'],
  missingBySlot?: number[],
): number {
  let failing = false;
  let earned = 0;
  let possible = 0;
  let hardCap = false;
  let softCap = false;
  let cappedBy: string[] | undefined;
  // Candidates for topMissing, as indexes into scratch arrays (no per-check objects).
  let count = 0;
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i];
    const status = c.status;
    const d = list !== undefined ? list[i] : byId!.get(c.id);
    if (!d || status === 'not-applicable') {
      continue;
    }
    const weight = d.weight > 0 ? d.weight : 0;
    // The common statuses by comparison (constant strings), not by a keyed
    // lookup; anything else as the tables say.
    let share: number;
    let rank: number | undefined;
    let missing = false;
    if (status === 'pass' || status === 'waived') {
      share = 1;
      rank = undefined;
    } else if (status === 'fail') {
      share = 0;
      rank = 0;
      missing = true;
    } else if (status === 'warn') {
      share = 0.5;
      rank = 3;
    } else if (status === 'unknown') {
      share = 0;
      rank = 2;
      missing = true;
    } else if (status === 'invalid') {
      share = 0;
      rank = 1;
      missing = true;
    } else {
      share = EARN[status] ?? 0;
      rank = MISSING_RANK[status];
    }
    if (missing) {
      if (missingBySlot !== undefined) {
        missingBySlot[i]++;
      }
      if (status !== 'unknown') {
        failing = true;
      }
    }
    possible += weight;
    earned += weight * share;
    const isMissingGate = d.gate && missing;
    if (isMissingGate) {
      if (list === undefined) {
        // Only scoreChecks reports cappedBy.
        (cappedBy ??= []).push(c.id);
      }
      if (status === 'unknown') {
        softCap = true;
      } else {
        hardCap = true;
      }
    }
    if (rank !== undefined && (weight > 0 || isMissingGate)) {
      if (count === SCRATCH.index.length) {
        growScratch();
      }
      SCRATCH.index[count] = i;
      SCRATCH.gate[count] = isMissingGate ? 1 : 0;
      SCRATCH.lost[count] = weight * (1 - share);
      SCRATCH.rank[count] = rank;
      count++;
    }
  }
  const score = possible > 0 ? Math.round((100 * earned) / possible) : null;
  let level: ReadinessLevel | null =
    score === null ? null : levelForScore(score, levels);
  if (hardCap) {
    level = 'not-ready';
  } else if (softCap && (level === 'production-ready' || level === 'optimal')) {
    level = 'pilot-ready';
  }
  LAST.score = score;
  LAST.level = level;
  LAST.earned = earned;
  LAST.possible = possible;
  LAST.cappedBy = cappedBy;
  LAST.failing = failing;
  return count;
}

/** True when candidate a ranks before candidate b. */
function before(a: number, b: number): boolean {
  const s = SCRATCH;
  if (s.gate[a] !== s.gate[b]) {
    return s.gate[a] > s.gate[b];
  }
  if (s.lost[a] !== s.lost[b]) {
    return s.lost[a] > s.lost[b];
  }
  if (s.rank[a] !== s.rank[b]) {
    return s.rank[a] < s.rank[b];
  }
  return s.index[a] < s.index[b];
}

/** Selects the best TOP_MISSING candidates in order (partial selection sort). */
function pickTopMissing(
  checks: readonly CheckResult[],
  count: number,
  out: string[],
): string[] {
  const n = Math.min(TOP_MISSING, count);
  const taken = SCRATCH.taken;
  taken.fill(0, 0, count);
  for (let k = 0; k < n; k++) {
    let best = -1;
    for (let j = 0; j < count; j++) {
      if (!taken[j] && (best < 0 || before(j, best))) {
        best = j;
      }
    }
    taken[best] = 1;
    out[k] = checks[SCRATCH.index[best]].id;
  }
  return out;
}
