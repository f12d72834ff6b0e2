import {
  ANNOTATION_OPAQUE_PORTS,
  ANNOTATION_PORTS,
} from '../../annotationKeys';
import { SERVER_FIRST_PROTOCOLS } from '../../facts/meshDefaults';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import {
  declaredPorts,
  invalidAnnotation,
  list,
  portName,
  WORKLOADS,
} from './outcomes';

const NOT_SET: CheckOutcome = {
  status: 'not-applicable',
  message: `${ANNOTATION_OPAQUE_PORTS} is not set.`,
};

export const opaquePorts = defineEntityCheck({
  id: 'opaque-ports',
  title: 'Opaque ports match the declared ports',
  category: 'protocols',
  weight: 1,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_OPAQUE_PORTS, ANNOTATION_PORTS],
  rationale:
    "An opaque port that the workload does not serve, or an HTTP port marked opaque, points at a stale or wrong declaration: Linkerd's `linkerd check` flags opaque ports that differ between pod and Service, and an opaque HTTP port loses every L7 feature.",
  remediation:
    'Keep mesh-readiness.io/opaque-ports to the server-first ports listed in mesh-readiness.io/ports.',
  sources: [SOURCES.linkerdTroubleshooting, SOURCES.linkerdProtocolDetection],
  evaluate(facts) {
    const invalid = invalidAnnotation(facts, ANNOTATION_OPAQUE_PORTS);
    if (invalid) {
      return invalid;
    }
    const opaque = facts.annotations.opaquePorts;
    if (!opaque) {
      return NOT_SET;
    }
    const ports = declaredPorts(facts);
    if (!Array.isArray(ports)) {
      return ports;
    }
    const stray = opaque.filter(o => !ports.some(p => p.port === o));
    const l7 = ports.filter(
      p =>
        opaque.includes(p.port) &&
        !SERVER_FIRST_PROTOCOLS.includes(p.protocol) &&
        p.protocol !== 'tcp' &&
        p.protocol !== 'tls',
    );
    const parts: string[] = [];
    if (stray.length > 0) {
      parts.push(
        `${list(stray)} ${
          stray.length === 1 ? 'is' : 'are'
        } not among the declared ports`,
      );
    }
    if (l7.length > 0) {
      parts.push(
        `${l7.map(portName).join(', ')} would lose L7 features when opaque`,
      );
    }
    if (parts.length > 0) {
      return {
        status: 'warn',
        message: `${ANNOTATION_OPAQUE_PORTS}: ${parts.join('; ')}.`,
      };
    }
    return {
      status: 'pass',
      message: `Opaque ports ${list(
        opaque,
      )} are declared server-first or TCP ports.`,
    };
  },
});
