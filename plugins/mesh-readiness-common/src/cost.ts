/*
 * Data-plane overhead per mesh option, from published figures. Every figure
 * is configurable and carries its source; vendor figures say so.
 */
import type { ResolvedMeshReadinessConfig } from './config';
import type { OrgFacts } from './facts';
import { SOURCES } from './sources';
import type { CostEstimate, CostFigure, MeshOption } from './types';
import { MESH_OPTIONS } from './types';
import { fmt } from './util';

/** 1 MB (10^6 bytes) in MiB. */
const MB_IN_MIB = 1e6 / 1048576;

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Inputs to the estimate; normally taken from {@link OrgFacts}. @public */
export interface CostInputs {
  pods: number;
  peakRps: number;
  nodes: number;
  /** Namespaces that need an ambient waypoint (L7 features). */
  waypoints: number;
  /** Peak rps through waypoints. */
  l7PeakRps: number;
  /** Cilium is already the CNI of every cluster. */
  ciliumIsCni: boolean;
  /**
   * Nodes of the clusters where Cilium is not yet the CNI (the agent is
   * only new there). Defaults to `nodes` when absent.
   */
  nodesWithoutCilium?: number;
  servicesMissingInputs: number;
  /**
   * Inputs that no service or cluster declares: a figure that needs one
   * is unknown (null), never 0.
   */
  unknownInputs?: Array<'replicas' | 'peak-rps' | 'nodes'>;
}

/** Derives the cost inputs from org facts. @public */
export function costInputsFrom(facts: OrgFacts): CostInputs {
  let nodes = 0;
  let nodesWithoutCilium = 0;
  for (const c of facts.clusters) {
    nodes += c.values.nodes ?? 0;
    if (c.values.cni !== 'cilium') {
      nodesWithoutCilium += c.values.nodes ?? 0;
    }
  }
  return {
    pods: facts.pods,
    peakRps: facts.peakRps,
    nodes,
    waypoints: facts.l7Namespaces,
    l7PeakRps: facts.l7PeakRps,
    ciliumIsCni:
      facts.clusters.length > 0 &&
      facts.clusters.every(c => c.values.cni === 'cilium'),
    nodesWithoutCilium,
    servicesMissingInputs: facts.missingCostInputs,
    unknownInputs: [
      ...(facts.replicasDeclared === 0 ? (['replicas'] as const) : []),
      ...(facts.peakRpsDeclared === 0 ? (['peak-rps'] as const) : []),
      ...(facts.clusters.some(c => c.values.nodes !== undefined)
        ? []
        : (['nodes'] as const)),
    ],
  };
}

/** What each option's memory and CPU figures are computed from. */
const NEEDS: Record<
  MeshOption,
  { memory: CostInputName[]; vcpu: CostInputName[] }
> = {
  none: { memory: [], vcpu: [] },
  cilium: { memory: ['nodes', 'replicas'], vcpu: ['nodes'] },
  linkerd: { memory: ['replicas'], vcpu: ['peak-rps'] },
  'istio-ambient': { memory: ['nodes'], vcpu: ['peak-rps'] },
  'istio-sidecar': { memory: ['replicas'], vcpu: ['peak-rps'] },
};

type CostInputName = NonNullable<CostInputs['unknownInputs']>[number];

const INPUT_WORDS: Record<CostInputName, string> = {
  replicas: 'mesh-readiness.io/replicas (no service declares it)',
  'peak-rps': 'mesh-readiness.io/peak-rps (no service declares it)',
  nodes: 'mesh-readiness.io/nodes (no cluster declares it)',
};

/** The estimate with each figure whose inputs are unknown set to null. */
function withUnknowns(
  estimate: CostEstimate,
  unknown: readonly CostInputName[],
  ciliumIsCni: boolean,
): CostEstimate {
  // Where Cilium is already the CNI its agent runs anyway: known to be ≈ 0.
  if (unknown.length === 0 || (estimate.mesh === 'cilium' && ciliumIsCni)) {
    return estimate;
  }
  const needs = NEEDS[estimate.mesh];
  const memoryMissing = needs.memory.filter(i => unknown.includes(i));
  const vcpuMissing = needs.vcpu.filter(i => unknown.includes(i));
  const missing = [...new Set([...memoryMissing, ...vcpuMissing])];
  if (missing.length === 0) {
    return estimate;
  }
  return {
    ...estimate,
    memoryMiB: memoryMissing.length > 0 ? null : estimate.memoryMiB,
    vcpu: vcpuMissing.length > 0 ? null : estimate.vcpu,
    missingInputs: missing.map(i => INPUT_WORDS[i]),
  };
}

