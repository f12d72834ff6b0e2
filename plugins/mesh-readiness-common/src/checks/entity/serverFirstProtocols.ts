import {
  ANNOTATION_OPAQUE_PORTS,
  ANNOTATION_PORTS,
} from '../../annotationKeys';
import {
  handledByBothMeshes,
  ISTIO_SERVER_FIRST_PORTS,
  LINKERD_DEFAULT_OPAQUE_PORTS,
  SERVER_FIRST_PROTOCOLS,
} from '../../facts/meshDefaults';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import {
  declaredPorts,
  invalidAnnotation,
  list,
  plural,
  WORKLOADS,
} from './outcomes';

const NO_SERVER_FIRST: CheckOutcome = {
  status: 'pass',
  message: 'No server-first protocol among the declared ports.',
};

export const serverFirstProtocols = defineEntityCheck({
  id: 'server-first-protocols',
  title: 'Server-first protocols declared opaque',
  category: 'protocols',
  weight: 3,
  gate: true,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_PORTS, ANNOTATION_OPAQUE_PORTS],
  rationale:
    "In server-speaks-first protocols (MySQL, PostgreSQL, Redis, SMTP, NATS, Galera, …) the client waits for the server. Istio's protocol sniffing and PERMISSIVE mTLS then stall, and Linkerd waits up to 10 seconds for client bytes before falling back to TCP. Istio handles ports 25, 53, 3306 and 27017 on its own; Linkerd treats 25, 587, 3306, 4444, 5432, 6379, 9300 and 11211 as opaque by default. Any other server-first port must be declared.",
  remediation:
    'Declare the port opaque: for Linkerd config.linkerd.io/opaque-ports on the pod (or appProtocol linkerd.io/opaque), for Istio a tcp- port name. Then list it in mesh-readiness.io/opaque-ports.',
  remediationYaml: annotationYaml({ [ANNOTATION_OPAQUE_PORTS]: '5432' }),
  sources: [SOURCES.istioAppRequirements, SOURCES.linkerdProtocolDetection],
  evaluate(facts) {
    const ports = declaredPorts(facts);
    if (!Array.isArray(ports)) {
      return ports;
    }
    const invalid = invalidAnnotation(facts, ANNOTATION_OPAQUE_PORTS);
    if (invalid) {
      return invalid;
    }
    const opaque = facts.annotations.opaquePorts ?? [];
    const serverFirst = ports.filter(p =>
      SERVER_FIRST_PROTOCOLS.includes(p.protocol),
    );
    if (serverFirst.length === 0) {
      return NO_SERVER_FIRST;
    }
    const undeclared = serverFirst.filter(
      p => !opaque.includes(p.port) && !handledByBothMeshes(p.port),
    );
    // Handled by one mesh on its own: a warning; by neither: a failure.
    const partly = undeclared.filter(
      p =>
        ISTIO_SERVER_FIRST_PORTS.includes(p.port) ||
        LINKERD_DEFAULT_OPAQUE_PORTS.includes(p.port),
    );
    const failing = [
      ...new Set(undeclared.filter(p => !partly.includes(p)).map(p => p.port)),
    ];
    const wanted = [...new Set([...opaque, ...undeclared.map(p => p.port)])];
    const fixYaml = annotationYaml(
      { [ANNOTATION_OPAQUE_PORTS]: list(wanted) },
      'after marking these ports opaque/TCP in the mesh',
    );
    if (failing.length > 0) {
      return {
        status: 'fail',
        message: `Server-first port${failing.length === 1 ? '' : 's'} ${list(
          failing,
        )} ${
          failing.length === 1 ? 'is' : 'are'
        } not declared opaque; meshed clients will stall (Linkerd: up to 10 s per connection).`,
        fixYaml,
      };
    }
    if (partly.length > 0) {
      const described = partly.map(
        p =>
          `${p.port}/${p.protocol} (handled by default by ${
            ISTIO_SERVER_FIRST_PORTS.includes(p.port) ? 'Istio' : 'Linkerd'
          } only)`,
      );
      return {
        status: 'warn',
        message: `Not declared opaque: ${described.join(', ')}.`,
        fixYaml,
      };
    }
    return {
      status: 'pass',
      message: `All ${plural(serverFirst.length, 'server-first port')} ${
        serverFirst.length === 1 ? 'is' : 'are'
      } opaque or handled by both meshes by default.`,
    };
  },
});
