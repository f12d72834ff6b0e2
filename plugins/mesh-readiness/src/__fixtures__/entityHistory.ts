import type { EntityHistoryResponse } from '@mesh-readiness/plugin-mesh-readiness-common';

/**
 * payments-service over three snapshots: tracing declared `full`, the
 * waiver on timeouts ran out, and the running cluster changed a port.
 */
export const entityHistoryFixture: EntityHistoryResponse = {
  items: [
    {
      takenAt: '2026-11-20T06:00:00.000Z',
      score: 31,
      coverage: 0.72,
      level: 'not-ready',
    },
    {
      takenAt: '2026-11-27T06:00:00.000Z',
      score: 45,
      coverage: 0.8,
      level: 'not-ready',
    },
    {
      takenAt: '2026-12-04T06:00:00.000Z',
      score: 62,
      coverage: 0.86,
      level: 'pilot-ready',
    },
  ],
  changes: {
    from: '2026-11-27T06:00:00.000Z',
    to: '2026-12-04T06:00:00.000Z',
    checks: [
      {
        checkId: 'timeouts',
        title: 'Timeouts are declared',
        from: 'waived',
        to: 'fail',
        reasons: [
          {
            kind: 'waiver-expired',
            message: 'Its waiver expired on 2026-12-01.',
          },
        ],
      },
      {
        checkId: 'protocols',
        title: 'Ports declare their protocol',
        from: 'fail',
        to: 'warn',
        reasons: [
          {
            kind: 'cluster',
            message:
              'The facts observed in the running cluster that it was decided on changed.',
          },
        ],
      },
      {
        checkId: 'tracing',
        title: 'Propagates trace context',
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
  },
};
