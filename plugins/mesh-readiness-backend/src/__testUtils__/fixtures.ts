import type {
  EntityResult,
  OrgResult,
  ReadinessLevel,
} from '@mesh-readiness/plugin-mesh-readiness-common';

/** A hand-written entity result, for store tests that need no model. */
export function entityResult(
  name: string,
  overrides: Partial<EntityResult> = {},
): EntityResult {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-a',
    system: 'system:default/shop',
    domain: 'domain:default/retail',
    inScope: true,
    score: 50,
    // owner and tracing known, protocols unknown.
    coverage: 0.67,
    level: 'not-ready',
    checks: [
      { id: 'owner', status: 'pass', message: 'Owned by team-a.' },
      { id: 'tracing', status: 'fail', message: 'No tracing.' },
      { id: 'protocols', status: 'unknown', message: 'No ports declared.' },
    ],
    problems: [],
    waivers: [],
    topMissing: ['tracing'],
    ...overrides,
  };
}

function levels(
  counts: Partial<Record<ReadinessLevel, number>> = {},
): Record<ReadinessLevel, number> {
  return {
    'not-assessed': 0,
    'not-ready': 0,
    'pilot-ready': 0,
    'production-ready': 0,
    optimal: 0,
    ...counts,
  };
}

/** A hand-written org result. */
export function orgResult(overrides: Partial<OrgResult> = {}): OrgResult {
  return {
    generatedAt: '2025-01-01T00:00:00.000Z',
    counts: { entities: 3, inScope: 3, excluded: 0, withProblems: 0 },
    score: 61,
    coverage: 0.67,
    levels: levels({ 'not-ready': 2, 'pilot-ready': 1 }),
    mostMissing: [{ checkId: 'tracing', title: 'Tracing', count: 2 }],
    rollups: { owner: [], system: [], domain: [] },
    gates: [],
    verdict: 'not-ready',
    verdictReasons: ['Tracing coverage is too low.'],
    recommendation: {
      mesh: 'none',
      reasons: [],
      caveats: [],
      sources: [],
      alternatives: [],
    },
    cost: [],
    retryRisk: { services: 0, operations: 0 },
    ...overrides,
  };
}

export { levels };
