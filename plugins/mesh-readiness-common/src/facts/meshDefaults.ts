/*
 * What each mesh does on its own: the ports and UIDs its proxy takes, the
 * ports it already treats as server-first, and the protocols that speak
 * first. Sources are in checks/entity (each check cites them).
 */
import type { MeshNeed, PortDeclaration, Protocol } from '../annotations';

/** Protocols where the server speaks first (the client waits for a banner). */
export const SERVER_FIRST_PROTOCOLS: readonly Protocol[] = [
  'smtp',
  'dns',
  'mysql',
  'postgres',
  'redis',
  'mongodb',
  'memcached',
  'nats',
  'galera',
  'elasticsearch',
];
/** Ports Istio treats as server-first (plain TCP) on its own. */
export const ISTIO_SERVER_FIRST_PORTS: readonly number[] = [
  25, 53, 3306, 27017,
];
/** Linkerd's default opaque ports. */
export const LINKERD_DEFAULT_OPAQUE_PORTS: readonly number[] = [
  25, 587, 3306, 4444, 5432, 6379, 9300, 11211,
];
/** Ports the Istio sidecar listens on. */
export const ISTIO_RESERVED_PORTS: readonly number[] = [
  15000, 15001, 15002, 15004, 15006, 15008, 15020, 15021, 15053, 15090,
];
/** Ports the Linkerd proxy listens on. */
export const LINKERD_RESERVED_PORTS: readonly number[] = [4140, 4143];
/** The UID of Istio's sidecar. */
export const ISTIO_PROXY_UID = 1337;
/** The UID of Linkerd's proxy. */
export const LINKERD_PROXY_UID = 2102;

/** Whether both meshes already treat a port as server-first on their own. */
export function handledByBothMeshes(port: number): boolean {
  return (
    ISTIO_SERVER_FIRST_PORTS.includes(port) &&
    LINKERD_DEFAULT_OPAQUE_PORTS.includes(port)
  );
}

/** Whether a server-first port is neither declared opaque nor handled by both meshes. */
export function hasUnopaqueServerFirstPort(
  ports: readonly PortDeclaration[],
  opaque: readonly number[] = [],
): boolean {
  return ports.some(
    p =>
      SERVER_FIRST_PROTOCOLS.includes(p.protocol) &&
      !opaque.includes(p.port) &&
      !handledByBothMeshes(p.port),
  );
}

/** Needs a mesh serves at layer 7, on a Service's routes (not on headless, pod-to-pod calls). */
export const L7_NEEDS: readonly MeshNeed[] = [
  'retries',
  'timeouts',
  'circuit-breaking',
  'canary',
  'traffic-split',
  'fault-injection',
  'header-routing',
];
