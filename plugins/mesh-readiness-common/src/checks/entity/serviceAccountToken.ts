import { ANNOTATION_MANIFESTS } from '../../annotationKeys';
import { meshName } from '../../recommend';
import { SOURCES } from '../../sources';
import { evidence } from '../../facts/resolve';
import { defineEntityCheck } from '../types';
import {
  cite,
  hasWorkloads,
  workloadsOrUnknown,
  workloadName,
} from './hostNetwork';
import { list, WORKLOADS } from './outcomes';

const LINKERD_SKIPS =
  "Linkerd's proxy injector has listed it among its reasons to skip a pod, and Linkerd's proxy proves its identity with a ServiceAccount token (Linkerd 2.12 and later mount a projected token of their own, so check `linkerd inject` output for your version)";

export const serviceAccountToken = defineEntityCheck({
  id: 'service-account-token',
  title: 'The ServiceAccount token is mounted',
  category: 'security',
  weight: 1,
  appliesTo: WORKLOADS,
  dependsOnMesh: true,
  reads: [ANNOTATION_MANIFESTS],
  rationale:
    "Linkerd's proxy gets its mTLS certificate by sending the pod's ServiceAccount token to Linkerd's identity service, and Linkerd's injector lists automountServiceAccountToken: false (on the pod, or a ServiceAccount that turns mounting off) among its reasons to skip a pod, which keeps the workload outside the mesh; Linkerd's maintainers say versions since 2.12 inject such pods, so this warns rather than fails. Istio's sidecar mounts a projected token of its own (istio-token), and Istio ambient and Cilium need no token in the pod, so for them this setting does not matter.",
  remediation:
    'For Linkerd, let the token be mounted: remove automountServiceAccountToken: false from the pod spec (or its ServiceAccount), and give the ServiceAccount no more RBAC than the application needs.',
  sources: [
    SOURCES.linkerdAutomaticMtls,
    SOURCES.linkerdInjectReport,
    SOURCES.istioInjectionTemplate,
    SOURCES.k8sServiceAccountToken,
  ],
  evaluate(facts, { mesh, meshDecided }) {
    const found = workloadsOrUnknown(
      facts,
      'whether the ServiceAccount token is mounted',
    );
    if (!hasWorkloads(found)) {
      return found;
    }
    const off = found.filter(
      w => w.automountServiceAccountToken?.value === false,
    );
    if (off.length === 0) {
      return {
        status: 'pass',
        message:
          'The ServiceAccount token is mounted (automountServiceAccountToken is not turned off).',
        evidence: cite(
          found.map(w =>
            w.automountServiceAccountToken
              ? evidence(
                  `${workloadName(w)} automountServiceAccountToken`,
                  String(w.automountServiceAccountToken.value),
                  w.automountServiceAccountToken.source,
                )
              : evidence(
                  `${workloadName(w)} automountServiceAccountToken`,
                  'not set (true)',
                  w.source,
                ),
          ),
        ),
      };
    }
    const cited = cite(
      off.map(w =>
        evidence(
          `${workloadName(w)} automountServiceAccountToken`,
          'false',
          w.automountServiceAccountToken!.source,
        ),
      ),
    );
    const what = `${list(off.map(workloadName))} ${
      off.length === 1 ? 'turns' : 'turn'
    } off the ServiceAccount token (automountServiceAccountToken: false)`;
    if (!meshDecided) {
      return {
        status: 'warn',
        message: `${what}. This matters if Linkerd is adopted: ${LINKERD_SKIPS}. Istio and Cilium do not need it.`,
        evidence: cited,
      };
    }
    if (mesh === 'linkerd') {
      // A warning, not a failure: the injector code and Linkerd's
      // maintainers (linkerd2#9970) disagree on whether current versions
      // still skip such pods.
      return {
        status: 'warn',
        message: `${what}: ${LINKERD_SKIPS}; if it skips the pod, the workload stays outside the mesh.`,
        evidence: cited,
      };
    }
    return {
      status: 'pass',
      message:
        mesh === 'none'
          ? `${what}; no mesh is to be adopted, so no proxy needs it.`
          : `${what}; ${meshName(mesh)} does not need it${
              mesh === 'istio-sidecar'
                ? ' (the sidecar mounts a projected token of its own)'
                : ''
            }. It would matter under Linkerd.`,
      evidence: cited,
    };
  },
});
