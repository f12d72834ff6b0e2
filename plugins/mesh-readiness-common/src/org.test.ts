import type { Entity } from '@backstage/catalog-model';
import { buildCatalogContext, groupAncestors } from './context';
import { evaluateCatalog, listChecks } from './engine';
import { aggregateOrg, decideVerdict, orgVerdict } from './org';
import type { GateResult, MeshReadinessConfig } from './index';
import {
  baseOrg,
  component,
  group,
  READY,
  system,
  user,
} from './__testUtils__/entities';

const NOW = new Date('2026-06-01T00:00:00Z');
const P = 'mesh-readiness.io/';

function orgCatalog(): Entity[] {
  return [
    ...baseOrg().filter(e => e.metadata.name !== 'team-a'),
    group('eng', { children: ['team-a', 'team-b'] }),
    group('team-a', { parent: 'eng' }),
    group('team-b'), // linked only through eng's children
    group('sub-a', { parent: 'team-a' }),
    user('bob', ['sub-a']),
    system('shop', 'commerce'),
    system('loose'),
    component('svc1', READY, {
      owner: 'team-a',
      system: 'shop',
      dependsOn: ['resource:default/prod'],
    }),
    component(
      'svc2',
      { [`${P}tracing`]: 'none' },
      { owner: 'group:default/sub-a', system: 'shop' },
    ),
    component('svc3', READY, { owner: 'team-b', system: 'loose' }),
    component('svc4', {}, { owner: 'user:default/alice' }),
    component('mainframe', { [`${P}exclude`]: 'runs on a mainframe' }),
    component('lib', {}, { type: 'library' }),
  ];
}

