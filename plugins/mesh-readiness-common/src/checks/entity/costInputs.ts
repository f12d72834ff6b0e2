import { ANNOTATION_PEAK_RPS, ANNOTATION_REPLICAS } from '../../annotationKeys';
import { evidence, replicaFact } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, list, WORKLOADS } from './outcomes';

const FIX = annotationYaml(
  { [ANNOTATION_REPLICAS]: '3', [ANNOTATION_PEAK_RPS]: '250' },
  'pods and requests per second at peak',
);
/** When the manifests or the cluster state the replicas: the load alone. */
const PEAK_RPS_FIX = annotationYaml(
  { [ANNOTATION_PEAK_RPS]: '250' },
  'requests per second at peak',
);

export const costInputs = defineEntityCheck({
  id: 'cost-inputs',
  title: 'Proxy cost can be estimated',
  category: 'workload',
  weight: 1,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_REPLICAS, ANNOTATION_PEAK_RPS],
  rationale:
    "A sidecar mesh adds a proxy to every pod, and each proxy's CPU grows with the requests it serves: Istio measures about 0.20 vCPU per 1000 requests per second and 60 MB per sidecar. Without the pods and the peak load of a service, the organisation's cost estimate leaves it out.",
  remediation:
    'Declare the number of pods at peak and the requests per second the service serves at peak.',
  remediationYaml: FIX,
  sources: [SOURCES.istioPerformance],
  evaluate(facts) {
    const invalid =
      invalidAnnotation(facts, ANNOTATION_REPLICAS) ??
      invalidAnnotation(facts, ANNOTATION_PEAK_RPS);
    if (invalid) {
      return invalid;
    }
    const { peakRps } = facts.annotations;
    const replicas = replicaFact(facts);
    const shown =
      replicas && replicas.source.kind !== 'annotation'
        ? [evidence('replicas', replicas.value, replicas.source)]
        : undefined;
    const missing = [
      replicas === undefined ? ANNOTATION_REPLICAS : undefined,
      peakRps === undefined ? ANNOTATION_PEAK_RPS : undefined,
    ].filter((key): key is string => key !== undefined);
    if (missing.length > 0) {
      return {
        status: 'unknown',
        message: `${list(
          missing,
        )} not set, so the cost estimate leaves this service out.`,
        fixYaml: replicas === undefined ? FIX : PEAK_RPS_FIX,
        ...(shown ? { evidence: shown } : {}),
      };
    }
    return {
      status: 'pass',
      message: `${replicas!.value} pod${
        replicas!.value === 1 ? '' : 's'
      } at ${peakRps} requests/s at peak.`,
      ...(shown ? { evidence: shown } : {}),
    };
  },
});
