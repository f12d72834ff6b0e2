/*
 * Organisation checks: the three gates behind the verdict (genuine need,
 * platform capacity, observability) and the platform-level checks shown
 * next to them (PKI plan, config linting, cost vs capacity, kernel and
 * Kubernetes versions). They read org facts, never single entities.
 */
import {
  ANNOTATION_CA,
  ANNOTATION_CAPACITY_MEMORY_GIB,
  ANNOTATION_CAPACITY_VCPU,
  ANNOTATION_COMPLIANCE,
  ANNOTATION_CONFIG_LINT,
  ANNOTATION_KERNEL_VERSION,
  ANNOTATION_KUBERNETES_VERSION,
  ANNOTATION_MESH_ENGINEERS,
  ANNOTATION_MTLS_REQUIREMENT,
  ANNOTATION_NEEDS,
  ANNOTATION_PLATFORM_TEAM,
  ANNOTATION_TRACING,
} from '../annotations';
import type { ResolvedMeshReadinessConfig, VersionWindow } from '../config';
import type { GroupInfo } from '../context';
import type { OrgFacts } from '../facts';
import { SOURCES } from '../sources';
import type {
  CheckCategory,
  CheckDefinition,
  CheckStatus,
  CostEstimate,
  GateResult,
  MeshOption,
  SourceLink,
} from '../types';
import { compareMinor, fmt, parseVersion, pct } from '../util';
import { annotationYaml } from './yaml';

/** Everything an org check may read. @internal */
export interface OrgCheckInput {
  facts: OrgFacts;
  config: ResolvedMeshReadinessConfig;
  recommendedMesh: MeshOption;
  cost: CostEstimate[];
}

/** @internal */
export interface OrgCheck {
  definition: CheckDefinition;
  evaluate(input: OrgCheckInput): Omit<GateResult, 'id' | 'title' | 'sources'>;
}

function def(
  id: string,
  title: string,
  category: CheckCategory,
  weight: number,
  gate: boolean,
  appliesTo: string,
  rationale: string,
  remediation: string,
  sources: SourceLink[],
  remediationYaml?: string,
): CheckDefinition {
  return {
    id,
    title,
    category,
    scope: 'org',
    appliesTo,
    weight,
    gate,
    rationale,
    remediation,
    ...(remediationYaml ? { remediationYaml } : {}),
    sources,
  };
}

type Figures = Record<string, number | string>;

function out(status: CheckStatus, message: string, figures: Figures = {}) {
  return { status, message, figures };
}

const genuineNeed: OrgCheck = {
  definition: def(
    'genuine-need',
    'Genuine need for a mesh',
    'organisation',
    0,
    true,
    'Production Components (spec.lifecycle production) in scope',
    'Teams that regret a mesh usually had no requirement that needed one. Two needs justify it: workload mTLS required by compliance across many production services (NIST SP 800-204B asks for mutual authentication between every pair of services), or traffic features only a mesh serves well (canary, traffic split, fault injection, header routing, multi-cluster) on production services.',
    'Declare compliance scope, the mTLS requirement and needs on production services; if neither need is real, do not adopt a mesh.',
    [SOURCES.nist800204a, SOURCES.nist800204b, SOURCES.nist800207a],
    annotationYaml({
      [ANNOTATION_COMPLIANCE]: 'pci',
      [ANNOTATION_MTLS_REQUIREMENT]: 'workload-identity',
      [ANNOTATION_NEEDS]: 'mtls, canary',
    }),
  ),
  evaluate({ facts, config }) {
    const t = config.thresholds;
    const figures = {
      productionServices: facts.production,
      complianceMtlsServices: facts.complianceMtls,
      complianceUndetermined: facts.complianceUndetermined,
      complianceThreshold: t.complianceServices,
      meshOnlyNeedServices: facts.meshOnlyNeedServices,
      meshOnlyNeedThreshold: t.l7NeedServices,
    };
    if (facts.services === 0) {
      return out(
        'unknown',
        'No in-scope workloads, so the need cannot be judged.',
        figures,
      );
    }
    const parts: string[] = [];
    const compliance = facts.complianceMtls >= t.complianceServices;
    const l7 =
      t.l7NeedServices > 0 && facts.meshOnlyNeedServices >= t.l7NeedServices;
    if (compliance) {
      parts.push(
        `${facts.complianceMtls} production services require mTLS for compliance (threshold ${t.complianceServices})`,
      );
    }
    if (l7) {
      parts.push(
        `${facts.meshOnlyNeedServices} production service${
          facts.meshOnlyNeedServices === 1 ? '' : 's'
        } declare canary, traffic-split, fault-injection, header-routing or multi-cluster (threshold ${
          t.l7NeedServices
        })`,
      );
    }
    if (parts.length > 0) {
      return out('pass', `${parts.join('; ')}.`, figures);
    }
    const summary = `${facts.complianceMtls} of ${t.complianceServices} production services needed for a compliance-driven mTLS need, and ${facts.meshOnlyNeedServices} declaring a need only a mesh serves well.`;
    if (
      facts.complianceMtls + facts.complianceUndetermined >=
      t.complianceServices
    ) {
      return out(
        'unknown',
        `${summary} ${facts.complianceUndetermined} production services in compliance scope do not declare ${ANNOTATION_MTLS_REQUIREMENT}; they could decide it.`,
        figures,
      );
    }
    return out('fail', `No genuine need: ${summary}`, figures);
  },
};

