import {
  ANNOTATION_MANIFESTS,
  ANNOTATION_RUN_AS_UID,
} from '../../annotationKeys';
import { evidence, uidFacts, type UidFacts } from '../../facts/resolve';
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
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_RUN_AS_UID],
  rationale:
    "Istio's sidecar runs as UID 1337 and its iptables rules let that UID's traffic bypass the proxy (IST0144 InvalidApplicationUID); Linkerd's rules skip packets owned by UID 2102. An application running as either UID escapes the mesh. A clash with the recommended mesh fails; a clash with another mesh warns.",
  remediation:
    'Run the container as another UID (securityContext.runAsUser) and declare it.',
  remediationYaml: annotationYaml({ [ANNOTATION_RUN_AS_UID]: '1000' }),
  sources: [SOURCES.istioAppRequirements, SOURCES.linkerdIptables],
  evaluate(facts, { mesh }) {
    const uids = uidFacts(facts);
    if (!uids?.observed) {
      const invalid = invalidAnnotation(facts, ANNOTATION_RUN_AS_UID);
      if (invalid) {
        return invalid;
      }
    }
    if (!uids) {
      return NOT_SET;
    }
    const evidenceOf = (items: UidFacts['known']) =>
      items
        .slice(0, 10)
        .map(u =>
          evidence(
            u.container ? `runAsUser of ${u.container}` : 'run-as UID',
            u.value,
            u.source,
          ),
        );
    const clashes = uids.known.flatMap(u => {
      const proxy = PROXIES.find(p => p.uid === u.value);
      return proxy ? [{ uid: u, proxy }] : [];
    });
    if (clashes.length > 0) {
      const chosen = clashes.find(c => c.proxy.mesh === mesh) ?? clashes[0];
      const { proxy } = chosen;
      const isChosen = proxy.mesh === mesh;
      return {
        status: isChosen ? 'fail' : 'warn',
        message: `Runs as UID ${chosen.uid.value}${
          chosen.uid.container ? ` (${chosen.uid.container})` : ''
        }, the UID of ${proxy.proxy}: its traffic would bypass the proxy${
          isChosen ? '' : ` if ${proxy.adopted} were adopted`
        }.`,
        evidence: evidenceOf(clashes.map(c => c.uid)),
      };
    }
    if (uids.unset.length > 0) {
      return {
        status: 'unknown',
        message: `${uids.unset
          .slice(0, 5)
          .map(u => u.container)
          .join(', ')} set${
          uids.unset.length === 1 ? 's' : ''
        } no runAsUser, so the image decides the UID; a clash with the proxy UIDs (1337, 2102) cannot be ruled out. Set securityContext.runAsUser in the manifest.`,
        evidence: [
          ...evidenceOf(uids.known),
          ...uids.unset
            .slice(0, 5)
            .map(u =>
              evidence(`runAsUser of ${u.container}`, 'not set', u.source),
            ),
        ],
      };
    }
    const values = [...new Set(uids.known.map(u => u.value))];
    return {
      status: 'pass',
      message: `Runs as UID ${values.join(', ')}, which no mesh proxy uses.`,
      evidence: evidenceOf(uids.known),
    };
  },
});
