import { ANNOTATION_MANIFESTS, ANNOTATION_PORTS } from '../../annotationKeys';
import { portEvidence, portLabel } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { hasPorts, plural, workloadPorts, WORKLOADS } from './outcomes';

export const protocols = defineEntityCheck({
  id: 'protocols',
  title: 'Ports declare their protocol',
  category: 'protocols',
  weight: 3,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_PORTS],
  rationale:
    'Without a declared protocol Istio sniffs the traffic: only HTTP and HTTP/2 are detected, everything else is treated as opaque TCP (istioctl analyze reports IST0118). Linkerd detects protocols too, but needs opaque ports for anything server-first.',
  remediation:
    'List every served port as PORT/PROTOCOL; in Kubernetes, name Service ports <protocol>[-suffix] or set appProtocol.',
  remediationYaml: annotationYaml({
    [ANNOTATION_PORTS]: '8080/http, 9090/grpc',
  }),
  sources: [
    SOURCES.istioProtocolSelection,
    SOURCES.istioIst0118,
    SOURCES.linkerdProtocolDetection,
  ],
  evaluate(facts) {
    const found = workloadPorts(facts);
    if (!hasPorts(found)) {
      return found;
    }
    const { ports, observed } = found;
    if (observed) {
      const exposed = ports.filter(p => p.servicePort);
      if (exposed.length === 0) {
        return {
          status: 'not-applicable',
          message:
            'No Service selects this workload, so no port protocol is chosen for it.',
          evidence: portEvidence(ports),
        };
      }
      const unstated = exposed.filter(p => !p.protocol);
      if (unstated.length > 0) {
        return {
          status: 'warn',
          message: `${plural(unstated.length, 'Service port')} state${
            unstated.length === 1 ? 's' : ''
          } no protocol (${unstated
            .slice(0, 5)
            .map(p => `${p.servicePort!.service}:${p.servicePort!.port}`)
            .join(', ')}): Istio sniffs ${
            unstated.length === 1 ? 'it' : 'them'
          }, detecting only HTTP and HTTP/2 (IST0118). Name ${
            unstated.length === 1 ? 'it' : 'them'
          } <protocol>[-suffix] or set appProtocol.`,
          evidence: portEvidence(unstated),
        };
      }
      return {
        status: 'pass',
        message: `Every Service port states its protocol: ${exposed
          .slice(0, 10)
          .map(portLabel)
          .join(', ')}${exposed.length > 10 ? ', …' : ''}.`,
        evidence: portEvidence(exposed),
      };
    }
    const shown = ports.slice(0, 10).map(portLabel).join(', ');
    return {
      status: 'pass',
      message: `${plural(
        ports.length,
        'port',
      )} declared with a protocol: ${shown}${ports.length > 10 ? ', …' : ''}.`,
      evidence: portEvidence(ports),
    };
  },
});
