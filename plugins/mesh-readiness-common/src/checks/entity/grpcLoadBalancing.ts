import { ANNOTATION_PORTS } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { declaredPorts, portName, WORKLOADS } from './outcomes';

const HTTP2_PROTOCOLS = ['grpc', 'http2', 'grpc-web'];

const NO_HTTP2_PORT: CheckOutcome = {
  status: 'not-applicable',
  message: 'No gRPC or HTTP/2 port declared.',
};

export const grpcLoadBalancing = defineEntityCheck({
  id: 'grpc-load-balancing',
  title: 'gRPC / HTTP/2 load balancing (benefit)',
  category: 'protocols',
  weight: 0,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_PORTS],
  rationale:
    'Kubernetes balances connections, not requests, which is "not effective" for gRPC and HTTP/2 where one connection carries every request. Linkerd balances each request (EWMA), Istio/Envoy is L7-aware too. Informational: it adds value, not readiness.',
  remediation: 'Nothing to fix; this marks services that gain from a mesh.',
  sources: [SOURCES.linkerdLoadBalancing],
  evaluate(facts) {
    const ports = declaredPorts(facts);
    if (!Array.isArray(ports)) {
      return ports;
    }
    const h2 = ports.filter(p => HTTP2_PROTOCOLS.includes(p.protocol));
    if (h2.length === 0) {
      return NO_HTTP2_PORT;
    }
    return {
      status: 'pass',
      message: `Per-request load balancing would help ${h2
        .map(portName)
        .join(', ')}.`,
    };
  },
});