/**
 * Estimates memory (MiB) and vCPU of each option's data plane.
 *
 * - Istio sidecar: pods × 60 MB; peak rps / 1000 × 0.20 vCPU × 2 proxies.
 * - Linkerd: pods × 26 MB (vendor benchmark); CPU as Istio's sidecar (no official figure).
 * - Istio ambient: nodes × 12 MB + waypoints × 60 MB; rps / 1000 × 0.06 × 2 + L7 rps / 1000 × 0.25.
 * - Cilium: nodes × (438 MiB + 10.5 KiB × pods); ≈ 0 when Cilium is already the CNI.
 * @public
 */
export function estimateCost(
  inputs: CostInputs,
  config: ResolvedMeshReadinessConfig,
): CostEstimate[] {
  const f = config.cost;
  const base = {
    inputs: { pods: inputs.pods, peakRps: inputs.peakRps, nodes: inputs.nodes },
    servicesMissingInputs: inputs.servicesMissingInputs,
  };
  const krps = inputs.peakRps / 1000;
  const perf = SOURCES.istioPerformance;
  const fig = (
    name: string,
    value: number,
    unit: string,
    source = perf,
  ): CostFigure => ({
    name,
    value,
    unit,
    source,
  });
  const hops = fig(
    'Proxies per request (client + server)',
    f.proxyHops,
    'proxies',
  );

  const out: Record<MeshOption, CostEstimate> = {
    none: {
      mesh: 'none',
      memoryMiB: 0,
      vcpu: 0,
      formula: 'No mesh: no data-plane overhead.',
      figures: [],
      ...base,
    },
    cilium: (() => {
      const perNodeMiB =
        f.ciliumAgentMemoryMiB + (f.ciliumPerPodKiB * inputs.pods) / 1024;
      const newNodes = inputs.ciliumIsCni
        ? 0
        : inputs.nodesWithoutCilium ?? inputs.nodes;
      const memory = newNodes * perNodeMiB;
      const vcpu = newNodes * f.ciliumAgentVcpu;
      const already = inputs.nodes - newNodes;
      return {
        mesh: 'cilium' as const,
        memoryMiB: round(memory, 1),
        vcpu: round(vcpu, 3),
        formula: inputs.ciliumIsCni
          ? `Cilium is already the CNI of every cluster, so its agent runs anyway: marginal cost ≈ 0 (it would be ${fmt(
              inputs.nodes,
            )} nodes × (${fmt(f.ciliumAgentMemoryMiB)} MiB + ${fmt(
              f.ciliumPerPodKiB,
            )} KiB × ${fmt(
              inputs.pods,
            )} pods)). L7 features add a per-node Envoy, not estimated.`
          : `${fmt(newNodes)} nodes without Cilium × (${fmt(
              f.ciliumAgentMemoryMiB,
            )} MiB + ${fmt(f.ciliumPerPodKiB)} KiB × ${fmt(
              inputs.pods,
            )} pods) = ${fmt(round(memory, 1))} MiB; CPU ${fmt(
              newNodes,
            )} × ${fmt(f.ciliumAgentVcpu)} vCPU steady.${
              already > 0
                ? ` ${fmt(
                    already,
                  )} nodes already run Cilium as the CNI (≈ 0 marginal).`
                : ''
            } No published per-request CPU or latency figure. L7 features add a per-node Envoy, not estimated.`,
        figures: [
          fig(
            'Cilium agent memory per node',
            f.ciliumAgentMemoryMiB,
            'MiB',
            SOURCES.ciliumScalability,
          ),
          fig(
            'Cilium agent memory per pod in the cluster',
            f.ciliumPerPodKiB,
            'KiB',
            SOURCES.ciliumScalability,
          ),
          fig(
            'Cilium agent steady CPU per node',
            f.ciliumAgentVcpu,
            'vCPU',
            SOURCES.ciliumScalability,
          ),
        ],
        ...base,
      };
    })(),
    linkerd: (() => {
      const memory = inputs.pods * f.linkerdProxyMemoryMB * MB_IN_MIB;
      const vcpu = krps * f.linkerdProxyVcpuPerKrps * f.proxyHops;
      return {
        mesh: 'linkerd' as const,
        memoryMiB: round(memory, 1),
        vcpu: round(vcpu, 3),
        formula: `${fmt(inputs.pods)} pods × ${fmt(
          f.linkerdProxyMemoryMB,
        )} MB = ${fmt(
          round((inputs.pods * f.linkerdProxyMemoryMB) / 1000, 2),
        )} GB (vendor benchmark); CPU ${fmt(krps)} krps × ${fmt(
          f.linkerdProxyVcpuPerKrps,
        )} vCPU × ${fmt(f.proxyHops)} proxies = ${fmt(
          round(vcpu, 3),
        )} vCPU (Istio's sidecar figure as an upper bound: no official Linkerd figure).`,
        figures: [
          fig(
            'Linkerd proxy memory (vendor benchmark, max per proxy)',
            f.linkerdProxyMemoryMB,
            'MB',
            SOURCES.linkerdBenchmark2021,
          ),
          fig(
            'Linkerd proxy CPU per 1000 rps (Istio sidecar figure used as upper bound)',
            f.linkerdProxyVcpuPerKrps,
            'vCPU',
            perf,
          ),
          hops,
        ],
        ...base,
      };
    })(),
    'istio-ambient': (() => {
      const memoryMB =
        inputs.nodes * f.ztunnelMemoryMB +
        inputs.waypoints * f.waypointMemoryMB;
      const vcpu =
        krps * f.ztunnelVcpuPerKrps * f.proxyHops +
        (inputs.l7PeakRps / 1000) * f.waypointVcpuPerKrps;
      return {
        mesh: 'istio-ambient' as const,
        memoryMiB: round(memoryMB * MB_IN_MIB, 1),
        vcpu: round(vcpu, 3),
        formula: `ztunnel ${fmt(inputs.nodes)} nodes × ${fmt(
          f.ztunnelMemoryMB,
        )} MB + waypoints ${fmt(inputs.waypoints)} × ${fmt(
          f.waypointMemoryMB,
        )} MB = ${fmt(round(memoryMB, 1))} MB; CPU ${fmt(krps)} krps × ${fmt(
          f.ztunnelVcpuPerKrps,
        )} vCPU × ${fmt(f.proxyHops)} ztunnels + ${fmt(
          inputs.l7PeakRps / 1000,
        )} L7 krps × ${fmt(f.waypointVcpuPerKrps)} vCPU = ${fmt(
          round(vcpu, 3),
        )} vCPU.`,
        figures: [
          fig('ztunnel memory per node (Istio 1.24)', f.ztunnelMemoryMB, 'MB'),
          fig(
            'ztunnel CPU per 1000 rps (Istio 1.24)',
            f.ztunnelVcpuPerKrps,
            'vCPU',
          ),
          fig('waypoint memory (Istio 1.24)', f.waypointMemoryMB, 'MB'),
          fig(
            'waypoint CPU per 1000 rps (Istio 1.24)',
            f.waypointVcpuPerKrps,
            'vCPU',
          ),
          hops,
        ],
        ...base,
      };
    })(),
    'istio-sidecar': (() => {
      const memory = inputs.pods * f.istioSidecarMemoryMB * MB_IN_MIB;
      const vcpu = krps * f.istioSidecarVcpuPerKrps * f.proxyHops;
      return {
        mesh: 'istio-sidecar' as const,
        memoryMiB: round(memory, 1),
        vcpu: round(vcpu, 3),
        formula: `${fmt(inputs.pods)} pods × ${fmt(
          f.istioSidecarMemoryMB,
        )} MB = ${fmt(
          round((inputs.pods * f.istioSidecarMemoryMB) / 1000, 2),
        )} GB; CPU ${fmt(krps)} krps × ${fmt(
          f.istioSidecarVcpuPerKrps,
        )} vCPU × ${fmt(f.proxyHops)} proxies = ${fmt(
          round(vcpu, 3),
        )} vCPU. Memory grows with the configuration each proxy holds: scope it in large meshes.`,
        figures: [
          fig(
            'Istio sidecar memory (Istio 1.24, 1000 rps)',
            f.istioSidecarMemoryMB,
            'MB',
          ),
          fig(
            'Istio sidecar CPU per 1000 rps (Istio 1.24)',
            f.istioSidecarVcpuPerKrps,
            'vCPU',
          ),
          hops,
        ],
        ...base,
      };
    })(),
  };
  return MESH_OPTIONS.map(m =>
    withUnknowns(out[m], inputs.unknownInputs ?? [], inputs.ciliumIsCni),
  );
}
