import type {
  HistoryPoint,
  OrgResult,
  ServiceRow,
  ServicesPage,
  SnapshotInfo,
  SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { XSS } from './entities';

export const freshSnapshot: SnapshotInfo = {
  takenAt: '2026-05-04T06:00:00.000Z',
  source: 'snapshot',
  stale: false,
};

export const staleSnapshot: SnapshotInfo = {
  takenAt: '2026-05-03T06:00:00.000Z',
  source: 'snapshot',
  stale: true,
  staleReason: 'The catalog did not answer (503) at 2026-05-04T06:00Z.',
};

const levels = (
  notReady: number,
  pilot: number,
  production: number,
  optimal: number,
) => ({
  'not-ready': notReady,
  'pilot-ready': pilot,
  'production-ready': production,
  optimal,
});

export const orgFixture: OrgResult = {
  generatedAt: '2026-05-04T06:00:00.000Z',
  counts: { entities: 31, inScope: 27, excluded: 4, withProblems: 3 },
  score: 61,
  levels: levels(11, 7, 6, 3),
  mostMissing: [
    { checkId: 'tracing', title: 'Trace context propagated', count: 14 },
    {
      checkId: 'retry-safety',
      title: 'Provided APIs are safe to retry',
      count: 6,
    },
    {
      checkId: 'server-first-protocols',
      title: 'Server-first protocols declared opaque',
      count: 4,
    },
  ],
  rollups: {
    owner: [
      {
        key: 'group:default/checkout',
        services: 6,
        score: 88,
        levels: levels(0, 1, 3, 2),
        failing: 1,
      },
      {
        key: 'group:default/payments',
        services: 4,
        score: 41,
        levels: levels(3, 1, 0, 0),
        failing: 7,
      },
      {
        key: `group:default/${XSS}`,
        services: 1,
        score: null,
        levels: levels(1, 0, 0, 0),
        failing: 2,
      },
    ],
    system: [
      {
        key: 'system:default/checkout',
        services: 8,
        score: 80,
        levels: levels(1, 2, 3, 2),
        failing: 2,
      },
    ],
    domain: [
      {
        key: 'domain:default/commerce',
        services: 19,
        score: 64,
        levels: levels(7, 5, 4, 3),
        failing: 12,
      },
    ],
  },
  gates: [
    {
      id: 'genuine-need',
      title: 'Genuine need for a mesh',
      status: 'pass',
      message:
        '27 services in scope (threshold 50) but 9 carry pci or soc2 and need mTLS with workload identity.',
      figures: { services: 27, threshold: 50, mtlsServices: 9 },
      sources: [
        {
          title: 'Istio: security concepts',
          url: 'https://istio.io/latest/docs/concepts/security/',
        },
      ],
    },
    {
      id: 'platform-capacity',
      title: 'A platform team can run the mesh',
      status: 'fail',
      message:
        'group:default/platform declares 1 dedicated mesh engineer; at least 2 are needed.',
      figures: { meshEngineers: 1, threshold: 2 },
      sources: [],
    },
    {
      id: 'observability',
      title: 'Tracing coverage',
      status: 'warn',
      message: '62% of in-scope services propagate trace context (target 80%).',
      figures: { coverage: 0.62, threshold: 0.8 },
      sources: [
        {
          title: 'Istio FAQ: distributed tracing',
          url: 'https://istio.io/latest/about/faq/distributed-tracing/',
        },
      ],
    },
  ],
  verdict: 'not-ready',
  verdictReasons: [
    'Only 1 engineer would own the mesh; at least 2 are needed.',
    'Tracing covers 62% of services; the mesh cannot be debugged without it.',
  ],
  recommendation: {
    mesh: 'linkerd',
    reasons: [
      'mTLS with workload identity for the 9 pci/soc2 services, on by default.',
      'Lowest proxy cost of the options that fit.',
    ],
    caveats: [
      'Header routing needs Gateway API HTTPRoutes.',
      'Stable releases come from vendors; open source ships edge releases.',
    ],
    sources: [
      {
        title: 'Linkerd: automatic mTLS',
        url: 'https://linkerd.io/2-edge/features/automatic-mtls/',
      },
    ],
    alternatives: [
      {
        mesh: 'linkerd',
        fits: true,
        complexity: 2,
        reasons: ['Meets mtls, canary and header-routing.'],
        caveats: [],
        sources: [],
      },
      {
        mesh: 'istio-ambient',
        fits: true,
        complexity: 3,
        reasons: ['Meets every need; no sidecars.'],
        caveats: ['L7 features need a waypoint proxy per namespace.'],
        sources: [],
      },
      {
        mesh: 'cilium',
        fits: false,
        complexity: 2,
        reasons: [
          'Workload-identity mTLS is beta in Cilium; pci services need it.',
        ],
        caveats: [],
        sources: [
          {
            title: 'Cilium: mutual authentication (beta)',
            url: 'https://docs.cilium.io/en/stable/network/servicemesh/mutual-authentication/mutual-authentication/',
          },
        ],
      },
      {
        mesh: 'none',
        fits: false,
        complexity: 0,
        reasons: ['9 services need mTLS with workload identity.'],
        caveats: [],
        sources: [],
      },
    ],
  },
  cost: [
    {
      mesh: 'linkerd',
      memoryMiB: 2870,
      vcpu: 4.1,
      formula: '164 pods × 17.5 MiB + 3,400 rps × 1.2 mvCPU per 1,000 rps',
      inputs: { pods: 164, peakRps: 3400, nodes: 12 },
      figures: [
        {
          name: 'proxy memory per pod',
          value: 17.5,
          unit: 'MiB',
          source: {
            title: 'Linkerd benchmarks',
            url: 'https://linkerd.io/2021/05/27/linkerd-vs-istio-benchmarks-2021/',
          },
        },
      ],
      servicesMissingInputs: 5,
    },
    {
      mesh: 'istio-sidecar',
      memoryMiB: 9184,
      vcpu: 8.2,
      formula: '164 pods × 56 MiB + 0.2 vCPU per 1,000 rps',
      inputs: { pods: 164, peakRps: 3400, nodes: 12 },
      figures: [
        {
          name: 'sidecar memory per pod',
          value: 56,
          unit: 'MiB',
          source: {
            title: 'Istio: performance and scalability',
            url: 'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/',
          },
        },
      ],
      servicesMissingInputs: 5,
    },
  ],
  retryRisk: { services: 3, operations: 7 },
};

export const summaryFixture: SummaryResponse = {
  snapshot: freshSnapshot,
  org: orgFixture,
};

export const serviceRows: ServiceRow[] = [
  {
    entityRef: 'component:default/payments-service',
    name: 'payments-service',
    title: 'Payments Service',
    type: 'service',
    owner: 'group:default/payments',
    system: 'system:default/payments',
    domain: 'domain:default/commerce',
    score: 38,
    level: 'not-ready',
    failing: ['retry-safety', 'proxy-uid', 'server-first-protocols'],
    unknown: ['tracing'],
    problems: 2,
    retryRisk: true,
  },
  {
    entityRef: 'component:default/checkout-service',
    name: 'checkout-service',
    title: 'Checkout Service',
    type: 'service',
    owner: 'group:default/checkout',
    system: 'system:default/checkout',
    domain: 'domain:default/commerce',
    score: 94,
    level: 'production-ready',
    failing: [],
    unknown: [],
    problems: 0,
    retryRisk: false,
  },
];

export const servicesPageFixture: ServicesPage = {
  snapshot: freshSnapshot,
  items: serviceRows,
  page: 1,
  pageSize: 25,
  total: 60,
};

export const historyFixture: HistoryPoint[] = [
  {
    takenAt: '2026-04-20T06:00:00.000Z',
    score: 48,
    verdict: 'not-ready',
    inScope: 25,
    levels: levels(14, 6, 4, 1),
  },
  {
    takenAt: '2026-04-27T06:00:00.000Z',
    score: 55,
    verdict: 'not-ready',
    inScope: 26,
    levels: levels(12, 7, 5, 2),
  },
  {
    takenAt: '2026-05-04T06:00:00.000Z',
    score: 61,
    verdict: 'not-ready',
    inScope: 27,
    levels: levels(11, 7, 6, 3),
  },
];
