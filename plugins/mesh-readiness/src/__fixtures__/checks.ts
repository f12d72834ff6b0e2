import type { CheckDefinition } from '@mesh-readiness/plugin-mesh-readiness-common';

/**
 * Eleven of the built-in checks, as `GET /checks` serves them with the default
 * configuration: titles, weights, gates and texts are the model's own
 * (listChecks() in @mesh-readiness/plugin-mesh-readiness-common). Update
 * them when the model changes, so tests see what users see.
 */
export const checksFixture: CheckDefinition[] = [
  {
    id: 'owner',
    title: 'Owned by a team',
    category: 'ownership',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded',
    weight: 3,
    gate: false,
    rationale:
      'Mesh configuration (routes, retry policies, authorization policies) needs an accountable team: someone has to answer when the mesh changes how this service behaves. The owner must be a Group in the catalog with at least one member.',
    remediation:
      'Set spec.owner to the Group that runs the service, and make sure that Group lists its members.',
    remediationYaml: 'spec:\n  owner: "group:default/your-team"',
    sources: [
      {
        title: 'Backstage: descriptor format of catalog entities',
        url: 'https://backstage.io/docs/features/software-catalog/descriptor-format',
      },
    ],
    reads: ['spec.owner'],
  },
  {
    id: 'tracing',
    title: 'Trace context propagated',
    category: 'observability',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded',
    weight: 3,
    gate: false,
    rationale:
      'A mesh emits spans from its proxies, but it does not join them into traces by itself: Istio says applications must propagate the trace headers (traceparent/tracestate or B3, x-request-id), and Linkerd says distributed tracing requires both code changes and configuration. Without propagation every hop is a disconnected span, and the mesh cannot be debugged.',
    remediation:
      'Propagate W3C traceparent (or B3) on every outbound call, e.g. with OpenTelemetry instrumentation, then declare tracing "full".',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/tracing: "full"',
    sources: [
      {
        title: 'Istio FAQ: distributed tracing',
        url: 'https://istio.io/latest/about/faq/distributed-tracing/',
      },
      {
        title: 'Istio: distributed tracing overview',
        url: 'https://istio.io/latest/docs/tasks/observability/distributed-tracing/overview/',
      },
      {
        title: 'Linkerd: distributed tracing',
        url: 'https://linkerd.io/2-edge/features/distributed-tracing/',
      },
    ],
    reads: ['mesh-readiness.io/tracing'],
  },
  {
    id: 'protocols',
    title: 'Ports declare their protocol',
    category: 'protocols',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded',
    weight: 3,
    gate: false,
    rationale:
      'Without a declared protocol Istio sniffs the traffic: only HTTP and HTTP/2 are detected, everything else is treated as opaque TCP (istioctl analyze reports IST0118). Linkerd detects protocols too, but needs opaque ports for anything server-first.',
    remediation:
      'List every served port as PORT/PROTOCOL; in Kubernetes, name Service ports <protocol>[-suffix] or set appProtocol.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/ports: "8080/http, 9090/grpc"',
    sources: [
      {
        title: 'Istio: protocol selection',
        url: 'https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/',
      },
      {
        title: 'Istio analyzer IST0118 PortNameIsNotUnderNamingConvention',
        url: 'https://istio.io/latest/docs/reference/config/analysis/ist0118/',
      },
      {
        title: 'Linkerd: TCP proxying and protocol detection',
        url: 'https://linkerd.io/2-edge/features/protocol-detection/',
      },
    ],
    reads: ['mesh-readiness.io/ports'],
  },
  {
    id: 'server-first-protocols',
    title: 'Server-first protocols declared opaque',
    category: 'protocols',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded',
    weight: 3,
    gate: true,
    rationale:
      "In server-speaks-first protocols (MySQL, PostgreSQL, Redis, SMTP, NATS, Galera, …) the client waits for the server. Istio's protocol sniffing and PERMISSIVE mTLS then stall, and Linkerd waits up to 10 seconds for client bytes before falling back to TCP. Istio handles ports 25, 53, 3306 and 27017 on its own; Linkerd treats 25, 587, 3306, 4444, 5432, 6379, 9300 and 11211 as opaque by default. Any other server-first port must be declared.",
    remediation:
      'Declare the port opaque: for Linkerd config.linkerd.io/opaque-ports on the pod (or appProtocol linkerd.io/opaque), for Istio a tcp- port name. Then list it in mesh-readiness.io/opaque-ports.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/opaque-ports: "5432"',
    sources: [
      {
        title: 'Istio: application requirements',
        url: 'https://istio.io/latest/docs/ops/deployment/application-requirements/',
      },
      {
        title: 'Linkerd: TCP proxying and protocol detection',
        url: 'https://linkerd.io/2-edge/features/protocol-detection/',
      },
    ],
    reads: ['mesh-readiness.io/ports', 'mesh-readiness.io/opaque-ports'],
  },
  {
    id: 'proxy-uid',
    title: 'Not running as the proxy UID',
    category: 'security',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded',
    weight: 3,
    gate: true,
    rationale:
      "Istio's sidecar runs as UID 1337 and its iptables rules let that UID's traffic bypass the proxy (IST0144 InvalidApplicationUID); Linkerd's rules skip packets owned by UID 2102. An application running as either UID escapes the mesh. A clash with the recommended mesh fails; a clash with another mesh warns.",
    remediation:
      'Run the container as another UID (securityContext.runAsUser) and declare it.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/run-as-uid: "1000"',
    sources: [
      {
        title: 'Istio: application requirements',
        url: 'https://istio.io/latest/docs/ops/deployment/application-requirements/',
      },
      {
        title: 'Linkerd: iptables rules (proxy UID 2102, ports 4140/4143)',
        url: 'https://linkerd.io/2-edge/reference/iptables/',
      },
    ],
    reads: ['mesh-readiness.io/run-as-uid'],
  },
  {
    id: 'probes',
    title: 'Health probes survive mTLS',
    category: 'workload',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded',
    weight: 2,
    gate: false,
    rationale:
      'Under strict mTLS the kubelet has no mesh certificate. Istio rewrites HTTP and gRPC probes to its agent by default; exec probes are unaffected. TCP probes always succeed with a sidecar, because the sidecar accepts every port, so they stop telling you anything.',
    remediation:
      "Use HTTP, gRPC or exec probes and keep Istio's probe rewrite (sidecar.istio.io/rewriteAppHTTPProbers) enabled.",
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/probes: "http"',
    sources: [
      {
        title: 'Istio: health checking of Istio services',
        url: 'https://istio.io/latest/docs/ops/configuration/mesh/app-health-check/',
      },
    ],
    reads: ['mesh-readiness.io/probes'],
  },
  {
    id: 'timeouts',
    title: 'Client timeouts configured',
    category: 'resilience',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded',
    weight: 2,
    gate: false,
    rationale:
      'Mesh retries multiply load unless calls are bounded: Envoy\'s route timeout includes all retries to avoid "an exponential retry/timeout explosion", and Istio\'s perTryTimeout defaults to none. Services that already set call timeouts keep their behaviour predictable when a mesh adds retries.',
    remediation:
      'Configure a timeout on every outbound client call, then declare it.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/timeouts: "true"',
    sources: [
      {
        title: 'Envoy router filter: retries, retry_on, timeouts',
        url: 'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter',
      },
      {
        title:
          'Istio API: VirtualService (HTTPRetry, timeouts, fault injection)',
        url: 'https://github.com/istio/api/blob/master/networking/v1alpha3/virtual_service.proto',
      },
    ],
    reads: ['mesh-readiness.io/timeouts'],
  },
  {
    id: 'retry-safety',
    title: 'Provided APIs are safe to retry',
    category: 'resilience',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded; reads the OpenAPI and gRPC APIs in spec.providesApis',
    weight: 3,
    gate: true,
    rationale:
      'Istio retries failed requests by default and Envoy does not look at the HTTP method, so a POST whose response was lost can run twice. RFC 9110 makes only GET, HEAD, OPTIONS, TRACE, PUT and DELETE idempotent; POST and PATCH need an Idempotency-Key (or x-idempotent: true), gRPC methods an idempotency_level, or the route must be excluded from retries.',
    remediation:
      'Add Idempotency-Key support to unsafe operations, or list them in mesh-readiness.io/no-retry-routes and set retries.attempts: 0 on those routes.',
    sources: [
      {
        title: 'istio/istio retry.go: default retry policy',
        url: 'https://github.com/istio/istio/blob/master/pilot/pkg/networking/core/route/retry/retry.go',
      },
      {
        title: 'Envoy router filter: retries, retry_on, timeouts',
        url: 'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter',
      },
      {
        title: 'RFC 9110 §9.2.2 Idempotent methods',
        url: 'https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2',
      },
    ],
    reads: [
      'spec.providesApis',
      'mesh-readiness.io/no-retry-routes',
      'mesh-readiness.io/retries',
    ],
  },
  {
    id: 'compliance-mtls-scope',
    title: 'Compliance scope states its mTLS requirement',
    category: 'security',
    scope: 'entity',
    appliesTo:
      'Workloads with a compliance scope (annotation or metadata.tags)',
    weight: 2,
    gate: false,
    rationale:
      'A compliance scope (PCI, HIPAA, SOC 2, …) is the usual reason for mTLS, but auditors differ: some require workload identity (every service pair mutually authenticated, as in NIST SP 800-204B), others only encryption in transit, which node-level WireGuard gives. Which one decides the mesh that fits.',
    remediation: 'Ask the auditor and declare the requirement.',
    remediationYaml:
      'metadata:\n  annotations:\n    mesh-readiness.io/mtls-requirement: "workload-identity"',
    sources: [
      {
        title: 'NIST SP 800-204B: ABAC for microservices with a service mesh',
        url: 'https://csrc.nist.gov/pubs/sp/800/204/b/final',
      },
      {
        title: 'NIST SP 800-207A: zero trust for cloud-native applications',
        url: 'https://csrc.nist.gov/News/2023/nist-publishes-sp-800-207a',
      },
      {
        title: 'Cilium: WireGuard transparent encryption',
        url: 'https://docs.cilium.io/en/latest/security/network/encryption-wireguard/',
      },
    ],
    reads: [
      'mesh-readiness.io/compliance',
      'metadata.tags',
      'mesh-readiness.io/mtls-requirement',
    ],
  },
  {
    id: 'batch-workload',
    title: 'Jobs can finish with a sidecar',
    category: 'workload',
    scope: 'entity',
    appliesTo:
      "Workloads whose spec.type is job, cronjob or batch, or tagged 'batch'",
    weight: 3,
    gate: true,
    rationale:
      'Meshed Jobs and CronJobs "are not able to terminate without modification": the sidecar keeps the pod alive after the job container exits. Native sidecars (Kubernetes 1.29+, Istio ENABLE_NATIVE_SIDECARS, Linkerd 2.20+ by default) fix this; Istio ambient and Cilium have no sidecar at all.',
    remediation:
      'Run the cluster on Kubernetes 1.29+ and enable native sidecars, or use ambient mode, or exclude the Job from injection.',
    sources: [
      {
        title: 'Linkerd: native sidecars',
        url: 'https://linkerd.io/2-edge/features/native-sidecars/',
      },
      {
        title: 'istio/istio#11659: sidecar keeps Jobs from completing',
        url: 'https://github.com/istio/istio/issues/11659',
      },
      {
        title: 'Kubernetes: sidecar containers',
        url: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/',
      },
    ],
    reads: ['spec.type', 'metadata.tags', 'spec.dependsOn'],
  },
  {
    id: 'drift',
    title: 'Declarations match the manifests',
    category: 'workload',
    scope: 'entity',
    appliesTo:
      'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded, with manifests linked',
    weight: 1,
    gate: false,
    rationale:
      'A mesh reads the Kubernetes manifests, not the catalog: Istio picks a protocol from the Service port, and the proxies act on the UID and probes the pod really has. An annotation that says otherwise is stale, and the scorecard scores the manifests.',
    remediation:
      'Remove the annotation that the manifests already answer, or correct it.',
    sources: [
      {
        title: 'Istio: protocol selection',
        url: 'https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/',
      },
      {
        title: 'Istio: application requirements',
        url: 'https://istio.io/latest/docs/ops/deployment/application-requirements/',
      },
    ],
    reads: [
      'mesh-readiness.io/manifests',
      'mesh-readiness.io/ports',
      'mesh-readiness.io/run-as-uid',
      'mesh-readiness.io/probes',
      'mesh-readiness.io/replicas',
      'mesh-readiness.io/headless',
    ],
  },
];
