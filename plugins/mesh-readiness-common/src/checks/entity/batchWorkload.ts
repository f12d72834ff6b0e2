import { evidence, observedBatch } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { compareMinor, parseVersion } from '../../util';
import { type CheckOutcome, defineEntityCheck } from '../types';

const NOT_BATCH: CheckOutcome = {
  status: 'not-applicable',
  message: 'Not a batch workload.',
};

const VERSION_UNKNOWN: CheckOutcome = {
  status: 'unknown',
  message:
    'The Kubernetes version of the cluster is unknown, so native sidecars cannot be confirmed for this Job.',
};

export const batchWorkload = defineEntityCheck({
  id: 'batch-workload',
  title: 'Jobs can finish with a sidecar',
  category: 'workload',
  weight: 3,
  gate: true,
  dependsOnMesh: true,
  appliesTo:
    "Workloads whose spec.type is job, cronjob or batch, or tagged 'batch'",
  reads: [
    'spec.type',
    'metadata.tags',
    'spec.dependsOn',
    'mesh-readiness.io/manifests',
  ],
  rationale:
    'Meshed Jobs and CronJobs "are not able to terminate without modification": the sidecar keeps the pod alive after the job container exits. Native sidecars (Kubernetes 1.29+, Istio ENABLE_NATIVE_SIDECARS, Linkerd 2.20+ by default) fix this; Istio ambient and Cilium have no sidecar at all.',
  remediation:
    'Run the cluster on Kubernetes 1.29+ and enable native sidecars, or use ambient mode, or exclude the Job from injection.',
  sources: [
    SOURCES.linkerdNativeSidecars,
    SOURCES.istioJobsIssue,
    SOURCES.k8sSidecarContainers,
  ],
  evaluate(facts, { mesh, config }) {
    const job = observedBatch(facts);
    if (!facts.isBatch && !job) {
      return NOT_BATCH;
    }
    const shown = job
      ? [evidence('workload kind', job.kind, job.source)]
      : undefined;
    const withEvidence = (out: CheckOutcome): CheckOutcome =>
      shown ? { ...out, evidence: shown } : out;
    if (mesh === 'istio-ambient' || mesh === 'cilium') {
      return withEvidence({
        status: 'pass',
        message: `The recommended ${mesh} adds no sidecar, so the Job exits normally.`,
      });
    }
    const { clusters } = facts;
    if (
      clusters.length === 0 ||
      clusters.some(c => c.values.kubernetesVersion === undefined)
    ) {
      return withEvidence(VERSION_UNKNOWN);
    }
    const min = parseVersion(config.versions.nativeSidecarsKubernetes)!;
    const old = clusters.filter(
      c => compareMinor(c.values.kubernetesVersion!, min) < 0,
    );
    if (old.length > 0) {
      return withEvidence({
        status: 'fail',
        message: `${old
          .map(
            c => `${c.ref} runs Kubernetes ${c.values.kubernetesVersion!.raw}`,
          )
          .join('; ')}: native sidecars need ${
          min.raw
        }+, so a sidecar keeps the Job from finishing.`,
      });
    }
    return withEvidence({
      status: 'pass',
      message: `Kubernetes ${clusters
        .map(c => c.values.kubernetesVersion!.raw)
        .join(
          ', ',
        )} supports native sidecars; enable them in the mesh (Istio ENABLE_NATIVE_SIDECARS, Linkerd 2.20+ default).`,
    });
  },
});