function bestPlatformTeam(teams: readonly GroupInfo[]): GroupInfo | undefined {
  let best: GroupInfo | undefined;
  for (const g of teams) {
    if (
      !best ||
      (g.values.meshEngineers ?? -1) > (best.values.meshEngineers ?? -1)
    ) {
      best = g;
    }
  }
  return best;
}

const platformCapacity: OrgCheck = {
  definition: def(
    'platform-capacity',
    'A platform team can run the mesh',
    'organisation',
    0,
    true,
    'Groups annotated mesh-readiness.io/platform-team',
    'A mesh is infrastructure every request passes through: upgrades, certificate rotation and incident debugging need a team that owns it, with engineers dedicated to it (the "Investment" aspect of the CNCF Platform Engineering Maturity Model).',
    'Name the Group that will run the mesh and the engineers dedicated to it.',
    [SOURCES.cncfPlatformMaturity],
    annotationYaml({
      [ANNOTATION_PLATFORM_TEAM]: 'true',
      [ANNOTATION_MESH_ENGINEERS]: '2',
    }),
  ),
  evaluate({ facts, config }) {
    const need = config.thresholds.meshEngineers;
    const team = bestPlatformTeam(facts.platformTeams);
    const figures: Figures = {
      platformTeams: facts.platformTeams.length,
      threshold: need,
    };
    if (!team) {
      return out(
        'unknown',
        `No Group declares ${ANNOTATION_PLATFORM_TEAM}: "true", so nobody is known to own the mesh.`,
        figures,
      );
    }
    figures.team = team.ref;
    const engineers = team.values.meshEngineers;
    if (engineers === undefined) {
      return out(
        team.values.invalid.includes(ANNOTATION_MESH_ENGINEERS)
          ? 'invalid'
          : 'unknown',
        `${team.ref} is the platform team but ${ANNOTATION_MESH_ENGINEERS} is ${
          team.values.invalid.includes(ANNOTATION_MESH_ENGINEERS)
            ? 'malformed'
            : 'not set'
        }.`,
        figures,
      );
    }
    figures.meshEngineers = engineers;
    if (engineers >= need) {
      return out(
        'pass',
        `${team.ref} runs the platform with ${engineers} dedicated mesh engineers (threshold ${need}).`,
        figures,
      );
    }
    return out(
      'fail',
      `${team.ref} has ${engineers} dedicated mesh engineer${
        engineers === 1 ? '' : 's'
      }; at least ${need} are needed.`,
      figures,
    );
  },
};

const observability: OrgCheck = {
  definition: def(
    'observability',
    'Tracing coverage',
    'organisation',
    0,
    true,
    'In-scope workloads (tracing full counts; partial does not)',
    'A mesh you cannot see into is a mesh you cannot debug. Contrary to the founding essay, a mesh does not give distributed tracing without code changes: Istio and Linkerd both require the applications to propagate trace headers. So trace propagation must already cover most services before a mesh arrives.',
    'Add trace-context propagation (OpenTelemetry) to the services that lack it, starting with the longest call paths.',
    [SOURCES.istioTracingFaq, SOURCES.linkerdTracing],
    annotationYaml({ [ANNOTATION_TRACING]: 'full' }),
  ),
  evaluate({ facts, config }) {
    const t = facts.tracing;
    const threshold = config.thresholds.tracingCoverage;
    const total = facts.services;
    const coverage = total === 0 ? 0 : t.full / total;
    const figures = {
      coverage: Math.round(coverage * 1000) / 1000,
      threshold,
      full: t.full,
      partial: t.partial,
      none: t.none,
      unknown: t.unknown,
      services: total,
    };
    if (total === 0) {
      return out(
        'unknown',
        'No in-scope workloads, so tracing coverage cannot be measured.',
        figures,
      );
    }
    const text = `${t.full} of ${total} services (${pct(
      coverage,
    )}) propagate trace context on every call; ${pct(threshold)} needed`;
    if (coverage >= threshold) {
      return out('pass', `${text}.`, figures);
    }
    if ((t.full + t.unknown) / total >= threshold) {
      return out(
        'unknown',
        `${text}; ${t.unknown} services do not declare ${ANNOTATION_TRACING}.`,
        figures,
      );
    }
    return out('fail', `${text}.`, figures);
  },
};

