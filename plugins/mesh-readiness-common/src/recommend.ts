/*
 * The mesh recommendation: the least complex option that meets every
 * declared need and constraint. Options are assessed in order of
 * complexity (none < cilium < linkerd < istio-ambient < istio-sidecar); each
 * reason and caveat cites its source.
 */
import {
  ANNOTATION_CNI,
  ANNOTATION_KERNEL_VERSION,
  ANNOTATION_KUBERNETES_VERSION,
  ANNOTATION_NODES,
} from './annotationKeys';
import type { ResolvedMeshReadinessConfig, VersionWindow } from './config';
import type { ClusterInfo } from './context';
import type { OrgFacts } from './facts';
import { SOURCES } from './sources';
import type {
  CheckStatus,
  MeshAssessment,
  MeshOption,
  Recommendation,
  SourceLink,
} from './types';
import { compareMinor, parseVersion, Version } from './util';

const COMPLEXITY: Record<MeshOption, number> = {
  none: 0,
  cilium: 1,
  linkerd: 2,
  'istio-ambient': 3,
  'istio-sidecar': 4,
};

const NAMES: Record<MeshOption, string> = {
  none: 'No mesh',
  cilium: 'Cilium',
  linkerd: 'Linkerd',
  'istio-ambient': 'Istio ambient',
  'istio-sidecar': 'Istio (sidecars)',
};

/** Human name of a mesh option. @public */
export function meshName(mesh: MeshOption): string {
  return NAMES[mesh];
}

class Assessment {
  readonly reasons: string[] = [];
  readonly caveats: string[] = [];
  readonly unmet: string[] = [];
  readonly sources: SourceLink[] = [];

  constructor(readonly mesh: MeshOption) {}

  cite(...links: SourceLink[]) {
    for (const l of links) {
      if (!this.sources.includes(l)) {
        this.sources.push(l);
      }
    }
  }
  reason(text: string, ...links: SourceLink[]) {
    this.reasons.push(text);
    this.cite(...links);
  }
  caveat(text: string, ...links: SourceLink[]) {
    this.caveats.push(text);
    this.cite(...links);
  }
  miss(text: string, ...links: SourceLink[]) {
    this.unmet.push(text);
    this.cite(...links);
  }

