import {
  ANNOTATION_MANIFESTS,
  ANNOTATION_OPAQUE_PORTS,
  ANNOTATION_PORTS,
} from '../../annotationKeys';
import {
  ISTIO_SERVER_FIRST_PORTS,
  LINKERD_DEFAULT_OPAQUE_PORTS,
} from '../../facts/meshDefaults';
import {
  opaquePortFacts,
  type PortFact,
  portEvidence,
} from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import {
  hasPorts,
  invalidAnnotation,
  list,
  WORKLOADS,
  workloadPorts,
} from './outcomes';

const NO_SERVER_FIRST: CheckOutcome = {
  status: 'pass',
  message: 'No server-first protocol among the declared ports.',
};

const NO_SERVER_FIRST_OBSERVED: CheckOutcome = {
  status: 'pass',
  message:
    'No port of the manifests is named, typed or numbered as a server-first protocol.',
};

/** Protocols a mesh proxies at layer 7 (not a TCP declaration). */
const L7_PROTOCOLS: readonly string[] = [
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'websocket',
];

export const serverFirstProtocols = defineEntityCheck({
  id: 'server-first-protocols',
  title: 'Server-first protocols declared opaque',
  category: 'protocols',
  weight: 3,
  gate: true,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_PORTS, ANNOTATION_OPAQUE_PORTS],
  rationale:
    "In server-speaks-first protocols (MySQL, PostgreSQL, Redis, SMTP, NATS, Galera, …) the client waits for the server. Istio's protocol sniffing and PERMISSIVE mTLS then stall, and Linkerd waits up to 10 seconds for client bytes before falling back to TCP. Istio handles ports 25, 53, 3306 and 27017 on its own; Linkerd treats 25, 587, 3306, 4444, 5432, 6379, 9300 and 11211 as opaque by default. Any other server-first port must be declared.",
  remediation:
    'Declare the port opaque: for Linkerd config.linkerd.io/opaque-ports on the pod (or appProtocol linkerd.io/opaque), for Istio a tcp- port name. Then list it in mesh-readiness.io/opaque-ports.',
  remediationYaml: annotationYaml({ [ANNOTATION_OPAQUE_PORTS]: '5432' }),
  sources: [SOURCES.istioAppRequirements, SOURCES.linkerdProtocolDetection],
  evaluate(facts) {
    const found = workloadPorts(facts);
    if (!hasPorts(found)) {
      return found;
    }
    const invalid = invalidAnnotation(facts, ANNOTATION_OPAQUE_PORTS);
    if (invalid) {
      return invalid;
    }
    const declaredOpaque = facts.annotations.opaquePorts ?? [];
    const linkerdOpaque = opaquePortFacts(facts).map(o => o.value);
    const serverFirst = found.ports.filter(p => p.serverFirst);
    if (serverFirst.length === 0) {
      return found.observed
        ? { ...NO_SERVER_FIRST_OBSERVED, evidence: portEvidence(found.ports) }
        : NO_SERVER_FIRST;
    }
    // Told to Istio: a TCP-like protocol in the port name or appProtocol.
    const istioOk = (p: PortFact) =>
      declaredOpaque.includes(p.port) ||
      ISTIO_SERVER_FIRST_PORTS.includes(p.port) ||
      (found.observed && !!p.protocol && !L7_PROTOCOLS.includes(p.protocol));
    const linkerdOk = (p: PortFact) =>
      linkerdOpaque.includes(p.port) ||
      p.linkerdOpaque ||
      LINKERD_DEFAULT_OPAQUE_PORTS.includes(p.port);
    const failing = unique(
      serverFirst.filter(p => !istioOk(p) && !linkerdOk(p)),
    );
    const partly = serverFirst.filter(p => istioOk(p) !== linkerdOk(p));
    const wanted = [
      ...new Set([
        ...declaredOpaque,
        ...serverFirst
          .filter(p => !istioOk(p) || !linkerdOk(p))
          .map(p => p.port),
      ]),
    ];
    const fixYaml = annotationYaml(
      { [ANNOTATION_OPAQUE_PORTS]: list(wanted) },
      'after marking these ports opaque/TCP in the mesh',
    );
    const evidence = portEvidence(serverFirst);
    if (failing.length > 0) {
      return {
        status: 'fail',
        message: `Server-first port${failing.length === 1 ? '' : 's'} ${list(
          failing.map(p => described(p, found.observed)),
        )} ${
          failing.length === 1 ? 'is' : 'are'
        } not declared opaque; meshed clients will stall (Linkerd: up to 10 s per connection).`,
        fixYaml,
        evidence,
      };
    }
    if (partly.length > 0) {
      return {
        status: 'warn',
        message: `Not declared opaque: ${partly
          .map(
            p =>
              `${
                found.observed ? described(p, true) : `${p.port}/${p.protocol}`
              } (handled by ${found.observed ? '' : 'default by '}${
                istioOk(p) ? 'Istio' : 'Linkerd'
              } only)`,
          )
          .join(', ')}.`,
        fixYaml,
        evidence,
      };
    }
    const named = found.observed
      ? `: ${list(serverFirst.map(p => described(p, true)))}`
      : '';
    return {
      status: 'pass',
      message:
        serverFirst.length === 1
          ? `The server-first port is opaque or handled by both meshes by default${named}.`
          : `All ${serverFirst.length} server-first ports are opaque or handled by both meshes by default${named}.`,
      evidence,
    };
  },
});

function unique(ports: PortFact[]): PortFact[] {
  return ports.filter((p, i) => ports.findIndex(q => q.port === p.port) === i);
}

/** `3306` declared; `3306 (mysql)` observed, naming what it speaks. */
function described(p: PortFact, observed: boolean): string {
  return observed ? `${p.port} (${p.serverFirst})` : String(p.port);
}
