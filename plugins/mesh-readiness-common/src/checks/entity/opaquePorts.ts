import {
  ANNOTATION_OPAQUE_PORTS,
  ANNOTATION_PORTS,
  ANNOTATION_MANIFESTS,
} from '../../annotationKeys';
import { SERVER_FIRST_PROTOCOLS } from '../../facts/meshDefaults';
import { evidence, opaquePortFacts, portLabel } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import {
  hasPorts,
  workloadPorts,
  invalidAnnotation,
  list,
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
  reads: [ANNOTATION_OPAQUE_PORTS, ANNOTATION_PORTS, ANNOTATION_MANIFESTS],
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
    // The manifests' Linkerd opaque ports (pod or Service annotation,
    // appProtocol linkerd.io/opaque) and the declared ones.
    const opaqueFacts = opaquePortFacts(facts);
    if (opaqueFacts.length === 0) {
      return NOT_SET;
    }
    const opaque = opaqueFacts.map(o => o.value);
    const evidenceOf = opaqueFacts
      .slice(0, 10)
      .map(o => evidence(`opaque port ${o.value}`, 'opaque', o.source));
    const observed = opaqueFacts.some(o => o.source.kind !== 'annotation');
    const named = observed ? 'Opaque ports' : ANNOTATION_OPAQUE_PORTS;
    const found = workloadPorts(facts);
    if (!hasPorts(found)) {
      return found;
    }
    const { ports } = found;
    const stray = opaque.filter(o => !ports.some(p => p.port === o));
    const l7 = ports.filter(
      p =>
        opaque.includes(p.port) &&
        !!p.protocol &&
        !SERVER_FIRST_PROTOCOLS.includes(p.protocol) &&
        p.protocol !== 'tcp' &&
        p.protocol !== 'tls',
    );
    const parts: string[] = [];
    if (stray.length > 0) {
      parts.push(
        `${list(stray)} ${stray.length === 1 ? 'is' : 'are'} not among the ${
          found.observed ? "workload's" : 'declared'
        } ports`,
      );
    }
    if (l7.length > 0) {
      parts.push(
        `${l7.map(portLabel).join(', ')} would lose L7 features when opaque`,
      );
    }
    if (parts.length > 0) {
      return {
        status: 'warn',
        message: `${named}: ${parts.join('; ')}.`,
        evidence: evidenceOf,
      };
    }
    return {
      status: 'pass',
      message: `Opaque ports ${list(opaque)} are ${
        observed ? '' : 'declared '
      }server-first or TCP ports.`,
      evidence: evidenceOf,
    };
  },
});
