import {
  ANNOTATION_MANIFESTS,
  ANNOTATION_POD_SECURITY,
} from '../../annotationKeys';
import { evidence, podSecurityFact } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, WORKLOADS } from './outcomes';

const UNKNOWN_FIX = annotationYaml(
  { [ANNOTATION_POD_SECURITY]: 'restricted' },
  "the namespace's Pod Security Standard level",
);

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `${ANNOTATION_POD_SECURITY} is not set, so it is unknown whether a mesh init container may run.`,
  fixYaml: UNKNOWN_FIX,
};

const RESTRICTED_WITH_SIDECARS: CheckOutcome = {
  status: 'warn',
  message:
    "Pod security 'restricted': a sidecar mesh needs its CNI plugin (istio-cni / linkerd-cni), since the init container's NET_ADMIN is not allowed.",
};

export const podSecurity = defineEntityCheck({
  id: 'pod-security',
  title: 'Pod security allows mesh injection',
  category: 'security',
  weight: 2,
  appliesTo: WORKLOADS,
  dependsOnMesh: true,
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_POD_SECURITY],
  rationale:
    'Without a CNI plugin, Istio\'s istio-init container needs NET_ADMIN and NET_RAW and Linkerd\'s init container needs NET_ADMIN; the Pod Security Standard "restricted" blocks them. Istio ambient and Cilium add no init container.',
  remediation:
    "Install the mesh's CNI plugin (istio-cni, linkerd-cni) or use ambient mode; otherwise the namespace must allow the capability.",
  remediationYaml: annotationYaml({ [ANNOTATION_POD_SECURITY]: 'restricted' }),
  sources: [
    SOURCES.istioAppRequirements,
    SOURCES.linkerdCni,
    SOURCES.k8sPodSecurityStandards,
  ],
  evaluate(facts, { mesh }) {
    const fact = podSecurityFact(facts);
    if (fact?.source.kind !== 'manifest') {
      const invalid = invalidAnnotation(facts, ANNOTATION_POD_SECURITY);
      if (invalid) {
        return invalid;
      }
    }
    if (!fact) {
      return NOT_SET;
    }
    const level = fact.value;
    const shown = [evidence('pod security level', level, fact.source)];
    if (level !== 'restricted') {
      return {
        status: 'pass',
        message: `Pod security '${level}'.`,
        evidence: shown,
      };
    }
    if (mesh === 'istio-ambient' || mesh === 'cilium') {
      return {
        status: 'pass',
        message: `Pod security 'restricted' is compatible with the recommended ${mesh}, which adds no init container.`,
        evidence: shown,
      };
    }
    return { ...RESTRICTED_WITH_SIDECARS, evidence: shown };
  },
});
