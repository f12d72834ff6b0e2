import { ANNOTATION_PORTS, ANNOTATION_MANIFESTS } from '../../annotationKeys';
import { portLabel } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { hasPorts, workloadPorts, WORKLOADS } from './outcomes';

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
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_PORTS],
  rationale:
    'Kubernetes balances connections, not requests, which is "not effective" for gRPC and HTTP/2 where one connection carries every request. Linkerd balances each request (EWMA), Istio/Envoy is L7-aware too. Informational: it adds value, not readiness.',
  remediation: 'Nothing to fix; this marks services that gain from a mesh.',
  sources: [SOURCES.linkerdLoadBalancing],
  evaluate(facts) {
    const found = workloadPorts(facts);
    if (!hasPorts(found)) {
      return found;
    }
    const { ports } = found;
    const h2 = ports.filter(
      p => p.protocol && HTTP2_PROTOCOLS.includes(p.protocol),
    );
    if (h2.length === 0) {
      return NO_HTTP2_PORT;
    }
    return {
      status: 'pass',
      message: `Per-request load balancing would help ${h2
        .map(portLabel)
        .join(', ')}.`,
    };
  },
});