const pkiPlan: OrgCheck = {
  definition: def(
    'pki-plan',
    'Mesh certificates have an owner and a rotation plan',
    'security',
    3,
    false,
    'The platform Group (platform-team true)',
    'Workload certificates rotate automatically (24 h), but the roots do not: Linkerd\'s default trust anchor and issuer expire after 365 days and rotating them by hand is "a non-trivial task"; `linkerd check` warns below 60 days. A CA run by cert-manager, Vault or an external PKI avoids a mesh-wide outage on expiry.',
    'Run the mesh CA from cert-manager, Vault or your PKI, and declare it on the platform Group.',
    [SOURCES.linkerdAutomaticMtls, SOURCES.linkerdTroubleshooting],
    annotationYaml({ [ANNOTATION_CA]: 'cert-manager' }),
  ),
  evaluate({ facts, recommendedMesh }) {
    if (recommendedMesh === 'none' || recommendedMesh === 'cilium') {
      return out(
        'not-applicable',
        `The recommended option (${recommendedMesh}) issues no workload certificates.`,
      );
    }
    const team = bestPlatformTeam(facts.platformTeams);
    if (!team) {
      return out(
        'unknown',
        `No platform team is declared, so the CA plan is unknown.`,
      );
    }
    const ca = team.values.ca;
    if (!ca) {
      return out(
        team.values.invalid.includes(ANNOTATION_CA) ? 'invalid' : 'unknown',
        `${team.ref} does not declare ${ANNOTATION_CA}.`,
      );
    }
    if (ca === 'mesh-default' || ca === 'self-signed') {
      return out(
        'warn',
        `${team.ref} uses a ${ca} CA: plan the yearly rotation of the trust anchor and issuer.`,
        { ca },
      );
    }
    return out('pass', `${team.ref} runs the mesh CA with ${ca}.`, { ca });
  },
};

const LINT_FOR: Record<MeshOption, string | undefined> = {
  none: undefined,
  cilium: 'cilium-status',
  linkerd: 'linkerd-check',
  'istio-ambient': 'istioctl-analyze',
  'istio-sidecar': 'istioctl-analyze',
};

const configLint: OrgCheck = {
  definition: def(
    'config-lint',
    'Mesh configuration is linted in CI',
    'organisation',
    2,
    false,
    'The platform Group (platform-team true)',
    'Mesh configuration fails in ways a YAML schema does not catch: `istioctl analyze` reports unreachable routes, conflicting mTLS policies, missing destinations and EnvoyFilter misuse (IST0101, IST0113, IST0130…); `linkerd check` catches expiring certificates and mismatched opaque ports.',
    "Run the mesh's analyzer in CI on every change to mesh configuration.",
    [
      SOURCES.istioAnalyze,
      SOURCES.istioAnalyzerMessages,
      SOURCES.linkerdTroubleshooting,
    ],
    annotationYaml({ [ANNOTATION_CONFIG_LINT]: 'istioctl-analyze' }),
  ),
  evaluate({ facts, recommendedMesh }) {
    if (recommendedMesh === 'none') {
      return out('not-applicable', 'No mesh is recommended.');
    }
    const team = bestPlatformTeam(facts.platformTeams);
    if (!team) {
      return out(
        'unknown',
        'No platform team is declared, so config linting is unknown.',
      );
    }
    const tool = team.values.configLint;
    if (!tool) {
      return out(
        team.values.invalid.includes(ANNOTATION_CONFIG_LINT)
          ? 'invalid'
          : 'unknown',
        `${team.ref} does not declare ${ANNOTATION_CONFIG_LINT}.`,
      );
    }
    if (tool === 'none') {
      return out(
        'fail',
        `${team.ref} does not lint mesh configuration in CI.`,
        { tool },
      );
    }
    const expected = LINT_FOR[recommendedMesh];
    if (expected && expected !== tool) {
      return out(
        'warn',
        `${team.ref} runs ${tool}, but the recommended ${recommendedMesh} is checked with ${expected}.`,
        { tool },
      );
    }
    return out('pass', `${team.ref} runs ${tool} in CI.`, { tool });
  },
};

