import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_KEYS } from './annotations';
import { buildCatalogContext } from './context';
import {
  evaluateCatalog,
  evaluateEntity,
  listChecks,
  startCatalogEvaluation,
} from './engine';
import type { CustomCheck, RetrySafetyEvaluator } from './checks/types';
import type { CheckDefinition, MeshOption } from './types';
import { MESH_OPTIONS } from './types';
import { baseOrg, component, READY } from './__testUtils__/entities';

const NOW = new Date('2026-06-01T00:00:00Z');
const P = 'mesh-readiness.io/';

function customDefinition(id: string, weight = 2): CheckDefinition {
  return {
    id,
    title: `Custom ${id}`,
    category: 'workload',
    scope: 'entity',
    appliesTo: 'workloads',
    weight,
    gate: false,
    rationale: 'a custom check for tests',
    remediation: 'fix it',
    sources: [{ title: 'x', url: 'https://example.org' }],
  };
}

function one(
  entities: Entity[],
  name: string,
  options: Parameters<typeof evaluateCatalog>[1] = {},
) {
  const report = evaluateCatalog(entities, { now: NOW, ...options });
  const entity = report.entities.find(e => e.name === name)!;
  return {
    report,
    entity,
    check: (id: string) => entity.checks.find(c => c.id === id),
  };
}