describe('aggregateOrg', () => {
  const report = evaluateCatalog(orgCatalog(), { now: NOW });
  const org = report.org;

  it('counts entities, in-scope, excluded and problems', () => {
    // 6 Components, plus the platform Group and the cluster that carry annotations.
    expect(org.counts).toEqual({
      entities: 8,
      inScope: 4,
      excluded: 1,
      withProblems: 0,
    });
    expect(report.entities.find(e => e.name === 'lib')?.scopeReason).toMatch(
      /'library' is not a workload type/,
    );
    expect(report.entities.find(e => e.name === 'mainframe')?.scopeReason).toBe(
      'Excluded: runs on a mainframe',
    );
  });

  it('averages scores and distributes levels over in-scope services', () => {
    const scored = report.entities.filter(e => e.inScope);
    const mean = Math.round(
      scored.reduce((s, e) => s + e.score!, 0) / scored.length,
    );
    expect(org.score).toBe(mean);
    expect(Object.values(org.levels).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('rolls up owners through nested groups (parent and children links)', () => {
    const row = (key: string) => org.rollups.owner.find(r => r.key === key);
    expect(row('group:default/eng')?.services).toBe(3);
    expect(row('group:default/team-a')?.services).toBe(2);
    expect(row('group:default/sub-a')?.services).toBe(1);
    expect(row('group:default/team-b')?.services).toBe(1);
    expect(row('user:default/alice')?.services).toBe(1);
    expect(row('group:default/platform')).toBeUndefined();
  });

  it('rolls up systems and domains (system → domain)', () => {
    expect(org.rollups.system.map(r => [r.key, r.services])).toEqual([
      ['system:default/loose', 1],
      ['system:default/shop', 2],
    ]);
    expect(org.rollups.domain.map(r => [r.key, r.services])).toEqual([
      ['domain:default/commerce', 2],
    ]);
  });

  it('counts the most-missing prerequisites with titles, failing ones first', () => {
    const titles = new Map(listChecks().map(c => [c.id, c.title]));
    expect(org.mostMissing).toHaveLength(10);
    const servicesWith = (checkId: string, statuses: string[]) =>
      report.entities.filter(e =>
        e.checks.some(c => c.id === checkId && statuses.includes(c.status)),
      ).length;
    let previous = { failing: Infinity, count: Infinity };
    for (const m of org.mostMissing) {
      expect(m.failing).toBe(servicesWith(m.checkId, ['fail', 'invalid']));
      expect(m.unknown).toBe(servicesWith(m.checkId, ['unknown']));
      expect(m.count).toBe(m.failing! + m.unknown!);
      expect(m.title).toBe(titles.get(m.checkId));
      // Sorted by failing services, then by all.
      expect(
        m.failing! < previous.failing ||
          (m.failing === previous.failing && m.count <= previous.count),
      ).toBe(true);
      previous = { failing: m.failing!, count: m.count };
    }
    expect(org.mostMissing[0].failing).toBeGreaterThan(0);
    // retry-safety is unknown everywhere without the API analysis (as are
    // the checks that only manifests answer): after every failing check.
    const retry = org.mostMissing.find(m => m.checkId === 'retry-safety');
    expect(retry).toEqual({
      checkId: 'retry-safety',
      title: 'Provided APIs are safe to retry',
      count: 4,
      failing: 0,
      unknown: 4,
    });
  });

  it('gives the same org result from the tallies of a catalog evaluation as from its rows', () => {
    const context = buildCatalogContext(orgCatalog(), { now: NOW });
    const fromRows = aggregateOrg(report.entities, context, undefined, {
      now: NOW,
      checks: listChecks(),
    });
    expect(fromRows.mostMissing.length).toBeGreaterThan(1);
    expect(fromRows.rollups.owner.some(r => r.failing > 0)).toBe(true);
    expect(report.org).toEqual(fromRows);
  });

  it("decides each owner's verdict in the catalog pass as orgVerdict does over the owner's rows", () => {
    // team-b runs a PCI service needing workload identity; with one such
    // service need enough, team-b has a genuine need and the others not.
    const entities = [
      ...orgCatalog(),
      component(
        'payments',
        {
          ...READY,
          [`${P}compliance`]: 'pci',
          [`${P}mtls-requirement`]: 'workload-identity',
        },
        { owner: 'team-b' },
      ),
    ];
    const context = buildCatalogContext(entities, { now: NOW });
    const config = { thresholds: { complianceServices: 1 } };
    const pass = evaluateCatalog(entities, {
      now: NOW,
      config,
      verdictByOwner: true,
    });
    const owners = [
      ...new Set(
        pass.entities
          .filter(r => r.kind === 'Component' && r.owner)
          .map(r => r.owner!),
      ),
    ].sort();
    expect(owners.length).toBeGreaterThan(1);
    expect(Object.keys(pass.verdictByOwner!).sort()).toEqual(owners);
    for (const owner of owners) {
      expect(pass.verdictByOwner![owner]).toBe(
        orgVerdict(
          pass.entities.filter(r => r.owner === owner),
          context,
          config,
        ).verdict,
      );
    }
    // Owners are decided apart: not all alike, so the comparison can fail.
    expect(new Set(Object.values(pass.verdictByOwner!)).size).toBeGreaterThan(
      1,
    );
    expect(report.verdictByOwner).toBeUndefined();
  });

  it('recomputes everything for a subset of the results', () => {
    const context = buildCatalogContext(orgCatalog(), { now: NOW });
    const subset = report.entities.filter(
      e => e.name === 'svc1' || e.name === 'svc2',
    );
    const sub = aggregateOrg(subset, context);
    expect(sub.counts.inScope).toBe(2);
    expect(
      sub.rollups.owner.find(r => r.key === 'group:default/eng')?.services,
    ).toBe(2);
    expect(
      sub.rollups.owner.find(r => r.key === 'group:default/team-b'),
    ).toBeUndefined();
    const obs = sub.gates.find(g => g.id === 'observability')!;
    expect(obs.figures).toMatchObject({ full: 1, none: 1, services: 2 });
  });

  it('gives the same verdict alone as the whole org result, for any subset', () => {
    const context = buildCatalogContext(orgCatalog(), { now: NOW });
    const subsets = [
      report.entities,
      report.entities.filter(e => e.name === 'svc1' || e.name === 'svc2'),
      report.entities.filter(e => e.owner === 'group:default/team-b'),
      report.entities.filter(e => !e.inScope),
      [],
    ];
    const answers = new Set<string>();
    for (const subset of subsets) {
      const whole = aggregateOrg(subset, context);
      expect(orgVerdict(subset, context)).toEqual({
        verdict: whole.verdict,
        reasons: whole.verdictReasons,
      });
      answers.add(JSON.stringify(whole.verdictReasons));
    }
    // The subsets are decided for different reasons, so the comparison can fail.
    expect(answers.size).toBeGreaterThan(1);
  });

  it('survives cycles in the group hierarchy', () => {
    const context = buildCatalogContext([
      group('x', { parent: 'y' }),
      group('y', { parent: 'x', children: ['x'] }),
    ]);
    expect(groupAncestors(context, 'group:default/x')).toEqual([
      'group:default/y',
    ]);
  });
});

function gatesFor(entities: Entity[], config: MeshReadinessConfig = {}) {
  const { org } = evaluateCatalog(entities, { now: NOW, config });
  const gate = (id: string) => org.gates.find(g => g.id === id)!;
  return { org, gate };
}

const compliant = (
  name: string,
  extra: Record<string, string> = {},
  spec: Record<string, unknown> = {},
) =>
  component(
    name,
    {
      ...READY,
      [`${P}compliance`]: 'pci',
      [`${P}mtls-requirement`]: 'workload-identity',
      ...extra,
    },
    spec,
  );

describe('gates', () => {
  it.each<[string, Entity[], MeshReadinessConfig, string, RegExp]>([
    [
      'genuine-need passes on compliance across enough production services',
      [compliant('a'), compliant('b')],
      { thresholds: { complianceServices: 2 } },
      'pass',
      /2 production services require mTLS/,
    ],
    [
      'genuine-need ignores non-production services',
      [
        compliant('a', { [`${P}needs`]: 'mtls' }),
        compliant('b', {}, { lifecycle: 'experimental' }),
      ],
      { thresholds: { complianceServices: 2 } },
      'fail',
      /No genuine need: 1 of 1 production services declare their needs/,
    ],
    [
      'genuine-need passes on a mesh-only need',
      [component('a', { [`${P}needs`]: 'canary' })],
      {},
      'pass',
      /1 production service declares canary/,
    ],
    [
      'genuine-need is unknown when undeclared requirements could decide it',
      [compliant('a'), component('b', { [`${P}compliance`]: 'pci' })],
      { thresholds: { complianceServices: 2 } },
      'unknown',
      /do not declare mesh-readiness.io\/mtls-requirement/,
    ],
    [
      'genuine-need fails when enough production services declare no mesh need',
      [
        component('a', { ...READY, [`${P}needs`]: 'none' }),
        component('b', { ...READY, [`${P}needs`]: 'timeouts' }),
      ],
      {},
      'fail',
      /No genuine need: 2 of 2 production services declare their needs.*0 production services require mTLS for compliance \(50 needed\)/,
    ],
    [
      'genuine-need is unknown while too few production services declare their needs',
      [
        component('a', { ...READY, [`${P}needs`]: 'none' }),
        component('b', READY),
      ],
      {},
      'unknown',
      /1 of 2 production services declare no mesh-readiness.io\/needs \('none' counts\); 2 must/,
    ],
    [
      'genuine-need follows the configured share of declarations',
      [
        component('a', { ...READY, [`${P}needs`]: 'none' }),
        component('b', READY),
      ],
      { thresholds: { needsDeclared: 0.5 } },
      'fail',
      /No genuine need/,
    ],
    [
      'genuine-need is unknown without workloads',
      [],
      {},
      'unknown',
      /No in-scope workloads/,
    ],
  ])('%s', (_name, services, config, status, message) => {
    const g = gatesFor([...baseOrg(), ...services], config).gate(
      'genuine-need',
    );
    expect(g.status).toBe(status);
    expect(g.message).toMatch(message);
  });

  it.each<
    [
      string,
      Record<string, string> | undefined,
      MeshReadinessConfig,
      string,
      RegExp,
    ]
  >([
    [
      'pass with 2 engineers',
      { [`${P}platform-team`]: 'true', [`${P}mesh-engineers`]: '2' },
      {},
      'pass',
      /2 dedicated mesh engineers/,
    ],
    [
      'fail with 1 engineer',
      { [`${P}platform-team`]: 'true', [`${P}mesh-engineers`]: '1' },
      {},
      'fail',
      /has 1 dedicated mesh engineer; at least 2/,
    ],
    [
      'configurable threshold',
      { [`${P}platform-team`]: 'true', [`${P}mesh-engineers`]: '1' },
      { thresholds: { meshEngineers: 1 } },
      'pass',
      /threshold 1/,
    ],
    [
      'unknown engineers',
      { [`${P}platform-team`]: 'true' },
      {},
      'unknown',
      /mesh-engineers is not set/,
    ],
    [
      'invalid engineers',
      { [`${P}platform-team`]: 'true', [`${P}mesh-engineers`]: 'two' },
      {},
      'invalid',
      /malformed/,
    ],
    ['no platform team', undefined, {}, 'unknown', /No Group declares/],
  ])('platform-capacity: %s', (_name, annotations, config, status, message) => {
    const entities = [
      ...baseOrg().filter(e => e.metadata.name !== 'platform'),
      ...(annotations ? [group('platform', {}, annotations)] : []),
      component('a', READY),
    ];
    const g = gatesFor(entities, config).gate('platform-capacity');
    expect(g.status).toBe(status);
    expect(g.message).toMatch(message);
  });

  it.each<[string, string[], string, RegExp]>([
    [
      'all full',
      ['full', 'full', 'full', 'full', 'full'],
      'pass',
      /5 of 5 services \(100%\)/,
    ],
    [
      '4 of 5 full meets 80%',
      ['full', 'full', 'full', 'full', 'none'],
      'pass',
      /80%/,
    ],
    [
      'partial does not count',
      ['full', 'full', 'full', 'partial', 'partial'],
      'fail',
      /3 of 5 services \(60%\)/,
    ],
    [
      'unknown could tip it',
      ['full', 'full', 'full', '', ''],
      'unknown',
      /2 services do not declare/,
    ],
    [
      'too few even with unknowns',
      ['full', 'none', 'none', '', ''],
      'fail',
      /1 of 5/,
    ],
  ])('observability: %s', (_name, levels, status, message) => {
    const services = levels.map((t, i) =>
      component(`s${i}`, t ? { [`${P}tracing`]: t } : {}),
    );
    const g = gatesFor([...baseOrg(), ...services]).gate('observability');
    expect(g.status).toBe(status);
    expect(g.message).toMatch(message);
  });

  it('observability threshold is configurable', () => {
    const services = ['full', 'none'].map((t, i) =>
      component(`s${i}`, { [`${P}tracing`]: t }),
    );
    const g = gatesFor([...baseOrg(), ...services], {
      thresholds: { tracingCoverage: 0.5 },
    }).gate('observability');
    expect(g.status).toBe('pass');
    expect(g.figures).toMatchObject({ coverage: 0.5, threshold: 0.5 });
  });

  it('a disabled gate is left out of the verdict', () => {
    const { org } = gatesFor([...baseOrg(), component('a', READY)], {
      disabledChecks: ['genuine-need'],
    });
    expect(org.gates.map(g => g.id)).toEqual([
      'platform-capacity',
      'observability',
    ]);
    expect(org.verdict).toBe('ready');
  });
});

describe('verdict', () => {
  const gate = (id: string, status: GateResult['status']): GateResult => ({
    id,
    title: id,
    status,
    message: `${id} is ${status}`,
    figures: {},
    sources: [],
  });

  it.each<[string, GateResult['status'][], string]>([
    ['no need', ['fail', 'pass', 'pass'], 'not-needed'],
    ['need unknown', ['unknown', 'pass', 'pass'], 'undetermined'],
    [
      'need unknown, capacity failing',
      ['unknown', 'fail', 'pass'],
      'undetermined',
    ],
    ['need but no capacity', ['pass', 'fail', 'pass'], 'not-ready'],
    [
      'need but observability unknown',
      ['pass', 'pass', 'unknown'],
      'undetermined',
    ],
    [
      'need, capacity failing, observability unknown',
      ['pass', 'fail', 'unknown'],
      'not-ready',
    ],
    ['need but capacity invalid', ['pass', 'invalid', 'pass'], 'not-ready'],
    ['all pass', ['pass', 'pass', 'pass'], 'ready'],
  ])('%s → %s', (_name, statuses, verdict) => {
    const ids = ['genuine-need', 'platform-capacity', 'observability'];
    const result = decideVerdict(statuses.map((s, i) => gate(ids[i], s)));
    expect(result.verdict).toBe(verdict);
    expect(result.reasons.length).toBeGreaterThan(0);
  });

  it('names every blocking gate in the reasons', () => {
    const { reasons } = decideVerdict([
      gate('genuine-need', 'pass'),
      gate('platform-capacity', 'fail'),
      gate('observability', 'fail'),
    ]);
    expect(reasons).toEqual([
      'There is a genuine need: genuine-need is pass',
      'platform-capacity (fail): platform-capacity is fail',
      'observability (fail): observability is fail',
    ]);
  });

  it('is ready end to end when all gates pass', () => {
    const services = [1, 2].map(i => compliant(`s${i}`));
    const { org } = gatesFor([...baseOrg(), ...services], {
      thresholds: { complianceServices: 2 },
    });
    expect(org.gates.map(g => g.status)).toEqual(['pass', 'pass', 'pass']);
    expect(org.verdict).toBe('ready');
  });
});
