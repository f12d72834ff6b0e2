/*
 * Every citation the model uses, in one place, so that a check, a gate, a
 * recommendation reason or a cost figure points at the same page.
 */
import type { VersionSource } from './config';
import type { SourceLink } from './types';

function link(title: string, url: string): SourceLink {
  return Object.freeze({ title, url }) as SourceLink;
}

/** @internal */
export const SOURCES = {
  istioProtocolSelection: link(
    'Istio: protocol selection',
    'https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/',
  ),
  istioIst0118: link(
    'Istio analyzer IST0118 PortNameIsNotUnderNamingConvention',
    'https://istio.io/latest/docs/reference/config/analysis/ist0118/',
  ),
  istioAppRequirements: link(
    'Istio: application requirements',
    'https://istio.io/latest/docs/ops/deployment/application-requirements/',
  ),
  istioAnalyzerMessages: link(
    'Istio analyzer messages (messages.yaml)',
    'https://github.com/istio/istio/blob/master/pkg/config/analysis/msg/messages.yaml',
  ),
  istioHealthChecks: link(
    'Istio: health checking of Istio services',
    'https://istio.io/latest/docs/ops/configuration/mesh/app-health-check/',
  ),
  istioJobsIssue: link(
    'istio/istio#11659: sidecar keeps Jobs from completing',
    'https://github.com/istio/istio/issues/11659',
  ),
  istioTracingFaq: link(
    'Istio FAQ: distributed tracing',
    'https://istio.io/latest/about/faq/distributed-tracing/',
  ),
  istioTracingOverview: link(
    'Istio: distributed tracing overview',
    'https://istio.io/latest/docs/tasks/observability/distributed-tracing/overview/',
  ),
  istioDefaultRetries: link(
    'istio/istio retry.go: default retry policy',
    'https://github.com/istio/istio/blob/master/pilot/pkg/networking/core/route/retry/retry.go',
  ),
  istioVirtualService: link(
    'Istio API: VirtualService (HTTPRetry, timeouts, fault injection)',
    'https://github.com/istio/api/blob/master/networking/v1alpha3/virtual_service.proto',
  ),
  istioPerformance: link(
    'Istio: performance and scalability',
    'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/',
  ),
  istioAmbientGettingStarted: link(
    'Istio ambient: getting started (supported Kubernetes versions)',
    'https://istio.io/latest/docs/ambient/getting-started/',
  ),
  istioSupportedReleases: link(
    'Istio 1.31.0 announcement: officially supported on Kubernetes 1.32 to 1.36',
    'https://istio.io/latest/news/releases/1.31.x/announcing-1.31/',
  ),
  istioSidecarInjection: link(
    'Istio: installing the sidecar (injection labels and their precedence)',
    'https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/',
  ),
  istioInjectHostNetwork: link(
    'istio/istio inject.go: no sidecar injection when host networking is enabled',
    'https://github.com/istio/istio/blob/master/pkg/kube/inject/inject.go',
  ),
  istioInjectionTemplate: link(
    'istio/istio injection template: the sidecar mounts a projected token of its own (istio-token)',
    'https://github.com/istio/istio/blob/master/manifests/charts/istio-control/istio-discovery/files/injection-template.yaml',
  ),
  istioCniInitContainers: link(
    'Istio CNI: compatibility with application init containers',
    'https://istio.io/latest/docs/setup/additional-setup/cni/#compatibility-with-application-init-containers',
  ),
  istioIst0123: link(
    'Istio analyzer IST0123 NamespaceMultipleInjectionLabels',
    'https://istio.io/latest/docs/reference/config/analysis/ist0123/',
  ),
  istioAmbientAddWorkloads: link(
    'Istio ambient: add workloads to the mesh (istio.io/dataplane-mode)',
    'https://istio.io/latest/docs/ambient/usage/add-workloads/',
  ),
  istioAmbientTrafficRedirection: link(
    "Istio ambient: ztunnel traffic redirection inside the pod's network namespace",
    'https://istio.io/latest/docs/ambient/architecture/traffic-redirection/',
  ),
  istioAnalyze: link(
    'Istio: diagnose your configuration with istioctl analyze',
    'https://istio.io/latest/docs/ops/diagnostic-tools/istioctl-analyze/',
  ),
  envoyRouter: link(
    'Envoy router filter: retries, retry_on, timeouts',
    'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter',
  ),
  rfc9110Idempotent: link(
    'RFC 9110 §9.2.2 Idempotent methods',
    'https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2',
  ),
  linkerdProtocolDetection: link(
    'Linkerd: TCP proxying and protocol detection',
    'https://linkerd.io/2-edge/features/protocol-detection/',
  ),
  linkerdProxyInjection: link(
    'Linkerd: automatic proxy injection (linkerd.io/inject)',
    'https://linkerd.io/2-edge/features/proxy-injection/',
  ),
  linkerdInjectReport: link(
    'linkerd/linkerd2 inject report.go: why injection is skipped (hostNetwork, automountServiceAccountToken false)',
    'https://github.com/linkerd/linkerd2/blob/main/pkg/inject/report.go',
  ),
  linkerdIptables: link(
    'Linkerd: iptables rules (proxy UID 2102, ports 4140/4143)',
    'https://linkerd.io/2-edge/reference/iptables/',
  ),
  linkerdCni: link(
    'Linkerd: CNI plugin',
    'https://linkerd.io/2-edge/features/cni/',
  ),
  linkerdNativeSidecars: link(
    'Linkerd: native sidecars',
    'https://linkerd.io/2-edge/features/native-sidecars/',
  ),
  linkerdLoadBalancing: link(
    'Linkerd: load balancing',
    'https://linkerd.io/2-edge/features/load-balancing/',
  ),
  linkerdRetriesTimeouts: link(
    'Linkerd: retries and timeouts',
    'https://linkerd.io/2-edge/features/retries-and-timeouts/',
  ),
  linkerdTrafficSplit: link(
    'Linkerd: traffic split',
    'https://linkerd.io/2-edge/features/traffic-split/',
  ),
  linkerdTracing: link(
    'Linkerd: distributed tracing',
    'https://linkerd.io/2-edge/features/distributed-tracing/',
  ),
  linkerdAutomaticMtls: link(
    'Linkerd: automatic mTLS (trust anchor and issuer lifetimes)',
    'https://linkerd.io/2-edge/features/automatic-mtls/',
  ),
  linkerdTroubleshooting: link(
    'Linkerd: troubleshooting (linkerd check)',
    'https://linkerd.io/2-edge/tasks/troubleshooting/',
  ),
  linkerdK8sVersions: link(
    'Linkerd: supported Kubernetes versions (newest row, Linkerd 2.19: 1.29–1.34)',
    'https://linkerd.io/2-edge/reference/k8s-versions/',
  ),
  linkerd220: link(
    'Announcing Linkerd 2.20: maximum supported Kubernetes 1.35, native sidecars by default',
    'https://linkerd.io/2026/06/23/announcing-linkerd-2.20/',
  ),
  linkerdRequestRouting: link(
    'Linkerd: dynamic request routing',
    'https://linkerd.io/2-edge/features/request-routing/',
  ),
  linkerdFaultInjection: link(
    'Linkerd: fault injection',
    'https://linkerd.io/2-edge/tasks/fault-injection/',
  ),
  linkerdBenchmark2021: link(
    'Linkerd blog (vendor benchmark): Linkerd vs Istio, 2021',
    'https://linkerd.io/2021/11/29/linkerd-vs-istio-benchmarks-2021/',
  ),
  ciliumSystemRequirements: link(
    'Cilium: system requirements (Linux kernel >= 5.10, or 4.18 on RHEL 8.10)',
    'https://docs.cilium.io/en/latest/operations/system_requirements/',
  ),
  ciliumMutualAuth: link(
    'Cilium: mutual authentication (beta, deprecated in v1.20)',
    'https://docs.cilium.io/en/latest/network/servicemesh/mutual-authentication/mutual-authentication/',
  ),
  ciliumMutualAuthDeprecation: link(
    'cilium/cilium#47132: deprecate mutual authentication',
    'https://github.com/cilium/cilium/issues/47132',
  ),
  ciliumZtunnel: link(
    'Cilium: ztunnel transparent encryption (beta)',
    'https://docs.cilium.io/en/latest/security/network/encryption-ztunnel/',
  ),
  ciliumWireguard: link(
    'Cilium: WireGuard transparent encryption',
    'https://docs.cilium.io/en/latest/security/network/encryption-wireguard/',
  ),
  ciliumVisibility: link(
    'Cilium: L7 visibility',
    'https://docs.cilium.io/en/latest/observability/visibility/',
  ),
  ciliumGamma: link(
    'Cilium: GAMMA support',
    'https://docs.cilium.io/en/latest/network/servicemesh/gateway-api/gamma/',
  ),
  ciliumScalability: link(
    'Cilium: scalability report (1000 nodes)',
    'https://docs.cilium.io/en/latest/operations/performance/scalability/report/',
  ),
  k8sSidecarContainers: link(
    'Kubernetes: sidecar containers',
    'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/',
  ),
  k8sSidecarFeatureGate: link(
    'Kubernetes feature gate SidecarContainers: beta and on by default from 1.29, stable in 1.33',
    'https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/',
  ),
  k8sPodSecurityStandards: link(
    'Kubernetes: Pod Security Standards',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ),
  k8sInitContainers: link(
    'Kubernetes: init containers',
    'https://kubernetes.io/docs/concepts/workloads/pods/init-containers/',
  ),
  k8sService: link(
    'Kubernetes: Service (port, targetPort and named container ports)',
    'https://kubernetes.io/docs/concepts/services-networking/service/',
  ),
  k8sServiceAccountToken: link(
    'Kubernetes: configure service accounts (opt out of API credential automounting)',
    'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
  ),
  kialiKia0701: link(
    'Kiali validation KIA0701: Deployment exposing same port as Service not found',
    'https://kiali.io/docs/features/validations/#kia0701---deployment-exposing-same-port-as-service-not-found',
  ),
  backstageDescriptor: link(
    'Backstage: descriptor format of catalog entities',
    'https://backstage.io/docs/features/software-catalog/descriptor-format',
  ),
  nist800204a: link(
    'NIST SP 800-204A: secure microservices with a service mesh',
    'https://csrc.nist.gov/pubs/sp/800/204/a/final',
  ),
  nist800204b: link(
    'NIST SP 800-204B: ABAC for microservices with a service mesh',
    'https://csrc.nist.gov/pubs/sp/800/204/b/final',
  ),
  nist800207a: link(
    'NIST SP 800-207A: zero trust for cloud-native applications',
    'https://csrc.nist.gov/News/2023/nist-publishes-sp-800-207a',
  ),
  cncfPlatformMaturity: link(
    'CNCF Platform Engineering Maturity Model',
    'https://tag-app-delivery.cncf.io/whitepapers/platform-eng-maturity-model/',
  ),
} as const;

function versionSource(release: string, source: SourceLink): VersionSource {
  return Object.freeze({
    release,
    title: source.title,
    url: source.url,
  }) as VersionSource;
}

/**
 * The release each default version figure is read from (checked against
 * the newest Istio, Linkerd, Cilium and Kubernetes sources held):
 * - Istio 1.31: the 1.31.0 announcement says 1.32 to 1.36.
 * - Linkerd 2.20: the announcement raises the maximum to 1.35 and states
 *   no minimum; the minimum is the newest published row (2.19: 1.29).
 * - Cilium: system requirements, kernel 5.10 (4.18 on RHEL 8.10).
 * - Kubernetes 1.29: SidecarContainers beta, on by default.
 * @internal
 */
export const VERSION_SOURCES = {
  istio: versionSource('Istio 1.31', SOURCES.istioSupportedReleases),
  linkerd: versionSource(
    'Linkerd 2.20; minimum from the 2.19 row',
    SOURCES.linkerd220,
  ),
  ciliumKernel: versionSource(
    'Cilium docs (main)',
    SOURCES.ciliumSystemRequirements,
  ),
  nativeSidecars: versionSource(
    'Kubernetes 1.29',
    SOURCES.k8sSidecarFeatureGate,
  ),
} as const;