describe('evaluateCatalog', () => {
  it('reports Components and annotated Groups/clusters, not Users or APIs', () => {
    const report = evaluateCatalog(
      [
        ...baseOrg(),
        component('a'),
        { apiVersion: 'v1', kind: 'API', metadata: { name: 'api' }, spec: {} },
      ],
      { now: NOW },
    );
    expect(report.entities.map(e => e.entityRef)).toEqual([
      'group:default/platform',
      'resource:default/prod',
      'component:default/a',
    ]);
    expect(report.org.generatedAt).toBe('2026-06-01T00:00:00.000Z');
  });

  it('fills the entity row: refs, owner, system, domain, scope', () => {
    const { entity } = one(
      [
        component(
          'a',
          READY,
          { system: 'shop' },
          { namespace: 'Prod', title: 'A service' },
        ),
        {
          apiVersion: 'v1',
          kind: 'System',
          metadata: { name: 'shop', namespace: 'prod' },
          spec: { domain: 'commerce' },
        },
      ],
      'a',
    );
    expect(entity).toMatchObject({
      entityRef: 'component:prod/a',
      kind: 'Component',
      namespace: 'Prod',
      name: 'a',
      title: 'A service',
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
      system: 'system:prod/shop',
      domain: 'domain:prod/commerce',
      inScope: true,
    });
    expect(entity.score).not.toBeNull();
  });

  it('produces JSON-safe output', () => {
    const report = evaluateCatalog([...baseOrg(), component('a', READY)], {
      now: NOW,
    });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('applies weights and disabled checks from the configuration', () => {
    const entities = [
      ...baseOrg(),
      component(
        'a',
        { ...READY, [`${P}tracing`]: 'none' },
        { dependsOn: ['resource:default/prod'] },
      ),
    ];
    const base = one(entities, 'a').entity;
    const heavier = one(entities, 'a', {
      config: { weights: { tracing: 30 } },
    }).entity;
    expect(heavier.score!).toBeLessThan(base.score!);
    const disabled = one(entities, 'a', {
      config: { disabledChecks: ['tracing'] },
    });
    expect(disabled.check('tracing')).toBeUndefined();
    expect(disabled.entity.score!).toBeGreaterThan(base.score!);
    expect(
      listChecks({ disabledChecks: ['tracing'] }).map(c => c.id),
    ).not.toContain('tracing');
    expect(
      listChecks({ weights: { tracing: 7 } }).find(c => c.id === 'tracing')
        ?.weight,
    ).toBe(7);
  });

  it('throws on invalid configuration, naming the key', () => {
    expect(() =>
      evaluateCatalog([], { config: { thresholds: { tracingCoverage: 3 } } }),
    ).toThrow(
      'meshReadiness.thresholds.tracingCoverage must be between 0 and 1, got 3',
    );
  });
});

describe('waivers', () => {
  const entities = (annotations: Record<string, string>) => [
    ...baseOrg(),
    component(
      'a',
      { ...READY, ...annotations },
      { dependsOn: ['resource:default/prod'] },
    ),
  ];

  it('waives a failing check until its date, showing reason and end', () => {
    const { check, entity } = one(
      entities({
        [`${P}run-as-uid`]: '1337',
        [`${P}waive.proxy-uid`]: '2027-03-31 vendor image; JIRA-412',
      }),
      'a',
      { config: { thresholds: { l7NeedServices: 0 } } },
    );
    const c = check('proxy-uid')!;
    expect(c.status).toBe('waived');
    expect(c.message).toMatch(
      /^Waived until 2027-03-31: vendor image; JIRA-412 \(otherwise (fail|warn): /,
    );
    expect(c.waiver).toEqual({
      checkId: 'proxy-uid',
      until: '2027-03-31',
      reason: 'vendor image; JIRA-412',
      expired: false,
    });
    expect(c.fixYaml).toBeUndefined();
    expect(entity.waivers).toHaveLength(1);
    expect(entity.problems).toEqual([]);
  });

  it('ignores and flags an expired waiver', () => {
    const { check, entity } = one(
      entities({
        [`${P}tracing`]: 'none',
        [`${P}waive.tracing`]: '2025-01-31 SDK upgrade',
      }),
      'a',
    );
    const c = check('tracing')!;
    expect(c.status).toBe('fail');
    expect(c.waiver?.expired).toBe(true);
    expect(c.message).toMatch(/A waiver expired on 2025-01-31 and is ignored/);
    expect(entity.problems[0].message).toMatch(/expired on 2025-01-31/);
  });

  it('keeps a passing check passing and notes the waiver is no longer needed', () => {
    const c = one(
      entities({ [`${P}waive.tracing`]: '2027-01-01 SDK' }),
      'a',
    ).check('tracing')!;
    expect(c.status).toBe('pass');
    expect(c.message).toMatch(/no longer needed/);
  });

  it('does not apply a malformed waiver', () => {
    const { check, entity } = one(
      entities({
        [`${P}tracing`]: 'none',
        [`${P}waive.tracing`]: 'next quarter',
      }),
      'a',
    );
    expect(check('tracing')!.status).toBe('fail');
    expect(entity.problems[0].key).toBe('mesh-readiness.io/waive.tracing');
  });
});

describe('custom checks', () => {
  const custom: CustomCheck = {
    definition: customDefinition('has-runbook'),
    evaluate: entity =>
      (entity.metadata.annotations ?? {})['example.com/runbook']
        ? { status: 'pass', message: 'Runbook linked.' }
        : { status: 'fail', message: 'No runbook.' },
  };

  it('runs, scores and lists a custom check, and accepts waivers for it', () => {
    const { check, entity } = one(
      [component('a', { [`${P}waive.has-runbook`]: '2027-01-01 writing it' })],
      'a',
      { customChecks: [custom] },
    );
    expect(check('has-runbook')).toMatchObject({ status: 'waived' });
    expect(entity.problems).toEqual([]);
    expect(listChecks({}, [custom]).map(c => c.id)).toContain('has-runbook');
  });

  it('turns a throwing or malformed custom check into unknown, never a crash', () => {
    const throwing: CustomCheck = {
      definition: customDefinition('throws'),
      evaluate: () => {
        throw new Error('kaboom');
      },
    };
    const malformed: CustomCheck = {
      definition: customDefinition('malformed'),
      evaluate: () => ({ status: 'great' } as any),
    };
    const { check } = one([component('a')], 'a', {
      customChecks: [throwing, malformed],
    });
    expect(check('throws')).toEqual({
      id: 'throws',
      status: 'unknown',
      message: 'The check could not be evaluated: kaboom',
    });
    expect(check('malformed')?.status).toBe('unknown');
  });

  it('rejects a custom check that reuses an id', () => {
    const clash: CustomCheck = {
      definition: customDefinition('tracing'),
      evaluate: () => ({ status: 'pass', message: '' }),
    };
    expect(() => listChecks({}, [clash])).toThrow(
      "Custom mesh-readiness check id 'tracing' is already in use",
    );
  });
});

describe('the retry-safety seam', () => {
  it('passes the provided API refs, the analyses and the recommended mesh', () => {
    const calls: unknown[][] = [];
    const analyses = new Map<string, unknown>([
      ['api:default/payments', { ok: true }],
    ]);
    const seam: RetrySafetyEvaluator = (entity, refs, a, mesh) => {
      calls.push([entity.metadata.name, refs, a, mesh]);
      return {
        status: 'fail',
        message: 'POST /payments is retried',
        operations: [
          {
            api: 'api:default/payments',
            operation: 'POST /payments',
            idempotent: false,
            retrySafe: false,
            reason: 'no key',
          },
          {
            api: 'api:default/payments',
            operation: 'GET /payments',
            idempotent: true,
            retrySafe: true,
            reason: 'GET',
          },
        ],
      };
    };
    const { check, report } = one(
      [
        component(
          'a',
          {},
          { providesApis: ['payments', 'api:other/x', 'other/api:x', 7] },
        ),
      ],
      'a',
      { retrySafety: seam, apiAnalyses: analyses },
    );
    // Nothing declares a need, so no mesh is decided: every candidate's
    // default retries are checked, and the risk is a warning, not hidden.
    const refs = ['api:default/payments', 'api:other/x'];
    expect(calls).toEqual(
      ['istio-sidecar', 'istio-ambient', 'linkerd', 'cilium'].map(mesh => [
        'a',
        refs,
        analyses,
        mesh,
      ]),
    );
    expect(report.org.verdict).toBe('undetermined');
    expect(check('retry-safety')).toMatchObject({
      status: 'warn',
      message:
        'If Istio (sidecars) or Istio ambient or Linkerd or Cilium were adopted: POST /payments is retried',
      assumption: expect.stringMatching(/^No mesh is decided yet/),
    });
    expect(check('retry-safety')?.operations).toHaveLength(2);
    expect(report.org.retryRisk).toEqual({ services: 1, operations: 1 });
  });

  it("answers mesh-dependent checks with each entity's own data, once the mesh is decided", () => {
    const calls: Array<[string, string[], string]> = [];
    const seam: RetrySafetyEvaluator = (entity, refs, _a, mesh) => {
      calls.push([entity.metadata.name, refs, mesh]);
      return { status: 'pass', message: `${entity.metadata.name} is safe` };
    };
    const entities = [
      component(
        'istio-uid',
        { 'mesh-readiness.io/run-as-uid': '1337' },
        { providesApis: ['orders'] },
      ),
      component(
        'linkerd-uid',
        { 'mesh-readiness.io/run-as-uid': '2102' },
        { providesApis: ['billing'] },
      ),
      component('plain', {
        'mesh-readiness.io/run-as-uid': '1000',
        'mesh-readiness.io/needs': 'canary',
      }),
    ];
    const report = evaluateCatalog(entities, { retrySafety: seam });
    expect(report.org.recommendation.basis).toBe('decided');
    const mesh = report.org.recommendation.mesh;
    const row = (name: string) => report.entities.find(e => e.name === name)!;
    const check = (name: string, id: string) =>
      row(name).checks.find(c => c.id === id)!;

    // Every entity is answered under the decided mesh, with its own data,
    // even though the engine reuses one check input from entity to entity.
    expect(calls).toEqual([
      ['istio-uid', ['api:default/orders'], mesh],
      ['linkerd-uid', ['api:default/billing'], mesh],
      ['plain', [], mesh],
    ]);
    expect(check('istio-uid', 'retry-safety').message).toBe(
      'istio-uid is safe',
    );
    expect(check('istio-uid', 'proxy-uid').message).toContain('UID 1337');
    expect(check('linkerd-uid', 'proxy-uid').message).toContain('UID 2102');
    // The same as scoring each entity alone under that mesh.
    const context = buildCatalogContext(entities);
    for (const e of report.entities) {
      const alone = evaluateEntity(context.getEntity(e.entityRef)!, context, {
        recommendedMesh: mesh,
      });
      expect(e.checks.find(c => c.id === 'proxy-uid')).toEqual(
        alone.checks.find(c => c.id === 'proxy-uid'),
      );
    }
    expect(row('istio-uid').score).not.toBeNull();
  });

  it('reports unknown when the analysis is not wired or throws', () => {
    expect(one([component('a')], 'a').check('retry-safety')).toMatchObject({
      id: 'retry-safety',
      status: 'unknown',
      message: 'API analysis not run, so retry safety is unknown.',
    });
    const throwing: RetrySafetyEvaluator = () => {
      throw new Error('bad proto');
    };
    const c = one([component('a')], 'a', { retrySafety: throwing }).check(
      'retry-safety',
    );
    expect(c).toMatchObject({
      status: 'unknown',
      message: 'The check could not be evaluated: bad proto',
    });
  });
});

describe('robustness', () => {
  it('one broken entity never breaks the others or the org', () => {
    const entities = [
      null,
      42,
      { kind: 'Component' },
      {
        kind: 'Component',
        metadata: { name: 'weird', annotations: 'x', tags: 7 },
        spec: 'nope',
      },
      {
        kind: 'Component',
        metadata: { name: 'deps' },
        spec: {
          type: 'service',
          dependsOn: 'resource:x',
          providesApis: 5,
          owner: 42,
        },
      },
      component('fine', READY),
    ] as unknown as Entity[];
    const report = evaluateCatalog(entities, { now: NOW });
    expect(report.entities.find(e => e.name === 'fine')?.inScope).toBe(true);
    expect(report.entities.find(e => e.name === 'deps')?.inScope).toBe(true);
    expect(report.org.counts.inScope).toBe(2);
  });

  it('an entity that throws when read gets a broken row (a context entity is left out), and the others and the org are scored without it', () => {
    const hostile = { kind: 'Component', spec: { type: 'service' } };
    Object.defineProperty(hostile, 'metadata', {
      enumerable: true,
      get() {
        throw new Error('no metadata for you');
      },
    });
    const hostileGroup = { kind: 'Group', metadata: { name: 'ghost' } };
    Object.defineProperty(hostileGroup, 'spec', {
      enumerable: true,
      get() {
        throw new Error('no spec either');
      },
    });
    const entities = [
      ...baseOrg(),
      hostileGroup,
      hostile,
      component('fine', READY),
    ] as unknown as Entity[];
    const report = evaluateCatalog(entities, { now: NOW });
    const fine = report.entities.find(e => e.name === 'fine');
    expect(fine?.inScope).toBe(true);
    expect(fine?.score).toBe(
      evaluateCatalog([...baseOrg(), component('fine', READY)], {
        now: NOW,
      }).entities.find(e => e.name === 'fine')?.score,
    );
    const broken = report.entities.filter(
      e => e.scopeReason === 'The entity could not be evaluated.',
    );
    expect(broken).toHaveLength(1);
    expect(broken[0].kind).toBe('Component');
    expect(broken[0].problems[0].message).toContain('no metadata for you');
    expect(report.org.counts.inScope).toBe(1);
  });

  it.each(
    [
      'Component',
      'Group',
      'User',
      'System',
      'Domain',
      'Resource',
      'API',
    ].flatMap(kind => ['kind', 'metadata', 'spec'].map(field => [kind, field])),
  )(
    'a %s whose %s throws when read leaves the others scored',
    (kind, field) => {
      const hostile: Record<string, unknown> = {
        kind,
        metadata: { name: 'hostile' },
        spec: { type: 'kubernetes-cluster' },
      };
      Object.defineProperty(hostile, field, {
        enumerable: true,
        get() {
          throw new Error(`no ${field}`);
        },
      });
      const report = evaluateCatalog(
        [
          ...baseOrg(),
          hostile,
          component('fine', READY),
        ] as unknown as Entity[],
        { now: NOW },
      );
      expect(report.entities.find(e => e.name === 'fine')?.inScope).toBe(true);
      expect(report.org.counts.inScope).toBe(1);
    },
  );

  it('evaluateEntity computes the recommended mesh from the context when not given', () => {
    const entities = [
      ...baseOrg(),
      component(
        'a',
        { ...READY, [`${P}run-as-uid`]: '2102', [`${P}needs`]: 'canary' },
        { dependsOn: ['resource:default/prod'] },
      ),
    ];
    const context = buildCatalogContext(entities, { now: NOW });
    const result = evaluateEntity(entities[entities.length - 1], context);
    // Linkerd fits the canary need on Kubernetes 1.31, so UID 2102 clashes with the recommendation.
    expect(result.checks.find(c => c.id === 'proxy-uid')?.status).toBe('fail');
  });

  const annotationArb = fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        ...ANNOTATION_KEYS,
        `${P}waive.tracing`,
        `${P}waive.nope`,
      ),
      fc.string(),
    ),
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.constantFrom(
        'full',
        '8080/http, 5432/postgres',
        '1337',
        'true',
        '2020-01-01 x',
      ),
    ),
    { maxKeys: 10 },
  );
  const entityArb = fc.record({
    kind: fc.constantFrom(
      'Component',
      'Group',
      'Resource',
      'System',
      'User',
      'component',
    ),
    metadata: fc.record({
      name: fc.oneof(
        fc.string({ minLength: 1, maxLength: 10 }),
        fc.constant(undefined),
      ),
      namespace: fc.oneof(
        fc.constant(undefined),
        fc.constantFrom('default', 'x'),
      ),
      annotations: fc.oneof(annotationArb, fc.anything()),
      tags: fc.oneof(fc.array(fc.string()), fc.anything()),
    }),
    spec: fc.oneof(
      fc.record({
        type: fc.constantFrom(
          'service',
          'job',
          'library',
          'kubernetes-cluster',
          undefined as any,
        ),
        lifecycle: fc.constantFrom(
          'production',
          'experimental',
          undefined as any,
        ),
        owner: fc.oneof(
          fc.string(),
          fc.constant('group:default/team-a'),
          fc.anything(),
        ),
        dependsOn: fc.oneof(fc.array(fc.string()), fc.anything()),
        parent: fc.anything(),
        children: fc.anything(),
        providesApis: fc.anything(),
      }),
      fc.anything(),
    ),
  });

  it('property: never throws, scores stay within 0–100, every invalid key yields a message', () => {
    // fc.assert throws with the shrunk counterexample when the property fails.
    expect(() =>
      fc.assert(
        fc.property(fc.array(entityArb, { maxLength: 12 }), entities => {
          const report = evaluateCatalog(entities as unknown as Entity[], {
            now: NOW,
          });
          const inRange = (n: number | null) =>
            n === null || (n >= 0 && n <= 100);
          return (
            report.entities.every(
              e =>
                inRange(e.score) &&
                e.checks.every(
                  c => c.status !== 'invalid' || c.message.length > 0,
                ) &&
                e.problems.every(p => p.message.includes(p.key)),
            ) && inRange(report.org.score)
          );
        }),
        { numRuns: 200 },
      ),
    ).not.toThrow();
  });
});

