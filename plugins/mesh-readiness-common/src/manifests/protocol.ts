/*
 * The protocol a mesh would use for a Service port, in Istio's order:
 * `appProtocol`, then the port name (`<protocol>` or `<protocol>-<suffix>`),
 * then (our addition, for the server-first check) a well-known port number.
 * Otherwise Istio sniffs the protocol from the first bytes, which breaks
 * server-first protocols and delays the rest.
 */
import type { Protocol } from '../annotations';
import type { ProtocolFrom } from '../observed';

/** The protocols Istio reads from `appProtocol` and from port names. */
const ISTIO_PROTOCOLS: ReadonlyMap<string, Protocol> = new Map<
  string,
  Protocol
>([
  ['http', 'http'],
  ['http2', 'http2'],
  ['https', 'https'],
  ['grpc', 'grpc'],
  ['grpc-web', 'grpc-web'],
  ['tcp', 'tcp'],
  ['tls', 'tls'],
  ['mongo', 'mongodb'],
  ['mysql', 'mysql'],
  ['redis', 'redis'],
  ['udp', 'udp'],
]);

/** `appProtocol` also takes the Kubernetes-defined names and Linkerd's opaque marker. */
const APP_PROTOCOLS: ReadonlyMap<string, Protocol> = new Map<string, Protocol>([
  ...ISTIO_PROTOCOLS,
  ['kubernetes.io/h2c', 'http2'],
  ['kubernetes.io/ws', 'websocket'],
  ['kubernetes.io/wss', 'websocket'],
  ['linkerd.io/opaque', 'tcp'],
]);

/** Ports of server-first protocols (the server speaks first, so sniffing stalls). */
const WELL_KNOWN_PORTS: ReadonlyMap<number, Protocol> = new Map<
  number,
  Protocol
>([
  [25, 'smtp'],
  [53, 'dns'],
  [3306, 'mysql'],
  [4222, 'nats'],
  [5432, 'postgres'],
  [6379, 'redis'],
  [9300, 'elasticsearch'],
  [11211, 'memcached'],
  [27017, 'mongodb'],
]);

/** The protocol of a port by its name, as Istio reads it; undefined when the name says none. */
function protocolOfName(name: string): Protocol | undefined {
  const lower = name.toLowerCase();
  // `grpc-web` holds a hyphen, so it is matched before splitting off a suffix.
  if (lower.startsWith('grpc-web')) {
    return 'grpc-web';
  }
  const dash = lower.indexOf('-');
  return ISTIO_PROTOCOLS.get(dash < 0 ? lower : lower.slice(0, dash));
}

export function servicePortProtocol(port: {
  name?: string;
  appProtocol?: string;
  port: number;
  containerPort?: number;
}): { protocol?: Protocol; protocolFrom: ProtocolFrom } {
  if (port.appProtocol) {
    const protocol = APP_PROTOCOLS.get(port.appProtocol.toLowerCase());
    if (protocol) {
      return { protocol, protocolFrom: 'appProtocol' };
    }
    // An appProtocol Istio does not know replaces the port name rather than
    // falling back to it (Istio reads one or the other), so the name is not
    // consulted: the port is sniffed unless its number is well known.
  } else if (port.name) {
    const protocol = protocolOfName(port.name);
    if (protocol) {
      return { protocol, protocolFrom: 'port name' };
    }
  }
  const wellKnown =
    (port.containerPort !== undefined
      ? WELL_KNOWN_PORTS.get(port.containerPort)
      : undefined) ?? WELL_KNOWN_PORTS.get(port.port);
  if (wellKnown) {
    return { protocol: wellKnown, protocolFrom: 'well-known port' };
  }
  return { protocolFrom: 'none' };
}
