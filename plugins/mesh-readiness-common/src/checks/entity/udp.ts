import {
  ANNOTATION_COMPLIANCE,
  ANNOTATION_PORTS,
  ANNOTATION_MANIFESTS,
} from '../../annotationKeys';
import { portEvidence } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { hasPorts, workloadPorts, list, WORKLOADS } from './outcomes';

const NO_UDP: CheckOutcome = {
  status: 'pass',
  message: 'No UDP port declared.',
};

export const udp = defineEntityCheck({
  id: 'udp',
  title: 'UDP traffic accounted for',
  category: 'protocols',
  weight: 1,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_PORTS, ANNOTATION_COMPLIANCE],
  rationale:
    "Istio does not proxy UDP, and Cilium's ztunnel encryption handles TCP only, so UDP flows get neither mTLS nor L7 features. Where a compliance scope covers the service, that UDP traffic stays unencrypted by the mesh.",
  remediation:
    'Encrypt UDP in the application (DTLS) or at node level (WireGuard), or move the flow to TCP.',
  sources: [SOURCES.istioProtocolSelection, SOURCES.ciliumZtunnel],
  evaluate(facts) {
    const found = workloadPorts(facts);
    if (!hasPorts(found)) {
      return found;
    }
    const { ports } = found;
    const udpFacts = ports.filter(p => p.transport === 'UDP');
    const udpPorts = udpFacts.map(p => p.port);
    if (udpPorts.length === 0) {
      return found.observed
        ? {
            status: 'pass',
            message: 'No UDP port in the manifests.',
            evidence: portEvidence(ports),
          }
        : NO_UDP;
    }
    const evidence = portEvidence(udpFacts);
    const named = `UDP port${udpPorts.length === 1 ? '' : 's'} ${list(
      udpPorts,
    )}`;
    const compliance = facts.annotations.compliance;
    if (compliance.length > 0) {
      return {
        status: 'fail',
        message: `${named} in compliance scope (${list(
          compliance,
        )}) will not be encrypted by the mesh.`,
        evidence,
      };
    }
    return {
      status: 'warn',
      message: `${named} will not be proxied or encrypted by the mesh.`,
      evidence,
    };
  },
});
