import fc from 'fast-check';
import { resolveConfig } from './config';
import { levelForScore, scoreChecks } from './scoring';
import type { CheckDefinition, CheckResult, CheckStatus } from './types';
import { CHECK_STATUSES } from './types';

const LEVELS = resolveConfig().levels;

function def(id: string, weight: number, gate = false): CheckDefinition {
  return {
    id,
    title: id,
    category: 'workload',
    scope: 'entity',
    appliesTo: 'workloads',
    weight,
    gate,
    rationale: '',
    remediation: '',
    sources: [],
  };
}

const DEFS = new Map<string, CheckDefinition>([
  ['a', def('a', 3)],
  ['b', def('b', 2)],
  ['c', def('c', 1)],
  ['g', def('g', 3, true)],
  ['info', def('info', 0)],
]);

function results(statuses: Record<string, CheckStatus>): CheckResult[] {
  return Object.entries(statuses).map(([id, status]) => ({
    id,
    status,
    message: '',
  }));
}

describe('scoreChecks', () => {
  it.each<[string, Record<string, CheckStatus>, number | null]>([
    ['all pass', { a: 'pass', b: 'pass', c: 'pass', g: 'pass' }, 100],
    [
      'warn earns half',
      { a: 'warn', b: 'pass', c: 'pass', g: 'pass' },
      Math.round((100 * 7.5) / 9),
    ],
    [
      'waived counts as pass',
      { a: 'waived', b: 'pass', c: 'pass', g: 'pass' },
      100,
    ],
    [
      'unknown earns nothing',
      { a: 'unknown', b: 'pass', c: 'pass', g: 'pass' },
      67,
    ],
    [
      'invalid earns nothing',
      { a: 'invalid', b: 'pass', c: 'pass', g: 'pass' },
      67,
    ],
    ['fail earns nothing', { a: 'fail', b: 'pass', c: 'pass', g: 'pass' }, 67],
    [
      'not-applicable is left out',
      { a: 'not-applicable', b: 'pass', c: 'pass', g: 'pass' },
      100,
    ],
    ['weight-0 checks do not count', { a: 'pass', info: 'fail' }, 100],
    ['nothing applicable', { a: 'not-applicable', info: 'pass' }, null],
    ['unknown check ids are ignored', { a: 'pass', zzz: 'fail' }, 100],
  ])('%s', (_name, statuses, expected) => {
    expect(scoreChecks(results(statuses), DEFS, LEVELS).score).toBe(expected);
  });

  it.each<[number, string]>([
    [0, 'not-ready'],
    [59, 'not-ready'],
    [60, 'pilot-ready'],
    [84, 'pilot-ready'],
    [85, 'production-ready'],
    [94, 'production-ready'],
    [95, 'optimal'],
    [100, 'optimal'],
  ])('score %d → %s with the default thresholds', (score, level) => {
    expect(levelForScore(score, LEVELS)).toBe(level);
  });

  it('uses configured thresholds', () => {
    const levels = resolveConfig({
      levels: { pilot: 10, production: 20, optimal: 30 },
    }).levels;
    expect(levelForScore(25, levels)).toBe('production-ready');
  });

  it('caps the level at not-ready when a gate fails or is invalid', () => {
    for (const status of ['fail', 'invalid'] as const) {
      const s = scoreChecks(
        results({ a: 'pass', b: 'pass', c: 'pass', g: status }),
        new Map([...DEFS, ['g', def('g', 0.1, true)]]),
        LEVELS,
      );
      expect(s.score).toBeGreaterThanOrEqual(95);
      expect(s.level).toBe('not-ready');
      expect(s.cappedBy).toEqual(['g']);
    }
  });

  it('caps the level at pilot-ready when a gate is unknown', () => {
    const s = scoreChecks(
      results({ a: 'pass', b: 'pass', c: 'pass', g: 'unknown' }),
      new Map([...DEFS, ['g', def('g', 0.1, true)]]),
      LEVELS,
    );
    expect(s.score).toBeGreaterThanOrEqual(95);
    expect(s.level).toBe('pilot-ready');
  });

  it('does not cap for a waived or warning gate', () => {
    expect(
      scoreChecks(results({ a: 'pass', g: 'waived' }), DEFS, LEVELS).level,
    ).toBe('optimal');
    expect(
      scoreChecks(
        results({ a: 'pass', b: 'pass', c: 'pass', g: 'warn' }),
        DEFS,
        LEVELS,
      ).cappedBy,
    ).toEqual([]);
  });

  it('lists top missing checks: gates first, then by points lost', () => {
    const s = scoreChecks(
      results({
        c: 'fail',
        a: 'warn',
        b: 'unknown',
        g: 'unknown',
        info: 'fail',
      }),
      DEFS,
      LEVELS,
    );
    expect(s.topMissing).toEqual(['g', 'b', 'a', 'c']);
  });

  const statusArb = fc.constantFrom(...CHECK_STATUSES);
  const checksArb = fc.array(
    fc.record({
      weight: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 100 }).map(n => n / 10),
      ),
      gate: fc.boolean(),
      status: statusArb,
    }),
    { maxLength: 25 },
  );

  function build(
    list: Array<{ weight: number; gate: boolean; status: CheckStatus }>,
  ) {
    const defs = new Map<string, CheckDefinition>();
    const checks: CheckResult[] = [];
    list.forEach((c, i) => {
      defs.set(`c${i}`, def(`c${i}`, c.weight, c.gate));
      checks.push({ id: `c${i}`, status: c.status, message: '' });
    });
    return { defs, checks };
  }

  it('property: the score is always within 0–100, or null when nothing counts', () => {
    // fc.assert throws with the shrunk counterexample when the property fails.
    expect(() =>
      fc.assert(
        fc.property(checksArb, list => {
          const { defs, checks } = build(list);
          const s = scoreChecks(checks, defs, LEVELS);
          // fast-check fails the property when the predicate returns false.
          return s.score === null
            ? s.possible === 0
            : Number.isInteger(s.score) && s.score >= 0 && s.score <= 100;
        }),
      ),
    ).not.toThrow();
  });

  it('property: unknown never earns like pass, and turning it into pass never lowers the score', () => {
    // fc.assert throws with the shrunk counterexample when the property fails.
    expect(() =>
      fc.assert(
        fc.property(checksArb, fc.nat(), (list, pick) => {
          fc.pre(list.length > 0);
          const i = pick % list.length;
          const asUnknown = list.map((c, j) =>
            j === i ? { ...c, status: 'unknown' as const } : c,
          );
          const asPass = list.map((c, j) =>
            j === i ? { ...c, status: 'pass' as const } : c,
          );
          const u = build(asUnknown);
          const p = build(asPass);
          const su = scoreChecks(u.checks, u.defs, LEVELS);
          const sp = scoreChecks(p.checks, p.defs, LEVELS);
          const earnsLess =
            list[i].weight > 0 ? su.earned < sp.earned : su.earned <= sp.earned;
          const scoresNoHigher =
            su.score === null || sp.score === null || sp.score >= su.score;
          return earnsLess && scoresNoHigher;
        }),
      ),
    ).not.toThrow();
  });

  it('property: making a failing check pass never lowers the score or the level', () => {
    const rank = ['not-ready', 'pilot-ready', 'production-ready', 'optimal'];
    // fc.assert throws with the shrunk counterexample when the property fails.
    expect(() =>
      fc.assert(
        fc.property(checksArb, fc.nat(), (list, pick) => {
          const failing = list
            .map((c, i) => [c, i] as const)
            .filter(([c]) => c.status === 'fail');
          fc.pre(failing.length > 0);
          const i = failing[pick % failing.length][1];
          const before = build(list);
          const after = build(
            list.map((c, j) =>
              j === i ? { ...c, status: 'pass' as const } : c,
            ),
          );
          const sb = scoreChecks(before.checks, before.defs, LEVELS);
          const sa = scoreChecks(after.checks, after.defs, LEVELS);
          return (
            sb.score === null ||
            (sa.score! >= sb.score &&
              rank.indexOf(sa.level!) >= rank.indexOf(sb.level!))
          );
        }),
      ),
    ).not.toThrow();
  });
});
