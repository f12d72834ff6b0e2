import type { Entity } from '@backstage/catalog-model';
import type {
  EntityResult,
  FactSource,
} from '@mesh-readiness/plugin-mesh-readiness-common';

/** A hostile annotation value: must always be shown as text. */
export const XSS = '<img src=x onerror=alert(1)>';

/** Catalog entity of the payments service, as the entity page holds it. */
export const paymentsEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-service',
    namespace: 'default',
    title: 'Payments Service',
    annotations: {
      'mesh-readiness.io/ports': '8080/http, 5432/postgres',
      'mesh-readiness.io/run-as-uid': '1337',
      'mesh-readiness.io/probes': XSS,
      'mesh-readiness.io/waive.timeouts':
        '2027-03-31 legacy SDK has no per-call timeout; PAY-412',
      'mesh-readiness.io/waive.probes': '2024-01-31 migrating probes',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
    system: 'payments',
    providesApis: ['payments-v1'],
  },
};

/** A failing service: gates fail, a problem, waivers, unsafe retries. */
export const paymentsResult: EntityResult = {
  entityRef: 'component:default/payments-service',
  kind: 'Component',
  namespace: 'default',
  name: 'payments-service',
  title: 'Payments Service',
  type: 'service',
  lifecycle: 'production',
  owner: 'group:default/payments',
  system: 'payments',
  domain: 'commerce',
  inScope: true,
  score: 38,
  coverage: 0.86,
  level: 'not-ready',
  checks: [
    {
      id: 'owner',
      status: 'pass',
      message: 'Owned by group:default/payments.',
    },
    {
      id: 'tracing',
      status: 'unknown',
      message:
        'mesh-readiness.io/tracing is not set, so trace propagation is unknown.',
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/tracing: "full"  # one of full, partial, none',
    },
    {
      id: 'protocols',
      status: 'pass',
      message: 'Ports 8080/http and 5432/postgres are declared.',
    },
    {
      id: 'server-first-protocols',
      status: 'fail',
      message:
        'Port 5432 speaks postgres, a server-speaks-first protocol, and is not in mesh-readiness.io/opaque-ports.',
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/opaque-ports: "5432"',
    },
    {
      id: 'proxy-uid',
      status: 'fail',
      message:
        'mesh-readiness.io/run-as-uid is 1337, the Istio proxy UID: its traffic would bypass the mesh.',
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/run-as-uid: "10001"',
    },
    {
      id: 'probes',
      status: 'invalid',
      message: `mesh-readiness.io/probes: '${XSS}' is not a probe type.`,
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/probes: "http"',
      waiver: {
        checkId: 'probes',
        until: '2024-01-31',
        reason: 'migrating probes',
        expired: true,
      },
    },
    {
      id: 'timeouts',
      status: 'waived',
      message: 'Waived until 2027-03-31: legacy SDK has no per-call timeout.',
      waiver: {
        checkId: 'timeouts',
        until: '2027-03-31',
        reason: 'legacy SDK has no per-call timeout; PAY-412',
        expired: false,
      },
    },
    {
      id: 'retry-safety',
      status: 'fail',
      message:
        '2 operations of api:default/payments-v1 are not idempotent and would be retried by Istio.',
      assumption:
        'Assumes Istio (sidecar), the mesh recommended for the organisation.',
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/no-retry-routes: "POST /payments, POST /payments/{id}/refunds"',
      operations: [
        {
          api: 'api:default/payments-v1',
          operation: 'GET /payments/{id}',
          idempotent: true,
          retrySafe: true,
          reason: 'GET is idempotent (RFC 9110 §9.2.2).',
        },
        {
          api: 'api:default/payments-v1',
          operation: 'POST /payments',
          idempotent: false,
          retrySafe: false,
          reason:
            'POST without an Idempotency-Key header or x-idempotent: true; Istio retries it by default.',
        },
        {
          api: 'api:default/payments-v1',
          operation: 'PUT /payments/{id}/capture',
          idempotent: true,
          retrySafe: true,
          reason: 'PUT is idempotent (RFC 9110 §9.2.2).',
        },
        {
          api: 'api:default/payments-v1',
          operation: 'POST /payments/{id}/refunds',
          idempotent: false,
          retrySafe: false,
          reason: 'POST without an Idempotency-Key header.',
        },
        {
          api: 'api:default/payments-v1',
          operation: 'POST /payments/{id}/authorize',
          idempotent: true,
          retrySafe: true,
          reason: 'Takes an Idempotency-Key header parameter.',
        },
      ],
      perMesh: {
        'istio-sidecar': 'unsafe',
        'istio-ambient': 'unsafe',
        linkerd: 'safe',
        cilium: 'safe',
      },
      snippets: [
        {
          mesh: 'istio-sidecar',
          title:
            'Istio VirtualService: retry POSTs only before the request is sent',
          yaml: [
            'apiVersion: networking.istio.io/v1',
            'kind: VirtualService',
            'metadata:',
            '  name: payments-service-retries',
            'spec:',
            '  hosts: ["payments-service"]',
            '  http:',
            '    - match:',
            '        - method: { exact: POST }',
            '          uri: { exact: /payments }',
            '      retries:',
            '        attempts: 2',
            '        retryOn: connect-failure,refused-stream',
            '      route:',
            '        - destination: { host: payments-service }',
          ].join('\n'),
          sources: [
            {
              title: 'Istio API: VirtualService (HTTPRetry)',
              url: 'https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry',
            },
          ],
        },
        {
          mesh: 'linkerd',
          title: 'Linkerd HTTPRoute: retries stay off for these routes',
          yaml: [
            'apiVersion: gateway.networking.k8s.io/v1',
            'kind: HTTPRoute',
            'metadata:',
            '  name: payments-service-no-retry',
            'spec:',
            '  parentRefs:',
            '    - { name: payments-service, kind: Service, group: core, port: 8080 }',
          ].join('\n'),
          sources: [
            {
              title: 'Linkerd: retries and timeouts',
              url: 'https://linkerd.io/2-edge/features/retries-and-timeouts/',
            },
          ],
        },
      ],
    },
    {
      id: 'batch-workload',
      status: 'not-applicable',
      message: 'A long-running service, not a Job.',
    },
    {
      id: 'compliance-mtls-scope',
      status: 'warn',
      message:
        'Tagged pci but mesh-readiness.io/mtls-requirement is not set; assuming workload-identity.',
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/mtls-requirement: "workload-identity"',
    },
  ],
  problems: [
    {
      key: 'mesh-readiness.io/probes',
      value: XSS,
      message: `'${XSS}' is not a known probe type.`,
    },
    {
      key: 'mesh-readiness.io/ports',
      value: '9090/grcp',
      message: "'grcp' is not a known protocol; did you mean 'grpc'?",
      suggestion: 'grpc',
    },
  ],
  waivers: [
    {
      checkId: 'timeouts',
      until: '2027-03-31',
      reason: 'legacy SDK has no per-call timeout; PAY-412',
      expired: false,
    },
    {
      checkId: 'probes',
      until: '2024-01-31',
      reason: 'migrating probes',
      expired: true,
    },
  ],
  topMissing: [
    'retry-safety',
    'proxy-uid',
    'tracing',
    'server-first-protocols',
  ],
};

