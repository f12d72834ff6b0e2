import { ANNOTATION_MANIFESTS, ANNOTATION_PROBES } from '../../annotationKeys';
import { evidence, probeFacts } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, list, WORKLOADS } from './outcomes';

const UNKNOWN_FIX = annotationYaml(
  { [ANNOTATION_PROBES]: 'http' },
  'the kinds of liveness/readiness probes',
);

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `${ANNOTATION_PROBES} is not set, so the probe types are unknown.`,
  fixYaml: UNKNOWN_FIX,
};

const TCP_PROBES: CheckOutcome = {
  status: 'warn',
  message:
    'TCP probes always succeed behind a sidecar; switch them to HTTP, gRPC or exec.',
};

export const probes = defineEntityCheck({
  id: 'probes',
  title: 'Health probes survive mTLS',
  category: 'workload',
  weight: 2,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_PROBES],
  rationale:
    'Under strict mTLS the kubelet has no mesh certificate. Istio rewrites HTTP and gRPC probes to its agent by default; exec probes are unaffected. TCP probes always succeed with a sidecar, because the sidecar accepts every port, so they stop telling you anything.',
  remediation:
    "Use HTTP, gRPC or exec probes and keep Istio's probe rewrite (sidecar.istio.io/rewriteAppHTTPProbers) enabled.",
  remediationYaml: annotationYaml({ [ANNOTATION_PROBES]: 'http' }),
  sources: [SOURCES.istioHealthChecks],
  evaluate(facts) {
    const found = probeFacts(facts);
    if (!found?.observed) {
      const invalid = invalidAnnotation(facts, ANNOTATION_PROBES);
      if (invalid) {
        return invalid;
      }
    }
    if (!found) {
      return NOT_SET;
    }
    const shown = found.probes
      .slice(0, 10)
      .map(p => evidence(p.fact, p.value, p.source));
    const kinds = [...new Set(found.probes.map(p => p.value))];
    if (kinds.includes('tcp')) {
      return { ...TCP_PROBES, evidence: shown };
    }
    return {
      status: 'pass',
      message: `Probes: ${list(kinds)}.`,
      evidence: shown,
    };
  },
});
