import type { Entity } from '@backstage/catalog-model';
import {
  type CheckStatus,
  type EntityResult,
  listChecks,
  resolveConfig,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { inputsOf } from '../../database/rows';
import type { EntityRowDetail } from '../../database/types';
import { entityChanges } from './entityChanges';

const definitions = new Map(
  listChecks(resolveConfig({})).map(check => [check.id, check]),
);

function view(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', annotations },
    spec: { type: 'service', lifecycle: 'production' },
  };
}

/** A stored row as the store reads it back, from a result's checks. */
function row(
  day: number,
  statuses: Record<string, CheckStatus>,
  options: {
    annotations?: Record<string, string>;
    result?: Partial<EntityResult>;
    orgMesh?: EntityRowDetail['orgMesh'];
    legacy?: boolean;
    inScope?: boolean;
    lifecycle?: string;
  } = {},
): EntityRowDetail {
  const result: EntityResult = {
    entityRef: 'component:default/orders',
    kind: 'component',
    namespace: 'default',
    name: 'orders',
    inScope: true,
    score: 50,
    level: 'not-ready',
    checks: Object.entries(statuses).map(([id, status]) => ({
      id,
      status,
      message: '',
    })),
    problems: [],
    waivers: [],
    topMissing: [],
    ...options.result,
  };
  return {
    snapshotId: day,
    takenAt: new Date(Date.UTC(2026, 11, day)),
    score: 50,
    coverage: 0.8,
    level: 'not-ready',
    inScope: options.inScope ?? true,
    statuses: new Map(Object.entries(statuses)),
    owner: 'group:default/shop',
    type: 'service',
    lifecycle: options.lifecycle ?? 'production',
    entity:
      options.inScope === false ? undefined : view(options.annotations ?? {}),
    inputs: options.legacy ? undefined : inputsOf(result),
    orgMesh: options.orgMesh ?? 'linkerd',
  };
}

const evidence = (value: string, cluster?: string) => [
  {
    fact: 'port 8080',
    value,
    source: {
      kind: 'manifest' as const,
      label: 'Deployment shop/orders',
      cluster,
    },
  },
];