  result(): MeshAssessment & { unmet: string[] } {
    return {
      mesh: this.mesh,
      fits: this.unmet.length === 0,
      complexity: COMPLEXITY[this.mesh],
      reasons:
        this.unmet.length > 0 ? [...this.unmet, ...this.reasons] : this.reasons,
      caveats: this.caveats,
      sources: this.sources,
      unmet: this.unmet,
    };
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function versionWindowCheck(
  a: Assessment,
  clusters: readonly ClusterInfo[],
  window: VersionWindow,
  product: string,
  source: SourceLink,
) {
  const min = parseVersion(window.min)!;
  const max = parseVersion(window.max)!;
  const outside: string[] = [];
  let unknown = 0;
  for (const c of clusters) {
    const v = c.values.kubernetesVersion;
    if (!v) {
      unknown++;
    } else if (compareMinor(v, min) < 0 || compareMinor(v, max) > 0) {
      outside.push(`${c.name} (${v.raw})`);
    }
  }
  if (outside.length > 0) {
    a.miss(
      `${product} supports Kubernetes ${window.min}–${
        window.max
      }; outside that window: ${outside.join(', ')}.`,
      source,
    );
  } else if (clusters.length === 0 || unknown > 0) {
    a.caveat(
      `${product} supports Kubernetes ${window.min}–${
        window.max
      }; the version of ${
        clusters.length === 0 ? 'the clusters' : plural(unknown, 'cluster')
      } is unknown.`,
      source,
    );
  } else {
    a.reason(
      `Every cluster runs a Kubernetes version ${product} supports (${window.min}–${window.max}).`,
      source,
    );
  }
}

function oldestKubernetes(
  clusters: readonly ClusterInfo[],
): Version | undefined {
  let oldest: Version | undefined;
  for (const c of clusters) {
    const v = c.values.kubernetesVersion;
    if (v && (!oldest || compareMinor(v, oldest) < 0)) {
      oldest = v;
    }
  }
  return oldest;
}

function sidecarJobs(
  a: Assessment,
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
) {
  if (facts.batch === 0) {
    return;
  }
  const native = parseVersion(config.versions.nativeSidecarsKubernetes)!;
  const oldest = oldestKubernetes(facts.clusters);
  if (oldest && compareMinor(oldest, native) < 0) {
    a.miss(
      `${plural(
        facts.batch,
        'batch workload',
      )} would not terminate with a sidecar: native sidecars need Kubernetes ${
        native.raw
      }+, and a cluster runs ${oldest.raw}.`,
      SOURCES.linkerdNativeSidecars,
      SOURCES.istioJobsIssue,
    );
  } else {
    a.caveat(
      `${plural(
        facts.batch,
        'batch workload',
      )}: enable native sidecars (Kubernetes ${
        native.raw
      }+) so Jobs can finish.`,
      SOURCES.linkerdNativeSidecars,
      SOURCES.k8sSidecarContainers,
    );
  }
}

function common(a: Assessment, facts: OrgFacts) {
  if (facts.udpServices > 0) {
    a.caveat(
      `${plural(facts.udpServices, 'service')} declare UDP ports, which ${
        a.mesh === 'cilium'
          ? 'ztunnel encryption does not cover (TCP only); WireGuard does, node to node'
          : 'the mesh does not proxy or encrypt'
      }.`,
      a.mesh === 'cilium'
        ? SOURCES.ciliumZtunnel
        : SOURCES.istioProtocolSelection,
    );
  }
  if (facts.serverFirstUnopaque > 0 && a.mesh !== 'cilium') {
    a.caveat(
      `${plural(facts.serverFirstUnopaque, 'service')} ${
        facts.serverFirstUnopaque === 1 ? 'serves' : 'serve'
      } server-first protocols on ports not declared opaque${
        a.mesh === 'linkerd'
          ? ' (Linkerd waits up to 10 s before falling back to TCP)'
          : ''
      }; declare them before meshing.`,
      a.mesh === 'linkerd'
        ? SOURCES.linkerdProtocolDetection
        : SOURCES.istioAppRequirements,
    );
  }
}

function assessCilium(
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
): Assessment {
  const a = new Assessment('cilium');
  if (facts.workloadIdentity > 0) {
    a.miss(
      `${plural(
        facts.workloadIdentity,
        'service',
      )} require workload-identity mTLS. Cilium's mutual authentication is beta and deprecated as of v1.20, and its ztunnel encryption is beta; WireGuard/IPsec encrypt node to node with per-node keys, not per workload.`,
      SOURCES.ciliumMutualAuth,
      SOURCES.ciliumMutualAuthDeprecation,
      SOURCES.ciliumZtunnel,
      SOURCES.ciliumWireguard,
    );
  } else if (facts.encryptionOnly > 0) {
    a.reason(
      `${plural(
        facts.encryptionOnly,
        'service',
      )} need encryption in transit only: WireGuard or IPsec transparent encryption covers it (node-level keys, not workload identity).`,
      SOURCES.ciliumWireguard,
    );
  }
  const routing = (
    ['canary', 'traffic-split', 'header-routing'] as const
  ).filter(n => facts.needs[n] > 0);
  if (routing.length > 0) {
    a.miss(
      `Needs ${routing.join(
        ', ',
      )}: Cilium offers only GAMMA producer routes and CiliumEnvoyConfig with minimal validation.`,
      SOURCES.ciliumGamma,
    );
  }
  if (facts.needs['fault-injection'] > 0) {
    a.miss(
      'Needs fault-injection, which Cilium does not offer as a first-class feature.',
      SOURCES.ciliumGamma,
    );
  }
  const resilience = (
    ['retries', 'timeouts', 'circuit-breaking'] as const
  ).filter(n => facts.needs[n] > 0);
  if (resilience.length > 0) {
    a.caveat(
      `${resilience.join(
        ', ',
      )} only through Envoy configuration (CiliumEnvoyConfig / GAMMA routes).`,
      SOURCES.ciliumGamma,
    );
  }
  if (facts.needs['multi-cluster'] > 0) {
    a.caveat(
      'Multi-cluster through Cluster Mesh, which works with neither mutual authentication nor ztunnel encryption.',
      SOURCES.ciliumZtunnel,
      SOURCES.ciliumMutualAuth,
    );
  }
  if (facts.needs.observability > 0) {
    a.caveat(
      'Hubble shows L3/L4 flows; L7 visibility needs the L7 proxy and an L7 policy, which also restricts traffic.',
      SOURCES.ciliumVisibility,
    );
  }
  const min = parseVersion(config.versions.ciliumMinKernel)!;
  const oldKernels = facts.clusters.filter(
    c =>
      c.values.kernelVersion && compareMinor(c.values.kernelVersion, min) < 0,
  );
  const unknownKernels = facts.clusters.filter(c => !c.values.kernelVersion);
  if (oldKernels.length > 0) {
    a.miss(
      `Cilium needs Linux ${min.raw}+; ${oldKernels
        .map(c => `${c.name} runs ${c.values.kernelVersion!.raw}`)
        .join(', ')}.`,
      SOURCES.ciliumSystemRequirements,
    );
  } else if (facts.clusters.length === 0 || unknownKernels.length > 0) {
    a.caveat(
      `Cilium needs Linux ${min.raw}+; the node kernel of ${
        facts.clusters.length === 0
          ? 'the clusters'
          : plural(unknownKernels.length, 'cluster')
      } is unknown.`,
      SOURCES.ciliumSystemRequirements,
    );
  } else {
    a.reason(
      `Every cluster's kernel meets Cilium's ${min.raw}+ requirement.`,
      SOURCES.ciliumSystemRequirements,
    );
  }
  const otherCni = facts.clusters.filter(
    c => c.values.cni && c.values.cni !== 'cilium',
  );
  const unknownCni = facts.clusters.filter(c => !c.values.cni);
  if (otherCni.length > 0) {
    a.miss(
      `Cilium is not the CNI of ${otherCni
        .map(c => `${c.name} (${c.values.cni})`)
        .join(', ')}: adopting it means replacing the cluster network.`,
      SOURCES.ciliumSystemRequirements,
    );
  } else if (facts.clusters.length > 0 && unknownCni.length === 0) {
    a.reason(
      'Cilium is already the CNI of every cluster: no new data plane to run.',
      SOURCES.ciliumScalability,
    );
  } else {
    a.caveat(
      'The CNI of some clusters is unknown; Cilium fits best where it is already the CNI.',
    );
  }
  common(a, facts);
  return a;
}

function assessLinkerd(
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
): Assessment {
  const a = new Assessment('linkerd');
  if (facts.workloadIdentity > 0 || facts.encryptionOnly > 0) {
    a.reason(
      'mTLS is on by default for all meshed TCP traffic, with an identity per ServiceAccount.',
      SOURCES.linkerdAutomaticMtls,
    );
    a.caveat(
      'The default trust anchor and issuer certificates expire after one year and are rotated by hand unless cert-manager or an external CA runs them.',
      SOURCES.linkerdAutomaticMtls,
    );
  }
  const routing = (
    ['canary', 'traffic-split', 'header-routing'] as const
  ).filter(n => facts.needs[n] > 0);
  if (routing.length > 0) {
    a.reason(
      `${routing.join(', ')} through HTTPRoute dynamic request routing.`,
      SOURCES.linkerdRequestRouting,
    );
  }
  if (facts.needs['fault-injection'] > 0) {
    a.reason(
      'fault-injection through configuration.',
      SOURCES.linkerdFaultInjection,
    );
  }
  if (facts.needs['multi-cluster'] > 0) {
    a.reason(
      'multi-cluster with a shared trust anchor.',
      SOURCES.linkerdAutomaticMtls,
    );
  }
  if (facts.needs.retries > 0) {
    a.reason(
      'Retries are opt-in per route, so non-idempotent calls are not retried by surprise.',
      SOURCES.linkerdRetriesTimeouts,
    );
  }
  if (facts.needs.observability > 0) {
    a.caveat(
      'Golden metrics come without code changes; traces still need header propagation in the apps.',
      SOURCES.linkerdTracing,
    );
  }
  versionWindowCheck(
    a,
    facts.clusters,
    config.versions.linkerd,
    'Linkerd',
    SOURCES.linkerdK8sVersions,
  );
  sidecarJobs(a, facts, config);
  if (facts.uid2102 > 0) {
    a.caveat(
      `${plural(
        facts.uid2102,
        'service',
      )} run as UID 2102, the Linkerd proxy's UID.`,
      SOURCES.linkerdIptables,
    );
  }
  if (facts.restrictedPodSecurity > 0) {
    a.caveat(
      `${plural(
        facts.restrictedPodSecurity,
        'service',
      )} run under the restricted Pod Security Standard: install linkerd-cni.`,
      SOURCES.linkerdCni,
    );
  }
  common(a, facts);
  return a;
}

function istioCommon(
  a: Assessment,
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
) {
  if (facts.workloadIdentity > 0 || facts.encryptionOnly > 0) {
    a.reason(
      a.mesh === 'istio-ambient'
        ? 'ztunnel gives every workload mTLS with a SPIFFE identity (HBONE), without sidecars.'
        : 'Sidecars give every workload mTLS with a SPIFFE identity (PeerAuthentication STRICT).',
      SOURCES.istioAppRequirements,
    );
  }
  const l7 = (
    ['canary', 'traffic-split', 'header-routing', 'fault-injection'] as const
  ).filter(n => facts.needs[n] > 0);
  if (l7.length > 0) {
    a.reason(
      `${l7.join(', ')} through VirtualService / HTTPRoute${
        a.mesh === 'istio-ambient' ? ' on a waypoint proxy' : ''
      }.`,
      SOURCES.istioVirtualService,
    );
  }
  if (facts.needs['multi-cluster'] > 0) {
    if (a.mesh === 'istio-ambient') {
      a.caveat(
        'Multi-cluster support for ambient mode is still evolving; check your release.',
        SOURCES.istioPerformance,
      );
    } else {
      a.reason(
        'multi-cluster with several supported deployment models.',
        SOURCES.istioAppRequirements,
      );
    }
  }
  a.caveat(
    'Istio retries by default (2 retries on connect-failure, refused-stream, unavailable, cancelled and 503), even without a VirtualService: check retry-safety before meshing.',
    SOURCES.istioDefaultRetries,
  );
  if (facts.needs.observability > 0) {
    a.caveat(
      a.mesh === 'istio-ambient'
        ? 'ztunnel (L4) emits no HTTP spans; L7 telemetry needs a waypoint, and traces need header propagation in the apps.'
        : 'Proxies emit spans, but the apps must propagate trace headers.',
      SOURCES.istioTracingFaq,
    );
  }
  versionWindowCheck(
    a,
    facts.clusters,
    config.versions.istio,
    'Istio',
    SOURCES.istioAmbientGettingStarted,
  );
}

function assessAmbient(
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
): Assessment {
  const a = new Assessment('istio-ambient');
  istioCommon(a, facts, config);
  if (facts.batch > 0) {
    a.reason(
      `${plural(
        facts.batch,
        'batch workload',
      )} finish normally: there is no sidecar.`,
      SOURCES.istioJobsIssue,
    );
  }
  common(a, facts);
  return a;
}

function assessSidecar(
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
): Assessment {
  const a = new Assessment('istio-sidecar');
  istioCommon(a, facts, config);
  sidecarJobs(a, facts, config);
  if (facts.uid1337 > 0) {
    a.caveat(
      `${plural(facts.uid1337, 'service')} run as UID 1337, the sidecar's UID.`,
      SOURCES.istioAppRequirements,
    );
  }
  if (facts.restrictedPodSecurity > 0) {
    a.caveat(
      `${plural(
        facts.restrictedPodSecurity,
        'service',
      )} run under the restricted Pod Security Standard: install istio-cni.`,
      SOURCES.istioAppRequirements,
    );
  }
  common(a, facts);
  return a;
}

function anyNeed(facts: OrgFacts): boolean {
  return (
    facts.workloadIdentity > 0 ||
    facts.encryptionOnly > 0 ||
    Object.values(facts.needs).some(n => n > 0)
  );
}

function assessNone(facts: OrgFacts): Assessment {
  const a = new Assessment('none');
  if (anyNeed(facts)) {
    const declared = Object.entries(facts.needs)
      .filter(([, n]) => n > 0)
      .map(([k]) => k);
    if (facts.workloadIdentity > 0) {
      declared.unshift('workload-identity mTLS');
    } else if (facts.encryptionOnly > 0) {
      declared.unshift('encryption in transit');
    }
    a.miss(
      `Services declare needs a mesh would serve: ${declared.join(', ')}.`,
    );
  } else {
    a.reason('No service declares a need a mesh would serve.');
  }
  return a;
}

/** The cluster facts an option depends on that the catalog does not declare. */
function missingInputsFor(mesh: MeshOption, facts: OrgFacts): string[] {
  if (mesh === 'none') {
    return [];
  }
  const clusters = facts.clusters;
  if (clusters.length === 0) {
    return ['a kubernetes-cluster Resource in spec.dependsOn of the services'];
  }
  const lacking = (declared: (c: ClusterInfo) => boolean, key: string) => {
    const n = clusters.filter(c => !declared(c)).length;
    return n > 0 ? [`${key} on ${n} of ${clusters.length} clusters`] : [];
  };
  return [
    ...lacking(
      c => c.values.kubernetesVersion !== undefined,
      ANNOTATION_KUBERNETES_VERSION,
    ),
    ...lacking(c => c.values.cni !== undefined, ANNOTATION_CNI),
    ...(mesh === 'cilium'
      ? lacking(
          c => c.values.kernelVersion !== undefined,
          ANNOTATION_KERNEL_VERSION,
        )
      : []),
    ...(mesh === 'cilium' || mesh === 'istio-ambient'
      ? lacking(c => c.values.nodes !== undefined, ANNOTATION_NODES)
      : []),
  ];
}

/**
 * Assesses every option against the facts and picks the least complex one
 * that fits. When the genuine-need gate has not passed, recommends `none`
 * and still ranks the alternatives.
 * @public
 */
export function recommendMesh(
  facts: OrgFacts,
  config: ResolvedMeshReadinessConfig,
  needGate?: { status: CheckStatus; message: string },
): Recommendation {
  const assessed = [
    assessNone(facts),
    assessCilium(facts, config),
    assessLinkerd(facts, config),
    assessAmbient(facts, config),
    assessSidecar(facts, config),
  ].map(a => a.result());
  const ranked = [...assessed].sort(
    (x, y) =>
      Number(y.fits) - Number(x.fits) ||
      x.unmet.length - y.unmet.length ||
      x.complexity - y.complexity,
  );
  const alternatives: MeshAssessment[] = ranked.map(
    ({ unmet: _unmet, ...rest }) => ({
      ...rest,
      missingInputs: missingInputsFor(rest.mesh, facts),
    }),
  );
  const best = ranked[0];
  const bestMesh = ranked.find(r => r.mesh !== 'none') ?? best;

  if (needGate?.status === 'unknown') {
    const missing = missingInputsFor(bestMesh.mesh, facts);
    return {
      basis: 'undetermined',
      mesh: 'none',
      reasons: [
        `No recommendation until a need is confirmed: ${needGate.message}`,
        `If one is, the least complex option that ${
          bestMesh.fits ? 'fits' : 'comes closest'
        } is ${NAMES[bestMesh.mesh]}${
          missing.length > 0 ? ` (not yet known: ${missing.join('; ')})` : ''
        }; the options below are ranked on that assumption.`,
      ],
      caveats: [],
      sources: [],
      alternatives,
    };
  }
  if (needGate && needGate.status !== 'pass' && needGate.status !== 'waived') {
    return {
      basis: 'no-need',
      mesh: 'none',
      reasons: [
        `No mesh for now: the genuine-need gate is '${needGate.status}'. ${needGate.message}`,
        `If the need becomes real, the least complex option that ${
          bestMesh.fits ? 'fits' : 'comes closest'
        } is ${NAMES[bestMesh.mesh]}.`,
      ],
      caveats: [],
      sources: [],
      alternatives,
    };
  }
  if (best.fits) {
    const skipped = assessed
      .filter(a => a.complexity < best.complexity && !a.fits)
      .map(a => `${NAMES[a.mesh]}: ${a.unmet[0]}`);
    return {
      basis: 'decided',
      mesh: best.mesh,
      reasons: [
        `${
          NAMES[best.mesh]
        } is the least complex option that meets every declared need and constraint.`,
        ...best.reasons,
        ...skipped.map(s => `Simpler option ruled out — ${s}`),
      ],
      caveats: best.caveats,
      sources: best.sources,
      alternatives,
    };
  }
  return {
    basis: 'decided',
    mesh: best.mesh,
    reasons: [
      `No option meets every constraint; ${
        NAMES[best.mesh]
      } misses the fewest (${best.unmet.length}).`,
      ...best.reasons,
    ],
    caveats: best.caveats,
    sources: best.sources,
    alternatives,
  };
}