const costVsCapacity: OrgCheck = {
  definition: def(
    'cost-vs-capacity',
    'Mesh overhead fits the clusters',
    'organisation',
    2,
    false,
    'Clusters with capacity-vcpu and capacity-memory-gib',
    'Sidecars cost memory per pod and CPU per request; a mesh whose overhead eats a large share of the cluster is a budget problem before it is a technical one. Compares the estimate for the recommended option with declared cluster capacity (threshold thresholds.costHeadroom).',
    'Declare cluster capacity; if the overhead is too high, consider per-node data planes (ambient, Cilium) or scope the mesh.',
    [SOURCES.istioPerformance],
    annotationYaml({
      [ANNOTATION_CAPACITY_VCPU]: '384',
      [ANNOTATION_CAPACITY_MEMORY_GIB]: '1536',
    }),
  ),
  evaluate({ facts, config, recommendedMesh, cost }) {
    if (recommendedMesh === 'none') {
      return out(
        'not-applicable',
        'No mesh is recommended, so there is no overhead.',
      );
    }
    let vcpu = 0;
    let memGiB = 0;
    let declared = 0;
    for (const c of facts.clusters) {
      if (
        c.values.capacityVcpu !== undefined &&
        c.values.capacityMemoryGiB !== undefined
      ) {
        vcpu += c.values.capacityVcpu;
        memGiB += c.values.capacityMemoryGiB;
        declared++;
      }
    }
    if (declared === 0 || declared < facts.clusters.length) {
      return out(
        'unknown',
        `Cluster capacity is not declared (${ANNOTATION_CAPACITY_VCPU}, ${ANNOTATION_CAPACITY_MEMORY_GIB}) on ${
          facts.clusters.length === 0
            ? 'any cluster'
            : `${facts.clusters.length - declared} of ${
                facts.clusters.length
              } clusters`
        }.`,
      );
    }
    const estimate = cost.find(c => c.mesh === recommendedMesh);
    if (!estimate) {
      return out('unknown', 'No cost estimate for the recommended option.');
    }
    const memShare = memGiB > 0 ? estimate.memoryMiB / 1024 / memGiB : 0;
    const cpuShare = vcpu > 0 ? estimate.vcpu / vcpu : 0;
    const share = Math.max(memShare, cpuShare);
    const limit = config.thresholds.costHeadroom;
    const figures = {
      memoryShare: Math.round(memShare * 1000) / 1000,
      cpuShare: Math.round(cpuShare * 1000) / 1000,
      threshold: limit,
    };
    const text = `${recommendedMesh} would use ${pct(
      memShare,
    )} of cluster memory (${fmt(
      Math.round(estimate.memoryMiB / 102.4) / 10,
    )} of ${fmt(memGiB)} GiB) and ${pct(cpuShare)} of CPU (${fmt(
      estimate.vcpu,
    )} of ${fmt(vcpu)} vCPU)`;
    if (share > limit) {
      return out('fail', `${text}, above the ${pct(limit)} limit.`, figures);
    }
    return out(
      estimate.servicesMissingInputs > 0 ? 'warn' : 'pass',
      `${text}${
        estimate.servicesMissingInputs > 0
          ? `; ${estimate.servicesMissingInputs} services lack replicas or peak-rps, so this is a lower bound`
          : ''
      }.`,
      figures,
    );
  },
};

const kernelVersion: OrgCheck = {
  definition: def(
    'kernel-version',
    'Node kernels support Cilium',
    'organisation',
    3,
    false,
    'Resources of spec.type kubernetes-cluster',
    "Cilium's eBPF datapath needs Linux 5.10 or later (BPF host routing needs 5.10; WireGuard 5.6). Older kernels rule Cilium out.",
    'Upgrade node images to a 5.10+ kernel and declare it on the cluster Resource.',
    [SOURCES.ciliumSystemRequirements],
    annotationYaml({ [ANNOTATION_KERNEL_VERSION]: '6.1' }),
  ),
  evaluate({ facts, config, recommendedMesh }) {
    const min = parseVersion(config.versions.ciliumMinKernel)!;
    if (facts.clusters.length === 0) {
      return out('unknown', 'No kubernetes-cluster Resource in the catalog.');
    }
    const unknown = facts.clusters.filter(c => !c.values.kernelVersion);
    const old = facts.clusters.filter(
      c =>
        c.values.kernelVersion && compareMinor(c.values.kernelVersion, min) < 0,
    );
    const figures = {
      clusters: facts.clusters.length,
      belowMinimum: old.length,
      unknown: unknown.length,
      minimum: min.raw,
    };
    if (old.length > 0) {
      return out(
        recommendedMesh === 'cilium' ? 'fail' : 'warn',
        `${old
          .map(c => `${c.name} runs kernel ${c.values.kernelVersion!.raw}`)
          .join(', ')}; Cilium needs ${min.raw}+.`,
        figures,
      );
    }
    if (unknown.length > 0) {
      return out(
        'unknown',
        `${unknown.map(c => c.name).join(', ')} do${
          unknown.length === 1 ? 'es' : ''
        } not declare ${ANNOTATION_KERNEL_VERSION}.`,
        figures,
      );
    }
    return out(
      'pass',
      `Every cluster runs kernel ${min.raw} or later.`,
      figures,
    );
  },
};