describe('entityChanges: why a check changed between two snapshots', () => {
  it('lists only the checks whose status changed, with the annotation values before and after', () => {
    const changes = entityChanges(
      row(
        1,
        { tracing: 'fail', owner: 'pass' },
        {
          annotations: { 'mesh-readiness.io/tracing': 'none' },
        },
      ),
      row(
        2,
        { tracing: 'pass', owner: 'pass' },
        {
          annotations: { 'mesh-readiness.io/tracing': 'full' },
        },
      ),
      definitions,
    );
    expect(changes).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      checks: [
        {
          checkId: 'tracing',
          title: definitions.get('tracing')!.title,
          from: 'fail',
          to: 'pass',
          reasons: [
            {
              kind: 'annotations',
              message:
                'Annotations it reads changed: mesh-readiness.io/tracing: "none" → "full".',
              keys: ['mesh-readiness.io/tracing'],
            },
          ],
        },
      ],
    });
  });

  it('names an entity field the check reads', () => {
    const { checks } = entityChanges(
      row(1, { lifecycle: 'warn' }, { lifecycle: 'experimental' }),
      row(2, { lifecycle: 'pass' }),
      definitions,
    );
    expect(checks[0].reasons).toEqual([
      {
        kind: 'entity',
        message:
          'Entity fields it reads changed: spec.lifecycle: "experimental" → "production".',
        keys: ['spec.lifecycle'],
      },
    ]);
  });

  it('tells the manifests from the running cluster when the observed facts changed', () => {
    const manifests = entityChanges(
      row(
        1,
        { protocols: 'pass' },
        {
          result: {
            checks: [
              {
                id: 'protocols',
                status: 'pass',
                message: '',
                evidence: evidence('http'),
              },
            ],
          },
        },
      ),
      row(
        2,
        { protocols: 'fail' },
        {
          result: {
            checks: [
              {
                id: 'protocols',
                status: 'fail',
                message: '',
                evidence: evidence('tcp'),
              },
            ],
          },
        },
      ),
      definitions,
    );
    expect(manifests.checks[0].reasons).toEqual([
      {
        kind: 'manifests',
        message:
          'The facts read from the manifests that it was decided on changed.',
      },
    ]);

    const cluster = entityChanges(
      row(1, { protocols: 'unknown' }),
      row(
        2,
        { protocols: 'pass' },
        {
          result: {
            checks: [
              {
                id: 'protocols',
                status: 'pass',
                message: '',
                evidence: evidence('http', 'prod'),
              },
            ],
          },
        },
      ),
      definitions,
    );
    expect(cluster.checks[0].reasons).toEqual([
      {
        kind: 'cluster',
        message: 'It now reads facts from the running cluster.',
      },
    ]);
  });

  it('counts the operations added to the APIs the entity provides', () => {
    const op = (operation: string) => ({
      api: 'api:default/orders-api',
      operation,
      idempotent: false,
      retrySafe: false as const,
      reason: '',
    });
    const { checks } = entityChanges(
      row(
        1,
        { 'retry-safety': 'pass' },
        {
          result: {
            checks: [
              {
                id: 'retry-safety',
                status: 'pass',
                message: '',
                operations: [op('GET /orders')],
              },
            ],
          },
        },
      ),
      row(
        2,
        { 'retry-safety': 'fail' },
        {
          result: {
            checks: [
              {
                id: 'retry-safety',
                status: 'fail',
                message: '',
                operations: [
                  op('GET /orders'),
                  op('POST /orders'),
                  op('POST /refunds'),
                ],
              },
            ],
          },
        },
      ),
      definitions,
    );
    expect(checks[0].reasons).toEqual([
      {
        kind: 'operations',
        message: '2 operations were added to the APIs it provides (1 → 3).',
      },
    ]);
  });

  it("says when the organisation's recommended mesh changed under a check that assumed it", () => {
    const assumed = (status: CheckStatus) => ({
      result: {
        checks: [
          {
            id: 'retry-safety',
            status,
            message: '',
            assumption: 'Assumes the org mesh',
          },
        ],
      },
    });
    const { checks } = entityChanges(
      row(
        1,
        { 'retry-safety': 'pass' },
        { ...assumed('pass'), orgMesh: 'linkerd' },
      ),
      row(
        2,
        { 'retry-safety': 'fail' },
        { ...assumed('fail'), orgMesh: 'istio-sidecar' },
      ),
      definitions,
    );
    expect(checks[0].reasons).toEqual([
      {
        kind: 'org-mesh',
        message:
          "The organisation's recommended mesh changed: Linkerd → Istio (sidecars), and the check assumes it.",
      },
    ]);
  });

  it('says when a waiver expired', () => {
    const waiver = (expired: boolean) => ({
      result: {
        waivers: [
          { checkId: 'tracing', until: '2026-12-01', reason: 'SDK', expired },
        ],
      },
    });
    const { checks } = entityChanges(
      row(1, { tracing: 'waived' }, waiver(false)),
      row(2, { tracing: 'fail' }, waiver(true)),
      definitions,
    );
    expect(checks[0].reasons).toEqual([
      { kind: 'waiver-expired', message: 'Its waiver expired on 2026-12-01.' },
    ]);
  });

  it('does not guess when the rows do not show why', () => {
    const known = entityChanges(
      row(1, { owner: 'fail' }),
      row(2, { owner: 'pass' }),
      definitions,
    );
    expect(known.checks[0].reasons).toEqual([
      {
        kind: 'unknown',
        message:
          'The facts it read changed; the snapshots do not record which (for example the entity’s relations, or another entity it looks up).',
      },
    ]);

    const legacy = entityChanges(
      row(1, { protocols: 'pass' }, { legacy: true }),
      row(2, { protocols: 'fail' }),
      definitions,
    );
    expect(legacy.checks[0].reasons).toEqual([
      {
        kind: 'unknown',
        message:
          'The facts it read changed; the earlier snapshot was taken before Mesh Readiness recorded what its checks were decided on.',
      },
    ]);
  });

  it('says when the service came into scope', () => {
    const { checks } = entityChanges(
      row(1, {}, { inScope: false }),
      row(2, { tracing: 'fail' }),
      definitions,
    );
    expect(checks).toEqual([
      expect.objectContaining({
        checkId: 'tracing',
        from: null,
        to: 'fail',
        reasons: [
          expect.objectContaining({
            kind: 'scope',
            message: 'The service came into scope (it was not scored before).',
          }),
        ],
      }),
    ]);
  });

  it('puts the most severe new status first', () => {
    const { checks } = entityChanges(
      row(1, { tracing: 'fail', probes: 'pass', timeouts: 'unknown' }),
      row(2, { tracing: 'pass', probes: 'fail', timeouts: 'warn' }),
      definitions,
    );
    expect(checks.map(c => [c.checkId, c.to])).toEqual([
      ['probes', 'fail'],
      ['timeouts', 'warn'],
      ['tracing', 'pass'],
    ]);
  });
});
