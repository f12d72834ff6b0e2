import {
  ANNOTATION_CAPACITY_MEMORY_GIB,
  ANNOTATION_CAPACITY_VCPU,
  ANNOTATION_CNI,
  ANNOTATION_NEEDS,
  ANNOTATION_NODES,
  ANNOTATION_PEAK_RPS,
  ANNOTATION_REPLICAS,
} from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { fmt, pct } from '../../util';
import { defineOrgCheck } from '../types';
import { annotationYaml } from '../yaml';
import { out } from './outcomes';

export const costVsCapacity = defineOrgCheck({
  id: 'cost-vs-capacity',
  title: 'Mesh overhead fits the clusters',
  category: 'organisation',
  weight: 2,
  gate: false,
  appliesTo: 'Clusters with capacity-vcpu and capacity-memory-gib',
  // Cluster capacity, plus what the cost estimate is computed from.
  reads: [
    ANNOTATION_CAPACITY_VCPU,
    ANNOTATION_CAPACITY_MEMORY_GIB,
    'spec.dependsOn',
    ANNOTATION_REPLICAS,
    ANNOTATION_PEAK_RPS,
    ANNOTATION_NEEDS,
    ANNOTATION_NODES,
    ANNOTATION_CNI,
  ],
  rationale:
    'Sidecars cost memory per pod and CPU per request; a mesh whose overhead eats a large share of the cluster is a budget problem before it is a technical one. Compares the estimate for the recommended option with declared cluster capacity (threshold thresholds.costHeadroom).',
  remediation:
    'Declare cluster capacity; if the overhead is too high, consider per-node data planes (ambient, Cilium) or scope the mesh.',
  remediationYaml: annotationYaml({
    [ANNOTATION_CAPACITY_VCPU]: '384',
    [ANNOTATION_CAPACITY_MEMORY_GIB]: '1536',
  }),
  sources: [SOURCES.istioPerformance],
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
    if (estimate.memoryMiB === null || estimate.vcpu === null) {
      return out(
        'unknown',
        `The overhead of ${recommendedMesh} is unknown: declare ${(
          estimate.missingInputs ?? []
        ).join('; ')}.`,
      );
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
});