function windowFor(
  mesh: MeshOption,
  config: ResolvedMeshReadinessConfig,
): [string, VersionWindow] | undefined {
  if (mesh === 'linkerd') {
    return ['Linkerd', config.versions.linkerd];
  }
  if (mesh === 'istio-ambient' || mesh === 'istio-sidecar') {
    return ['Istio', config.versions.istio];
  }
  return undefined;
}

const kubernetesVersion: OrgCheck = {
  definition: def(
    'kubernetes-version',
    'Kubernetes versions are supported',
    'organisation',
    3,
    false,
    'Resources of spec.type kubernetes-cluster',
    'Each mesh release supports a window of Kubernetes versions (Linkerd 2.20: 1.31–1.35; Istio 1.27: 1.29–1.33; istioctl analyze reports IST0142 UnsupportedKubernetesVersion), and native sidecars, which let Jobs finish, need Kubernetes 1.29+.',
    'Upgrade clusters into the window of the mesh release you plan to run, and declare the version.',
    [
      SOURCES.linkerdK8sVersions,
      SOURCES.istioAmbientGettingStarted,
      SOURCES.k8sSidecarContainers,
    ],
    annotationYaml({ [ANNOTATION_KUBERNETES_VERSION]: '1.31' }),
  ),
  evaluate({ facts, config, recommendedMesh }) {
    if (facts.clusters.length === 0) {
      return out('unknown', 'No kubernetes-cluster Resource in the catalog.');
    }
    const unknown = facts.clusters.filter(c => !c.values.kubernetesVersion);
    const native = parseVersion(config.versions.nativeSidecarsKubernetes)!;
    const w = windowFor(recommendedMesh, config);
    const outside: string[] = [];
    if (w) {
      const min = parseVersion(w[1].min)!;
      const max = parseVersion(w[1].max)!;
      for (const c of facts.clusters) {
        const v = c.values.kubernetesVersion;
        if (v && (compareMinor(v, min) < 0 || compareMinor(v, max) > 0)) {
          outside.push(`${c.name} (${v.raw})`);
        }
      }
    }
    const old = facts.clusters.filter(
      c =>
        c.values.kubernetesVersion &&
        compareMinor(c.values.kubernetesVersion, native) < 0,
    );
    const figures: Figures = {
      clusters: facts.clusters.length,
      unknown: unknown.length,
      outsideWindow: outside.length,
      withoutNativeSidecars: old.length,
    };
    if (outside.length > 0) {
      return out(
        'fail',
        `${w![0]} supports Kubernetes ${w![1].min}–${
          w![1].max
        }; outside: ${outside.join(', ')}.`,
        figures,
      );
    }
    if (unknown.length > 0) {
      return out(
        'unknown',
        `${unknown.map(c => c.name).join(', ')} do${
          unknown.length === 1 ? 'es' : ''
        } not declare ${ANNOTATION_KUBERNETES_VERSION}.`,
        figures,
      );
    }
    if (old.length > 0) {
      return out(
        'warn',
        `${old
          .map(c => `${c.name} (${c.values.kubernetesVersion!.raw})`)
          .join(', ')} predate native sidecars (${native.raw}).`,
        figures,
      );
    }
    return out(
      'pass',
      `Every cluster runs a supported Kubernetes version${
        w ? ` for ${w[0]} (${w[1].min}–${w[1].max})` : ''
      } with native sidecars.`,
      figures,
    );
  },
};

/** The org gates, in verdict order. @internal */
export const GATES: readonly OrgCheck[] = [
  genuineNeed,
  platformCapacity,
  observability,
];

/** The other organisation checks. @internal */
export const ORG_CHECKS: readonly OrgCheck[] = [
  pkiPlan,
  configLint,
  costVsCapacity,
  kernelVersion,
  kubernetesVersion,
];