/** A ready service. */
export const checkoutResult: EntityResult = {
  entityRef: 'component:default/checkout-service',
  kind: 'Component',
  namespace: 'default',
  name: 'checkout-service',
  title: 'Checkout Service',
  type: 'service',
  lifecycle: 'production',
  owner: 'group:default/checkout',
  system: 'checkout',
  domain: 'commerce',
  inScope: true,
  score: 93,
  coverage: 1,
  level: 'production-ready',
  checks: [
    {
      id: 'owner',
      status: 'pass',
      message: 'Owned by group:default/checkout.',
    },
    {
      id: 'tracing',
      status: 'pass',
      message: 'Trace context is propagated on every outbound call.',
    },
    {
      id: 'protocols',
      status: 'pass',
      message: 'Ports 8080/http and 9090/grpc are declared.',
    },
    {
      id: 'retry-safety',
      status: 'pass',
      message: 'Every operation of api:default/checkout-v1 is idempotent.',
      operations: [
        {
          api: 'api:default/checkout-v1',
          operation: 'POST /checkout',
          idempotent: true,
          retrySafe: true,
          reason: 'Takes an Idempotency-Key header parameter.',
        },
      ],
    },
    {
      id: 'probes',
      status: 'warn',
      message: 'Exec probes may call ports the proxy intercepts.',
    },
  ],
  problems: [],
  waivers: [],
  topMissing: [],
};

/**
 * A component without any mesh-readiness.io annotation: too little is
 * known to assess it.
 */
export const bareEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'loyalty-service', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/customer-engagement',
  },
};

export const bareResult: EntityResult = {
  entityRef: 'component:default/loyalty-service',
  kind: 'Component',
  namespace: 'default',
  name: 'loyalty-service',
  type: 'service',
  lifecycle: 'experimental',
  owner: 'group:default/customer-engagement',
  inScope: true,
  score: 25,
  // Only the owner is known: 2 of 10 weight.
  coverage: 0.2,
  level: 'not-assessed',
  checks: [
    {
      id: 'owner',
      status: 'pass',
      message: 'Owned by group:default/customer-engagement.',
    },
    {
      id: 'tracing',
      status: 'unknown',
      message: 'mesh-readiness.io/tracing is not set.',
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/tracing: "full"',
    },
    {
      id: 'protocols',
      status: 'unknown',
      message: 'mesh-readiness.io/ports is not set.',
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/ports: "8080/http"',
    },
    {
      id: 'proxy-uid',
      status: 'unknown',
      message: 'mesh-readiness.io/run-as-uid is not set.',
      fixYaml:
        'metadata:\n  annotations:\n    mesh-readiness.io/run-as-uid: "10001"',
    },
  ],
  problems: [],
  waivers: [],
  topMissing: ['tracing', 'protocols', 'proxy-uid'],
};