describe('startCatalogEvaluation', () => {
  /** The demo catalog, read as the CLI reads it (API definitions aside). */
  function demoCatalog(): Entity[] {
    const root = path.resolve(__dirname, '../../../examples');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(dir).sort()) {
        const full = path.join(dir, name);
        if (fs.statSync(full).isDirectory()) {
          walk(full);
        } else if (name.endsWith('.yaml')) {
          files.push(full);
        }
      }
    };
    walk(root);
    const out: Entity[] = [];
    for (const file of files) {
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const value = doc.toJS();
        if (value && value.kind && value.kind !== 'Location') {
          out.push(value);
        }
      }
    }
    return out;
  }

  const isComponent = (e: Entity) => e.kind === 'Component';

  it('gives the report evaluateCatalog gives, however the components arrive in parts', () => {
    const catalog = demoCatalog();
    const context = catalog.filter(e => !isComponent(e));
    const components = catalog.filter(isComponent);
    expect(components.length).toBeGreaterThan(10);
    const options = {
      now: NOW,
      verdictByOwner: true,
      retrySafety: (() => ({
        status: 'unknown',
        message: 'seam',
      })) as RetrySafetyEvaluator,
    };
    const whole = evaluateCatalog([...context, ...components], options);
    for (const size of [1, 4, components.length]) {
      const evaluation = startCatalogEvaluation(context, options);
      evaluation.add(context);
      for (let i = 0; i < components.length; i += size) {
        evaluation.add(components.slice(i, i + size));
      }
      expect(evaluation.finish()).toEqual(whole);
    }
  });

  it('gives the same report whatever mesh it is told to expect', () => {
    const catalog = demoCatalog();
    const context = catalog.filter(e => !isComponent(e));
    const components = catalog.filter(isComponent);
    const options = { now: NOW, verdictByOwner: true };
    const whole = evaluateCatalog([...context, ...components], options);
    expect(whole.org.recommendation.mesh).toBeDefined();
    for (const expectedMesh of [...MESH_OPTIONS, 'envoy' as MeshOption]) {
      const evaluation = startCatalogEvaluation(context, {
        ...options,
        expectedMesh,
      });
      evaluation.add(context);
      for (let i = 0; i < components.length; i += 3) {
        evaluation.add(components.slice(i, i + 3));
      }
      expect(evaluation.finish()).toEqual(whole);
    }
  });

  it('lets a custom check look up entities added in earlier parts', () => {
    const seen: Array<string | undefined> = [];
    const lookup: CustomCheck = {
      definition: customDefinition('peer-known'),
      evaluate(entity, context) {
        const peer = (entity.spec as any)?.peer;
        seen.push(
          context.getEntity(`component:default/${peer}`)?.metadata.name,
        );
        return { status: 'pass', message: 'looked up' };
      },
    };
    const evaluation = startCatalogEvaluation(baseOrg(), {
      now: NOW,
      customChecks: [lookup],
    });
    evaluation.add([component('first', READY, { peer: 'none' })]);
    evaluation.add([component('second', READY, { peer: 'first' })]);
    const report = evaluation.finish();
    expect(seen).toEqual([undefined, 'first']);
    expect(report.entities.map(e => e.name)).toEqual(['first', 'second']);
  });

  it('refuses parts after the report is out', () => {
    const evaluation = startCatalogEvaluation(baseOrg(), { now: NOW });
    evaluation.add([component('a', READY)]);
    expect(evaluation.finish().entities).toHaveLength(1);
    expect(() => evaluation.add([component('b', READY)])).toThrow(
      'This catalog evaluation is finished',
    );
    expect(() => evaluation.finish()).toThrow(
      'This catalog evaluation is finished',
    );
  });
});
