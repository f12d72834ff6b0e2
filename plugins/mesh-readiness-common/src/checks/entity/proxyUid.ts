import { ANNOTATION_RUN_AS_UID } from '../../annotationKeys';
import { ISTIO_PROXY_UID, LINKERD_PROXY_UID } from '../../facts/meshDefaults';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, WORKLOADS } from './outcomes';

const UNKNOWN_FIX = annotationYaml(
  { [ANNOTATION_RUN_AS_UID]: '1000' },
  'the UID the container runs as',
);

const PROXIES = [
  {
    uid: ISTIO_PROXY_UID,
    mesh: 'istio-sidecar',
    proxy: "Istio's sidecar",
    adopted: 'Istio sidecars',
  },
  {
    uid: LINKERD_PROXY_UID,
    mesh: 'linkerd',
    proxy: "Linkerd's proxy",
    adopted: 'Linkerd',
  },
];

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `${ANNOTATION_RUN_AS_UID} is not set, so a clash with the proxy UIDs (1337, 2102) cannot be ruled out.`,
  fixYaml: UNKNOWN_FIX,
};

export const proxyUid = defineEntityCheck({
  id: 'proxy-uid',
  title: 'Not running as the proxy UID',
  category: 'security',
  weight: 3,
  gate: true,
  appliesTo: WORKLOADS,
  dependsOnMesh: true,
  reads: [ANNOTATION_RUN_AS_UID],
  rationale:
    "Istio's sidecar runs as UID 1337 and its iptables rules let that UID's traffic bypass the proxy (IST0144 InvalidApplicationUID); Linkerd's rules skip packets owned by UID 2102. An application running as either UID escapes the mesh. A clash with the recommended mesh fails; a clash with another mesh warns.",
  remediation:
    'Run the container as another UID (securityContext.runAsUser) and declare it.',
  remediationYaml: annotationYaml({ [ANNOTATION_RUN_AS_UID]: '1000' }),
  sources: [SOURCES.istioAppRequirements, SOURCES.linkerdIptables],
  evaluate(facts, { mesh }) {
    const invalid = invalidAnnotation(facts, ANNOTATION_RUN_AS_UID);
    if (invalid) {
      return invalid;
    }
    const uid = facts.annotations.runAsUid;
    if (uid === undefined) {
      return NOT_SET;
    }
    const clash = PROXIES.find(p => p.uid === uid);
    if (!clash) {
      return {
        status: 'pass',
        message: `Runs as UID ${uid}, which no mesh proxy uses.`,
      };
    }
    const chosen = clash.mesh === mesh;
    return {
      status: chosen ? 'fail' : 'warn',
      message: `Runs as UID ${uid}, the UID of ${
        clash.proxy
      }: its traffic would bypass the proxy${
        chosen ? '' : ` if ${clash.adopted} were adopted`
      }.`,
    };
  },
});