/** An excluded component. */
export const mainframeEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ledger-batch',
    namespace: 'default',
    annotations: { 'mesh-readiness.io/exclude': 'runs on the mainframe' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/finance',
  },
};

export const outOfScopeResult: EntityResult = {
  entityRef: 'component:default/ledger-batch',
  kind: 'Component',
  namespace: 'default',
  name: 'ledger-batch',
  inScope: false,
  scopeReason: 'Excluded by mesh-readiness.io/exclude: runs on the mainframe',
  score: null,
  coverage: null,
  level: null,
  checks: [],
  problems: [],
  waivers: [],
  topMissing: [],
};

const REPO = 'https://github.com/acme/order-service/blob/main/deploy';

/** Sources in the order service's manifests, read from its repository. */
const orderDeployment: FactSource = {
  kind: 'manifest',
  label: 'Deployment shop/order-service, deploy/order.yaml:3',
  url: `${REPO}/order.yaml#L3`,
};
const orderUid: FactSource = {
  kind: 'manifest',
  label: 'Deployment shop/order-service, deploy/order.yaml:31',
  url: `${REPO}/order.yaml#L31`,
};
const orderServicePort: FactSource = {
  kind: 'manifest',
  label: 'Service shop/order-service, deploy/order.yaml:58',
  url: `${REPO}/order.yaml#L58`,
};
const declaredUid: FactSource = {
  kind: 'annotation',
  label: 'annotation mesh-readiness.io/run-as-uid',
};

/** A service whose manifests are linked, and whose UID annotation is stale. */
export const orderEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'order-service',
    namespace: 'default',
    title: 'Order Service',
    annotations: {
      'mesh-readiness.io/manifests': './deploy/',
      'mesh-readiness.io/run-as-uid': '1000',
      'mesh-readiness.io/tracing': 'full',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout',
  },
};

export const orderResult: EntityResult = {
  entityRef: 'component:default/order-service',
  kind: 'Component',
  namespace: 'default',
  name: 'order-service',
  title: 'Order Service',
  type: 'service',
  lifecycle: 'production',
  owner: 'group:default/checkout',
  inScope: true,
  score: 88,
  coverage: 1,
  level: 'production-ready',
  checks: [
    {
      id: 'owner',
      status: 'pass',
      message: 'Owned by group:default/checkout.',
    },
    {
      id: 'tracing',
      status: 'pass',
      message: 'Trace context is propagated on every outbound call.',
      evidence: [
        {
          fact: 'tracing',
          value: 'full',
          source: {
            kind: 'annotation',
            label: 'annotation mesh-readiness.io/tracing',
          },
        },
      ],
    },
    {
      id: 'protocols',
      status: 'pass',
      message: 'Every served port has a protocol: 8080/http, 9090/grpc.',
      evidence: [
        {
          fact: 'port 8080',
          value: 'http (from the port name)',
          source: orderServicePort,
        },
        {
          fact: 'port 9090',
          value: 'grpc (from appProtocol)',
          source: orderServicePort,
        },
        {
          fact: 'port 9404',
          value: 'tcp (a container port no Service exposes)',
          source: {
            kind: 'manifest',
            label: `Deployment shop/order-service, ${XSS}:44`,
            // Never a link: only http(s) URLs are rendered as links.
            url: 'data:text/html,<script>alert(1)</script>',
          },
        },
      ],
    },
    {
      id: 'proxy-uid',
      status: 'pass',
      message: 'The container runs as UID 1001, not a proxy UID.',
      evidence: [{ fact: 'runAsUser of app', value: '1001', source: orderUid }],
    },
    {
      id: 'drift',
      status: 'warn',
      message:
        'mesh-readiness.io/run-as-uid says 1000, the manifests say 1001. The manifests are scored; correct or remove the annotation.',
      evidence: [
        { fact: 'run-as UID', value: '1000', source: declaredUid },
        { fact: 'runAsUser of app', value: '1001', source: orderUid },
      ],
    },
    {
      id: 'batch-workload',
      status: 'not-applicable',
      message: 'A Deployment, not a Job.',
      evidence: [
        { fact: 'workload kind', value: 'Deployment', source: orderDeployment },
        {
          fact: 'replicas',
          value: '1',
          source: { kind: 'default', label: 'Kubernetes default (1)' },
        },
      ],
    },
  ],
  problems: [],
  waivers: [],
  topMissing: [],
  manifests: {
    locations: ['./deploy/'],
    files: 3,
    workloads: [
      {
        kind: 'Deployment',
        name: 'order-service',
        namespace: 'shop',
        matchedBy: 'backstage.io/kubernetes-id',
        source: orderDeployment,
      },
    ],
    problems: [
      {
        file: './deploy/chart/templates/deployment.yaml',
        line: 7,
        message:
          'a Helm template, not rendered YAML: commit the output of helm template instead',
      },
    ],
  },
};
