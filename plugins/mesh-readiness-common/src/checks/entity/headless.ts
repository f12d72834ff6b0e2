import {
  ANNOTATION_HEADLESS,
  ANNOTATION_NEEDS,
  ANNOTATION_MANIFESTS,
} from '../../annotationKeys';
import { evidence, headlessFact, observedWorkloads } from '../../facts/resolve';
import { L7_NEEDS } from '../../facts/meshDefaults';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, list, WORKLOADS } from './outcomes';

const UNKNOWN_FIX = annotationYaml(
  { [ANNOTATION_HEADLESS]: 'false' },
  "'true' when clients resolve pod IPs directly",
);

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `${ANNOTATION_HEADLESS} is not set.`,
  fixYaml: UNKNOWN_FIX,
};

const NO_SERVICE: CheckOutcome = {
  status: 'not-applicable',
  message:
    'No Service in the manifests selects this workload, so nothing reaches it through a headless Service.',
};

const CLUSTER_IP: CheckOutcome = {
  status: 'pass',
  message: 'Reached through a ClusterIP Service.',
};

const HEADLESS: CheckOutcome = {
  status: 'warn',
  message:
    'Headless: no per-request load balancing, retries or timeouts from the mesh.',
};

export const headless = defineEntityCheck({
  id: 'headless',
  title: 'Not reached through a headless Service',
  category: 'protocols',
  weight: 2,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_HEADLESS, ANNOTATION_NEEDS],
  rationale:
    'Linkerd does not load-balance headless services, and "retries and timeouts do not work with headless services"; traffic splits cannot target them. Istio gives direct pod calls passthrough treatment without its routing features. It fails when the service also declares an L7 need that would not work.',
  remediation:
    'Put a ClusterIP Service in front for L7 features; declare opaque ports on the pod.',
  remediationYaml: annotationYaml({ [ANNOTATION_HEADLESS]: 'false' }),
  sources: [
    SOURCES.linkerdLoadBalancing,
    SOURCES.linkerdRetriesTimeouts,
    SOURCES.linkerdTrafficSplit,
    SOURCES.istioAppRequirements,
  ],
  evaluate(facts) {
    const fact = headlessFact(facts);
    if (fact?.source.kind !== 'manifest') {
      const invalid = invalidAnnotation(facts, ANNOTATION_HEADLESS);
      if (invalid) {
        return invalid;
      }
    }
    if (fact === undefined) {
      return observedWorkloads(facts) ? NO_SERVICE : NOT_SET;
    }
    const shown = [evidence('headless', fact.value, fact.source)];
    if (!fact.value) {
      return { ...CLUSTER_IP, evidence: shown };
    }
    const needs = (facts.annotations.needs ?? []).filter(n =>
      L7_NEEDS.includes(n),
    );
    if (needs.length > 0) {
      return {
        status: 'fail',
        message: `Headless, yet ${ANNOTATION_NEEDS} asks for ${list(
          needs,
        )}, which do not work on headless services.`,
        evidence: shown,
      };
    }
    return { ...HEADLESS, evidence: shown };
  },
});
