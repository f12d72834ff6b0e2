import { ANNOTATION_PORTS } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { declaredPorts, plural, portName, WORKLOADS } from './outcomes';

export const protocols = defineEntityCheck({
  id: 'protocols',
  title: 'Ports declare their protocol',
  category: 'protocols',
  weight: 3,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_PORTS],
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
    const ports = declaredPorts(facts);
    if (!Array.isArray(ports)) {
      return ports;
    }
    const shown = ports.slice(0, 10).map(portName).join(', ');
    return {
      status: 'pass',
      message: `${plural(
        ports.length,
        'port',
      )} declared with a protocol: ${shown}${ports.length > 10 ? ', …' : ''}.`,
    };
  },
});
