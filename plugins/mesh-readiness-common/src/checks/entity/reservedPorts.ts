import { ANNOTATION_PORTS, ANNOTATION_MANIFESTS } from '../../annotationKeys';
import {
  ISTIO_RESERVED_PORTS,
  LINKERD_RESERVED_PORTS,
} from '../../facts/meshDefaults';
import { portEvidence } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { hasPorts, workloadPorts, list, WORKLOADS } from './outcomes';

const NO_RESERVED_PORT: CheckOutcome = {
  status: 'pass',
  message: 'No declared port is reserved by a mesh proxy.',
};

export const reservedPorts = defineEntityCheck({
  id: 'reserved-ports',
  title: 'No clash with proxy ports',
  category: 'protocols',
  weight: 3,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_PORTS],
  rationale:
    'The Istio sidecar listens on 15000, 15001, 15002, 15004, 15006, 15008, 15020, 15021, 15053 and 15090, and the Linkerd proxy on 4140 and 4143; "applications should not use any of the ports used by Envoy".',
  remediation: 'Move the application off these ports.',
  sources: [SOURCES.istioAppRequirements, SOURCES.linkerdIptables],
  evaluate(facts) {
    const found = workloadPorts(facts);
    if (!hasPorts(found)) {
      return found;
    }
    const { ports } = found;
    const istio = ports
      .filter(p => ISTIO_RESERVED_PORTS.includes(p.port))
      .map(p => p.port);
    const linkerd = ports
      .filter(p => LINKERD_RESERVED_PORTS.includes(p.port))
      .map(p => p.port);
    if (istio.length + linkerd.length === 0) {
      return found.observed
        ? {
            status: 'pass',
            message: 'No port in the manifests is reserved by a mesh proxy.',
            evidence: portEvidence(ports),
          }
        : NO_RESERVED_PORT;
    }
    const parts: string[] = [];
    if (istio.length) {
      parts.push(`${list(istio)} (Istio)`);
    }
    if (linkerd.length) {
      parts.push(`${list(linkerd)} (Linkerd)`);
    }
    return {
      status: 'fail',
      message: `${
        found.observed ? 'Ports in the manifests' : 'Declared ports'
      } clash with proxy ports: ${parts.join(', ')}.`,
      evidence: portEvidence(
        ports.filter(
          p =>
            ISTIO_RESERVED_PORTS.includes(p.port) ||
            LINKERD_RESERVED_PORTS.includes(p.port),
        ),
      ),
    };
  },
});
