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
  notAssessed: number,
  notReady: number,
  pilot: number,
  production: number,
  optimal: number,
) => ({
  'not-assessed': notAssessed,
  'not-ready': notReady,
  'pilot-ready': pilot,
  'production-ready': production,
  optimal,
});

export const orgFixture: OrgResult = {
  generatedAt: '2026-05-04T06:00:00.000Z',
  counts: { entities: 31, inScope: 27, excluded: 4, withProblems: 3 },
  score: 61,
  coverage: 0.78,
  levels: levels(3, 8, 7, 6, 3),
  mostMissing: [
    {
      checkId: 'tracing',
      title: 'Trace context propagated',
      count: 14,
      failing: 9,
      unknown: 5,
    },
    {
      checkId: 'server-first-protocols',
      title: 'Server-first protocols declared opaque',
      count: 4,
      failing: 4,
      unknown: 0,
    },
    {
      checkId: 'retry-safety',
      title: 'Provided APIs are safe to retry',
      count: 6,
      failing: 0,
      unknown: 6,
    },
  ],
  rollups: {
    owner: [
      {
        key: 'group:default/checkout',
        services: 6,
        score: 88,
        coverage: 0.95,
        levels: levels(0, 0, 1, 3, 2),
        failing: 1,
      },
      {
        key: 'group:default/payments',
        services: 4,
        score: 41,
        coverage: 0.62,
        levels: levels(1, 2, 1, 0, 0),
        failing: 7,
      },
      {
        key: `group:default/${XSS}`,
        services: 1,
        score: null,
        coverage: null,
        levels: levels(0, 1, 0, 0, 0),
        failing: 2,
      },
    ],
    system: [
      {
        key: 'system:default/checkout',
        services: 8,
        score: 80,
        coverage: 0.91,
        levels: levels(0, 1, 2, 3, 2),
        failing: 2,
      },
    ],
    domain: [
      {
        key: 'domain:default/commerce',
        services: 19,
        score: 64,
        coverage: 0.8,
        levels: levels(2, 5, 5, 4, 3),
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
    basis: 'decided',
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
        missingInputs: [],
      },
      {
        mesh: 'istio-ambient',
        fits: true,
        complexity: 3,
        reasons: ['Meets every need; no sidecars.'],
        caveats: ['L7 features need a waypoint proxy per namespace.'],
        sources: [],
        missingInputs: ['mesh-readiness.io/nodes on 1 of 2 clusters'],
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
        missingInputs: [
          'mesh-readiness.io/kernel-version on 2 of 2 clusters',
          'mesh-readiness.io/nodes on 1 of 2 clusters',
        ],
      },
      {
        mesh: 'none',
        fits: false,
        complexity: 0,
        reasons: ['9 services need mTLS with workload identity.'],
        caveats: [],
        sources: [],
        missingInputs: [],
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
  inspected: 9,
};

export const summaryFixture: SummaryResponse = {
  snapshot: freshSnapshot,
  org: orgFixture,
};

const NO_CLUSTER =
  'a kubernetes-cluster Resource in spec.dependsOn of the services';

/**
 * A catalog where nothing says whether a mesh is needed (as Backstage's own
 * example catalog): the verdict is undetermined, most services are not
 * assessed, no mesh is recommended and the cost is unknown.
 */
export const undeterminedOrgFixture: OrgResult = {
  generatedAt: '2026-05-04T06:00:00.000Z',
  counts: { entities: 14, inScope: 9, excluded: 0, withProblems: 0 },
  score: 14,
  coverage: 0.21,
  levels: levels(8, 1, 0, 0, 0),
  mostMissing: [
    { checkId: 'tracing', title: 'Trace context propagated', count: 9 },
    {
      checkId: 'protocols',
      title: 'Ports and protocols declared',
      count: 9,
    },
  ],
  rollups: {
    owner: [
      {
        key: 'group:default/team-a',
        services: 5,
        score: 12,
        coverage: 0.18,
        levels: levels(5, 0, 0, 0, 0),
        failing: 0,
      },
      {
        key: 'group:default/team-c',
        services: 4,
        score: 17,
        coverage: 0.25,
        levels: levels(3, 1, 0, 0, 0),
        failing: 1,
      },
    ],
    system: [],
    domain: [],
  },
  gates: [
    {
      id: 'genuine-need',
      title: 'Genuine need for a mesh',
      status: 'unknown',
      message:
        '0 production services declare their needs (7 needed, 80% of 9); 9 declare nothing.',
      figures: { services: 9, declared: 0, required: 7 },
      sources: [],
    },
    {
      id: 'platform-capacity',
      title: 'A platform team can run the mesh',
      status: 'unknown',
      message: 'No Group is marked as the platform team.',
      figures: {},
      sources: [],
    },
    {
      id: 'observability',
      title: 'Tracing coverage',
      status: 'unknown',
      message: 'No in-scope service declares mesh-readiness.io/tracing.',
      figures: { coverage: 0, threshold: 0.8 },
      sources: [],
    },
  ],
  verdict: 'undetermined',
  verdictReasons: [
    'Whether a mesh is needed is unknown: 9 production services declare no needs.',
  ],
  toDecide: [
    {
      gate: 'genuine-need',
      declare: "mesh-readiness.io/needs (or 'none') on production services",
      count: 9,
    },
    {
      gate: 'platform-capacity',
      declare:
        'mesh-readiness.io/platform-team and mesh-readiness.io/mesh-engineers on the Group that would run the mesh',
      count: 1,
    },
    {
      gate: 'observability',
      declare: 'mesh-readiness.io/tracing on services',
      count: 9,
    },
  ],
  recommendation: {
    basis: 'undetermined',
    mesh: 'none',
    reasons: [
      'No recommendation until a need is confirmed: 0 production services declare their needs (7 needed, 80% of 9); 9 declare nothing.',
      `If one is, the least complex option that fits is Linkerd (not yet known: ${NO_CLUSTER}); the options below are ranked on that assumption.`,
    ],
    caveats: [],
    sources: [],
    alternatives: [
      {
        mesh: 'linkerd',
        fits: true,
        complexity: 2,
        reasons: ['Meets every declared need.'],
        caveats: [],
        sources: [],
        missingInputs: [NO_CLUSTER],
      },
      {
        mesh: 'cilium',
        fits: true,
        complexity: 2,
        reasons: ['Meets every declared need.'],
        caveats: ['Replaces the CNI.'],
        sources: [],
        missingInputs: [NO_CLUSTER],
      },
      {
        mesh: 'none',
        fits: true,
        complexity: 0,
        reasons: ['No declared need calls for a mesh.'],
        caveats: [],
        sources: [],
        missingInputs: [],
      },
    ],
  },
  cost: [
    {
      mesh: 'linkerd',
      memoryMiB: null,
      vcpu: null,
      missingInputs: [
        'mesh-readiness.io/replicas (no service declares it)',
        'mesh-readiness.io/peak-rps (no service declares it)',
      ],
      formula: 'pods × 17.5 MiB + rps × 1.2 mvCPU per 1,000 rps',
      inputs: { pods: 0, peakRps: 0, nodes: 0 },
      figures: [],
      servicesMissingInputs: 9,
    },
    {
      mesh: 'cilium',
      memoryMiB: null,
      vcpu: null,
      missingInputs: ['mesh-readiness.io/nodes (no cluster declares it)'],
      formula: 'nodes × 180 MiB per agent',
      inputs: { pods: 0, peakRps: 0, nodes: 0 },
      figures: [],
      servicesMissingInputs: 9,
    },
  ],
  retryRisk: { services: 1, operations: 1 },
};

export const undeterminedSummaryFixture: SummaryResponse = {
  snapshot: freshSnapshot,
  org: undeterminedOrgFixture,
};

/** /services rows, with the coverage the backend stores per row. */
export const serviceRows: Array<ServiceRow & { coverage?: number | null }> = [
  {
    entityRef: 'component:default/payments-service',
    name: 'payments-service',
    title: 'Payments Service',
    type: 'service',
    owner: 'group:default/payments',
    system: 'system:default/payments',
    domain: 'domain:default/commerce',
    score: 38,
    coverage: 0.86,
    level: 'not-ready',
    failing: ['retry-safety', 'proxy-uid', 'server-first-protocols'],
    unknown: ['tracing'],
    problems: 2,
    retryRisk: true,
    inspected: false,
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
    coverage: 1,
    level: 'production-ready',
    failing: [],
    unknown: [],
    problems: 0,
    retryRisk: false,
    inspected: true,
  },
  {
    // A backend that does not store inspected yet: unknown, not false.
    entityRef: 'component:default/loyalty-service',
    name: 'loyalty-service',
    type: 'service',
    owner: 'group:default/customer-engagement',
    score: 25,
    coverage: 0.2,
    level: 'not-assessed',
    failing: [],
    unknown: ['tracing', 'protocols', 'proxy-uid'],
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
    levels: levels(0, 14, 6, 4, 1),
  },
  {
    takenAt: '2026-04-27T06:00:00.000Z',
    score: 55,
    verdict: 'not-ready',
    inScope: 26,
    levels: levels(0, 12, 7, 5, 2),
  },
  {
    takenAt: '2026-05-04T06:00:00.000Z',
    score: 61,
    verdict: 'not-ready',
    inScope: 27,
    levels: levels(3, 8, 7, 6, 3),
  },
];
