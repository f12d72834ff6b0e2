import type {
  CheckDefinition,
  SourceLink,
} from '@mesh-readiness/plugin-mesh-readiness-common';

const istioAppRequirements: SourceLink = {
  title: 'Istio: application requirements',
  url: 'https://istio.io/latest/docs/ops/deployment/application-requirements/',
};
const istioProtocolSelection: SourceLink = {
  title: 'Istio: protocol selection',
  url: 'https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/',
};
const linkerdProtocolDetection: SourceLink = {
  title: 'Linkerd: TCP proxying and protocol detection',
  url: 'https://linkerd.io/2-edge/features/protocol-detection/',
};
const linkerdIptables: SourceLink = {
  title: 'Linkerd: iptables rules (proxy UID 2102, ports 4140/4143)',
  url: 'https://linkerd.io/2-edge/reference/iptables/',
};
const istioTracingFaq: SourceLink = {
  title: 'Istio FAQ: distributed tracing',
  url: 'https://istio.io/latest/about/faq/distributed-tracing/',
};
const istioDefaultRetries: SourceLink = {
  title: 'istio/istio retry.go: default retry policy',
  url: 'https://github.com/istio/istio/blob/master/pilot/pkg/networking/core/route/retry/retry.go',
};
const rfc9110: SourceLink = {
  title: 'RFC 9110 §9.2.2 Idempotent methods',
  url: 'https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2',
};
const backstageOwnership: SourceLink = {
  title: 'Backstage: descriptor format, spec.owner',
  url: 'https://backstage.io/docs/features/software-catalog/descriptor-format#specowner-required',
};

function check(
  def: Omit<CheckDefinition, 'scope' | 'appliesTo' | 'gate'> &
    Partial<Pick<CheckDefinition, 'scope' | 'appliesTo' | 'gate'>>,
): CheckDefinition {
  return {
    scope: 'entity',
    appliesTo: 'Components of type service, website, job and cronjob',
    gate: false,
    ...def,
  };
}

/** The check catalogue, as `GET /checks` would serve it. */
export const checksFixture: CheckDefinition[] = [
  check({
    id: 'owner',
    title: 'Has an owner',
    category: 'ownership',
    weight: 5,
    gate: true,
    rationale:
      'Someone has to answer when the mesh breaks this service at 3 a.m.',
    remediation: 'Set spec.owner to the group that runs the service.',
    remediationYaml: 'spec:\n  owner: "group:default/your-team"',
    sources: [backstageOwnership],
  }),
  check({
    id: 'tracing',
    title: 'Propagates trace context',
    category: 'observability',
    weight: 15,
    gate: true,
    rationale:
      'A mesh creates spans, but it cannot join them: the application must forward traceparent (or B3) headers on every outbound call, or traces stop at the first hop.',
    remediation:
      'Propagate W3C traceparent on every outbound call (OpenTelemetry SDK) and declare it.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/tracing: "full"',
    sources: [istioTracingFaq],
  }),
  check({
    id: 'protocols',
    title: 'Declares its ports and protocols',
    category: 'protocols',
    weight: 10,
    rationale:
      'The proxy picks HTTP or opaque TCP per port; an undeclared protocol is guessed by sniffing, which breaks server-speaks-first protocols.',
    remediation: 'List every port the workload listens on with its protocol.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/ports: "8080/http"',
    sources: [istioProtocolSelection, linkerdProtocolDetection],
  }),
  check({
    id: 'server-first-protocols',
    title: 'Server-speaks-first ports are opaque',
    category: 'protocols',
    weight: 10,
    rationale:
      'MySQL, PostgreSQL, SMTP and similar protocols send the first bytes from the server; protocol detection waits for the client and the connection hangs for 10 seconds.',
    remediation: 'Declare these ports opaque to the mesh.',
    sources: [linkerdProtocolDetection, istioAppRequirements],
  }),
  check({
    id: 'proxy-uid',
    title: 'Does not run as the proxy UID',
    category: 'workload',
    weight: 10,
    gate: true,
    rationale:
      'Traffic from the proxy UID (Istio 1337, Linkerd 2102) bypasses redirection; an app running as that UID escapes the mesh entirely.',
    remediation: 'Run the container as another UID and declare it.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/run-as-uid: "10001"',
    sources: [istioAppRequirements, linkerdIptables],
  }),
  check({
    id: 'probes',
    title: 'Probes survive the proxy',
    category: 'workload',
    weight: 5,
    rationale:
      'HTTP probes are rewritten by the injector; exec probes that call localhost ports may not be.',
    remediation: 'Declare the probe types the workload uses.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/probes: "http"',
    sources: [istioAppRequirements],
  }),
  check({
    id: 'timeouts',
    title: 'Client timeouts configured',
    category: 'resilience',
    weight: 5,
    rationale:
      'Without client timeouts a mesh retry can stack on top of a hung call.',
    remediation: 'Configure client-side timeouts on outbound calls.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/timeouts: "true"',
    sources: [istioDefaultRetries],
  }),
  check({
    id: 'retry-safety',
    title: 'Safe under mesh retries',
    category: 'resilience',
    weight: 15,
    gate: true,
    rationale:
      'Istio retries twice by default on connect-failure, refused-stream, unavailable, cancelled and 503, whatever the method: a non-idempotent POST can be processed twice.',
    remediation:
      'Make the operation idempotent (Idempotency-Key) or list it in no-retry-routes and apply the mesh configuration below.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/no-retry-routes: "POST /payments"',
    sources: [istioDefaultRetries, rfc9110],
  }),
  check({
    id: 'compliance-mtls-scope',
    title: 'mTLS requirement is explicit',
    category: 'security',
    weight: 5,
    rationale:
      'An auditor asking for workload identity rules out options that only encrypt.',
    remediation: 'State what the auditor asks for.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/mtls-requirement: "workload-identity"',
    sources: [istioAppRequirements],
  }),
  check({
    id: 'batch-workload',
    title: 'Batch workloads can exit',
    category: 'workload',
    weight: 5,
    rationale:
      'A sidecar that never exits keeps a Job from completing unless native sidecars are used.',
    remediation:
      'Use native sidecars (Kubernetes 1.29+) or the ambient data plane.',
    sources: [
      {
        title: 'istio/istio#11659: sidecar keeps Jobs from completing',
        url: 'https://github.com/istio/istio/issues/11659',
      },
    ],
  }),
];
