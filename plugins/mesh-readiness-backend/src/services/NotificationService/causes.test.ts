import type {
  CheckResult,
  EntityResult,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { entityResult } from '../../__testUtils__/fixtures';
import { findOwnerNotifications, PreviousRow } from './causes';
import {
  DEFAULT_NOTIFICATION_OPTIONS,
  NotificationOptions,
} from './notificationOptions';

const NOW = new Date('2026-12-10T15:00:00Z');

function retrySafety(
  status: CheckResult['status'],
  unsafe: string[],
): CheckResult {
  return {
    id: 'retry-safety',
    status,
    message: '',
    operations: [
      {
        api: 'api:default/orders',
        operation: 'GET /orders/{id}',
        idempotent: true,
        retrySafe: true,
        reason: '',
      },
      ...unsafe.map(operation => ({
        api: 'api:default/orders',
        operation,
        idempotent: false as const,
        retrySafe: false as const,
        reason: '',
      })),
    ],
  };
}

function find(
  results: EntityResult[],
  previous: Record<string, PreviousRow>,
  settings: Partial<NotificationOptions> = {},
) {
  return findOwnerNotifications({
    results,
    previous: new Map(Object.entries(previous)),
    takenAt: NOW,
    settings: { ...DEFAULT_NOTIFICATION_OPTIONS, ...settings },
    mesh: 'istio-sidecar',
  });
}

/** The notifications found, as `cause ref → owner`. */
function causes(
  results: EntityResult[],
  previous: Record<string, PreviousRow> = {},
  settings: Partial<NotificationOptions> = {},
): string[] {
  return find(results, previous, settings).notifications.map(
    n => `${n.cause} ${n.key} → ${n.owner}`,
  );
}

describe('findOwnerNotifications', () => {
  it('tells the owner of a service whose level is lower than in the previous snapshot', () => {
    const results = [
      entityResult('down', { level: 'pilot-ready', score: 70 }),
      entityResult('same', { level: 'pilot-ready' }),
      entityResult('up', { level: 'optimal' }),
      entityResult('new', { level: 'not-ready' }),
    ];
    const previous = {
      'component:default/down': {
        level: 'production-ready' as const,
        unsafeOperations: [],
      },
      'component:default/same': {
        level: 'pilot-ready' as const,
        unsafeOperations: [],
      },
      'component:default/up': {
        level: 'not-ready' as const,
        unsafeOperations: [],
      },
    };
    const { notifications } = find(results, previous);
    expect(notifications).toEqual([
      expect.objectContaining({
        key: 'component:default/down',
        cause: 'level-dropped',
        owner: 'group:default/team-a',
        title:
          'down: mesh readiness dropped from production-ready to pilot-ready',
        severity: 'normal',
        link: '/catalog/default/component/down/mesh-readiness',
        scope: 'mesh-readiness:level-dropped:component:default/down',
      }),
    ]);
    expect(notifications[0].description).toBe(
      'component:default/down was production-ready in the previous snapshot and is pilot-ready now (score 70). Failing or unknown now: tracing.',
    );
  });

  it('names the checks that passed before the drop and pass no more, with both statuses', () => {
    const down = entityResult('down', { level: 'pilot-ready', score: 70 });
    down.checks = [
      { id: 'tracing', status: 'fail', message: '' },
      { id: 'timeouts', status: 'unknown', message: '' },
      { id: 'probes', status: 'fail', message: '' },
      { id: 'owner', status: 'pass', message: '' },
    ];
    const { notifications } = find([down], {
      'component:default/down': {
        level: 'production-ready',
        unsafeOperations: [],
        statuses: new Map([
          ['tracing', 'pass'],
          ['timeouts', 'waived'],
          // Failing before: not what took the level down.
          ['probes', 'fail'],
          ['owner', 'pass'],
        ]),
      },
    });
    expect(notifications.map(n => n.description)).toEqual([
      'component:default/down was production-ready in the previous snapshot and is pilot-ready now (score 70). What changed: Trace context propagated (pass → fail), Client timeouts configured (waived → unknown).',
    ]);
  });

  it('marks a drop to not-ready high, and leaves out services without an owner or out of scope', () => {
    const results = [
      entityResult('gate', { level: 'not-ready' }),
      entityResult('orphan', { level: 'not-ready', owner: undefined }),
      entityResult('excluded', { level: null, inScope: false }),
    ];
    const was = { level: 'optimal' as const, unsafeOperations: [] };
    const { notifications } = find(results, {
      'component:default/gate': was,
      'component:default/orphan': was,
      'component:default/excluded': was,
    });
    expect(notifications.map(n => [n.key, n.severity])).toEqual([
      ['component:default/gate', 'high'],
    ]);
  });

  it('tells of operations the planned mesh would retry that are not idempotent and are new, naming them', () => {
    const results = [
      entityResult('grew', {
        level: 'not-ready',
        checks: [retrySafety('fail', ['POST /orders', 'POST /orders/{id}'])],
      }),
      entityResult('same', {
        level: 'not-ready',
        checks: [retrySafety('fail', ['POST /orders'])],
      }),
      // No mesh decided: a warning about candidates is not the planned mesh.
      entityResult('candidate', {
        level: 'not-ready',
        checks: [retrySafety('warn', ['POST /orders'])],
      }),
    ];
    const was = (operations: string[] | null): PreviousRow => ({
      level: 'not-ready',
      unsafeOperations:
        operations?.map(op => `${op} (api:default/orders)`) ?? null,
    });
    const { notifications, unsafeOperations } = find(results, {
      'component:default/grew': was(['POST /orders']),
      'component:default/same': was(['POST /orders']),
      'component:default/candidate': was([]),
    });
    expect(notifications).toEqual([
      expect.objectContaining({
        key: 'component:default/grew',
        cause: 'unsafe-operation',
        severity: 'high',
        title:
          'grew: Istio (sidecars) would retry POST /orders/{id} (api:default/orders), which is not idempotent',
      }),
    ]);
    expect(notifications[0].description).toBe(
      'component:default/grew serves an operation that Istio (sidecars) would retry by default and that is not idempotent, new since the previous snapshot: POST /orders/{id} (api:default/orders). ' +
        '1 more was found before: POST /orders (api:default/orders). ' +
        'Make them idempotent or list them in mesh-readiness.io/no-retry-routes.',
    );
    // What the next snapshot compares with: the services that have some.
    expect(unsafeOperations).toEqual(
      new Map([
        [
          'component:default/grew',
          [
            'POST /orders (api:default/orders)',
            'POST /orders/{id} (api:default/orders)',
          ],
        ],
        ['component:default/same', ['POST /orders (api:default/orders)']],
      ]),
    );
    // A row whose operations were not kept is not compared.
    expect(
      causes([results[0]], { 'component:default/grew': was(null) }),
    ).toEqual([]);
  });

  it('tells of an operation that replaced a fixed one, as many as before, and names only the new ones', () => {
    const swapped = entityResult('swapped', {
      level: 'not-ready',
      checks: [retrySafety('fail', ['POST /refunds', 'POST /orders/{id}'])],
    });
    const previous = {
      'component:default/swapped': {
        level: 'not-ready' as const,
        unsafeOperations: [
          'POST /orders (api:default/orders)',
          'POST /orders/{id} (api:default/orders)',
        ],
      },
    };
    const { notifications } = find([swapped], previous);
    expect(notifications.map(n => n.title)).toEqual([
      'swapped: Istio (sidecars) would retry POST /refunds (api:default/orders), which is not idempotent',
    ]);
    expect(notifications[0].description).not.toContain('POST /orders ');

    // Two new at once: the title counts them, the description names them.
    const two = entityResult('swapped', {
      level: 'not-ready',
      checks: [retrySafety('fail', ['POST /refunds', 'POST /payouts'])],
    });
    const [both] = find([two], previous).notifications;
    expect(both.title).toBe(
      'swapped: Istio (sidecars) would retry 2 more operations that are not idempotent',
    );
    expect(both.description).toContain(
      'new since the previous snapshot: POST /payouts (api:default/orders), POST /refunds (api:default/orders).',
    );
    expect(both.description).not.toContain('found before');

    // Fewer, or the same ones: nothing to tell.
    const fixed = entityResult('swapped', {
      level: 'not-ready',
      checks: [retrySafety('fail', ['POST /orders/{id}'])],
    });
    expect(causes([fixed], previous)).toEqual([]);
  });

  it('tells of waivers whose last day is at most waiverDays away, once per service', () => {
    const waiver = (checkId: string, until: string, expired = false) => ({
      checkId,
      until,
      reason: 'vendor SDK',
      expired,
    });
    const results = [
      entityResult('two', {
        waivers: [
          waiver('proxy-uid', '2026-12-24'),
          waiver('tracing', '2026-12-11'),
        ],
      }),
      entityResult('today', { waivers: [waiver('tracing', '2026-12-10')] }),
      entityResult('later', { waivers: [waiver('tracing', '2026-12-25')] }),
      entityResult('over', {
        waivers: [waiver('tracing', '2026-12-09', true)],
      }),
    ];
    const { notifications } = find(results, {});
    expect(
      notifications.map(n => [n.key, n.cause, n.title, n.severity]),
    ).toEqual([
      [
        'component:default/two',
        'waiver-expiring',
        'two: 2 waivers end by 2026-12-24',
        'high',
      ],
      [
        'component:default/today',
        'waiver-expiring',
        'today: the waiver for tracing ends on 2026-12-10',
        'high',
      ],
    ]);
    expect(notifications[0].description).toBe(
      'The waiver of component:default/two for tracing ends on 2026-12-11 (tomorrow): vendor SDK. ' +
        'The waiver of component:default/two for proxy-uid ends on 2026-12-24 (in 14 days): vendor SDK. ' +
        'After that the check counts again: fix what it found, or extend mesh-readiness.io/waive.tracing.',
    );
    expect(notifications[1].description).toContain('(today)');
    // waiverDays narrows the window.
    expect(
      find(results, {}, { waiverDays: 1 }).notifications.map(n => n.title),
    ).toEqual([
      'two: the waiver for tracing ends on 2026-12-11',
      'today: the waiver for tracing ends on 2026-12-10',
    ]);
  });

  it('sends nothing for a cause that is switched off', () => {
    const results = [
      entityResult('all', {
        level: 'not-ready',
        checks: [retrySafety('fail', ['POST /a', 'POST /b'])],
        waivers: [
          {
            checkId: 'tracing',
            until: '2026-12-12',
            reason: 'x',
            expired: false,
          },
        ],
      }),
    ];
    const previous = {
      'component:default/all': {
        level: 'optimal' as const,
        unsafeOperations: [],
      },
    };
    expect(causes(results, previous)).toEqual([
      'level-dropped component:default/all → group:default/team-a',
      'unsafe-operation component:default/all → group:default/team-a',
      'waiver-expiring component:default/all → group:default/team-a',
    ]);
    expect(causes(results, previous, { levelDropped: false })).toEqual([
      'unsafe-operation component:default/all → group:default/team-a',
      'waiver-expiring component:default/all → group:default/team-a',
    ]);
    expect(
      causes(results, previous, {
        unsafeOperations: false,
        waiverExpiring: false,
      }),
    ).toEqual(['level-dropped component:default/all → group:default/team-a']);
  });

  it('fingerprints the state each cause reports: the same state, the same fingerprint', () => {
    const at = (level: 'pilot-ready' | 'not-ready', unsafe: string[]) =>
      find(
        [entityResult('svc', { level, checks: [retrySafety('fail', unsafe)] })],
        {},
      ).states.get('component:default/svc')!;
    const a = at('pilot-ready', ['POST /a']);
    const b = at('pilot-ready', ['POST /a']);
    const c = at('not-ready', ['POST /a', 'POST /b']);
    expect(a).toEqual(b);
    expect(c.get('level-dropped')).not.toBe(a.get('level-dropped'));
    expect(c.get('unsafe-operation')).not.toBe(a.get('unsafe-operation'));
    expect(c.get('waiver-expiring')).toBe(a.get('waiver-expiring'));
  });
});
