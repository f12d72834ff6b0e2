/*
 * The per-workload checks. Each one reads the parsed annotations (or a
 * standard Backstage field), never guesses: a missing input is `unknown`,
 * a malformed one `invalid`. Facts and their sources are in
 * research/mesh-domain.md; where the founding essay and the docs disagree,
 * the rationale follows the docs and says so.
 */
import {
  ANNOTATION_BIND_ADDRESS,
  ANNOTATION_COMPLIANCE,
  ANNOTATION_HEADLESS,
  ANNOTATION_MTLS_REQUIREMENT,
  ANNOTATION_NEEDS,
  ANNOTATION_OPAQUE_PORTS,
  ANNOTATION_POD_SECURITY,
  ANNOTATION_PORTS,
  ANNOTATION_PROBES,
  ANNOTATION_RETRIES,
  ANNOTATION_RUN_AS_UID,
  ANNOTATION_TIMEOUTS,
  ANNOTATION_TRACING,
  MeshNeed,
  PortDeclaration,
  Protocol,
} from '../annotations';
import type { ResolvedMeshReadinessConfig } from '../config';
import { type ClusterInfo, refKey, resolveRef } from '../context';
import { SOURCES } from '../sources';
import type {
  CheckCategory,
  CheckDefinition,
  MeshOption,
  SourceLink,
} from '../types';
import { compareMinor, parseVersion } from '../util';
import {
  type BuiltinEntityCheck,
  type CheckOutcome,
  type EntityCheckInput,
  MeshDependent,
} from './types';
import { annotationYaml, specYaml } from './yaml';

const WORKLOADS =
  'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded';

function def(
  id: string,
  title: string,
  category: CheckCategory,
  weight: number,
  gate: boolean,
  rationale: string,
  remediation: string,
  sources: SourceLink[],
  extra: { appliesTo?: string; remediationYaml?: string } = {},
): CheckDefinition {
  return {
    id,
    title,
    category,
    scope: 'entity',
    appliesTo: extra.appliesTo ?? WORKLOADS,
    weight,
    gate,
    rationale,
    remediation,
    ...(extra.remediationYaml
      ? { remediationYaml: extra.remediationYaml }
      : {}),
    sources,
  };
}

function isInvalid(input: EntityCheckInput, key: string): boolean {
  return input.values.invalid.includes(key);
}

function invalid(input: EntityCheckInput, key: string): CheckOutcome {
  const first = input.problems.find(p => p.key === key);
  return {
    status: 'invalid',
    message: first
      ? first.message
      : `${key} is malformed; see the annotation problems of this entity`,
  };
}

function unknown(message: string, fixYaml?: string): CheckOutcome {
  return fixYaml
    ? { status: 'unknown', message, fixYaml }
    : { status: 'unknown', message };
}

const PORTS_EXAMPLE = annotationYaml(
  { [ANNOTATION_PORTS]: '8080/http, 9090/grpc' },
  'every port the workload serves, as PORT/PROTOCOL',
);

const SINGLE_PROTOCOL: CheckOutcome = fixed(
  'pass',
  'Each port carries a single protocol.',
);
const NO_SERVER_FIRST: CheckOutcome = fixed(
  'pass',
  'No server-first protocol among the declared ports.',
);
const NO_RESERVED_PORT: CheckOutcome = fixed(
  'pass',
  'No declared port is reserved by a mesh proxy.',
);
const NO_UDP: CheckOutcome = fixed('pass', 'No UDP port declared.');
const NO_H2_PORT: CheckOutcome = fixed(
  'not-applicable',
  'No gRPC or HTTP/2 port declared.',
);
const NOT_BATCH: CheckOutcome = fixed(
  'not-applicable',
  'Not a batch workload.',
);
const CLUSTER_IP: CheckOutcome = fixed(
  'pass',
  'Reached through a ClusterIP Service.',
);
const HEADLESS: CheckOutcome = fixed(
  'warn',
  'Headless: no per-request load balancing, retries or timeouts from the mesh.',
);
const RETRY_NOT_RUN: CheckOutcome = fixed(
  'unknown',
  'API analysis not run, so retry safety is unknown.',
);
const NO_COMPLIANCE: CheckOutcome = fixed(
  'not-applicable',
  'No compliance scope declared.',
);

const PORTS_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_PORTS} is not set, so the ports and their protocols are unknown.`,
  PORTS_EXAMPLE,
);
const OWNER_FIX = specYaml('owner', 'group:default/your-team');
const OWNER_UNKNOWN = fixed(
  'unknown',
  'spec.owner is not set, so no team is accountable for the service.',
  OWNER_FIX,
);
const LIFECYCLE_UNKNOWN = fixed(
  'unknown',
  'spec.lifecycle is not set.',
  specYaml('lifecycle', 'production'),
);
const TRACING_FIX = annotationYaml(
  { [ANNOTATION_TRACING]: 'full' },
  'once every outbound call propagates traceparent',
);
const TRACING_FULL = fixed(
  'pass',
  `${ANNOTATION_TRACING} is 'full': trace context is propagated on every outbound call.`,
);
const TRACING_PARTIAL = fixed(
  'warn',
  `${ANNOTATION_TRACING} is 'partial': traces break at the calls that do not propagate context.`,
  TRACING_FIX,
);
const TRACING_NONE = fixed(
  'fail',
  `${ANNOTATION_TRACING} is 'none': mesh spans for this service cannot be joined into traces.`,
  TRACING_FIX,
);
const TRACING_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_TRACING} is not set, so trace propagation is unknown.`,
  TRACING_FIX,
);
const OPAQUE_NOT_SET = fixed(
  'not-applicable',
  `${ANNOTATION_OPAQUE_PORTS} is not set.`,
);
const UID_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_RUN_AS_UID} is not set, so a clash with the proxy UIDs (1337, 2102) cannot be ruled out.`,
  annotationYaml(
    { [ANNOTATION_RUN_AS_UID]: '1000' },
    'the UID the container runs as',
  ),
);
const POD_SECURITY_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_POD_SECURITY} is not set, so it is unknown whether a mesh init container may run.`,
  annotationYaml(
    { [ANNOTATION_POD_SECURITY]: 'restricted' },
    "the namespace's Pod Security Standard level",
  ),
);
const POD_SECURITY_RESTRICTED = fixed(
  'warn',
  "Pod security 'restricted': a sidecar mesh needs its CNI plugin (istio-cni / linkerd-cni), since the init container's NET_ADMIN is not allowed.",
);
const TCP_PROBES = fixed(
  'warn',
  'TCP probes always succeed behind a sidecar; switch them to HTTP, gRPC or exec.',
);
const BATCH_VERSION_UNKNOWN = fixed(
  'unknown',
  'The Kubernetes version of the cluster is unknown, so native sidecars cannot be confirmed for this Job.',
);
const POD_SECURITY_BASELINE = fixed('pass', "Pod security 'baseline'.");
const POD_SECURITY_PRIVILEGED = fixed('pass', "Pod security 'privileged'.");
const BIND_FIX = annotationYaml({ [ANNOTATION_BIND_ADDRESS]: '0.0.0.0' });
const BIND_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_BIND_ADDRESS} is not set, so a localhost-only listener cannot be ruled out.`,
  BIND_FIX,
);
const PROBES_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_PROBES} is not set, so the probe types are unknown.`,
  annotationYaml(
    { [ANNOTATION_PROBES]: 'http' },
    'the kinds of liveness/readiness probes',
  ),
);
const HEADLESS_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_HEADLESS} is not set.`,
  annotationYaml(
    { [ANNOTATION_HEADLESS]: 'false' },
    "'true' when clients resolve pod IPs directly",
  ),
);
const TIMEOUTS_FIX = annotationYaml(
  { [ANNOTATION_TIMEOUTS]: 'true' },
  'once every client call has a timeout',
);
const TIMEOUTS_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_TIMEOUTS} is not set.`,
  TIMEOUTS_FIX,
);
const TIMEOUTS_PASS = fixed('pass', 'Client call timeouts are configured.');
const TIMEOUTS_FAIL = fixed(
  'fail',
  'Client calls have no timeouts.',
  TIMEOUTS_FIX,
);
const RETRIES_FIX = annotationYaml({ [ANNOTATION_RETRIES]: 'idempotent-only' });
const RETRIES_UNKNOWN = fixed(
  'unknown',
  `${ANNOTATION_RETRIES} is not set, so the application's own retries are unknown.`,
  RETRIES_FIX,
);
const RETRIES_ALL = fixed(
  'fail',
  "The application retries every call; with Istio's default 2 retries each attempt can become 3, and non-idempotent calls may repeat.",
  RETRIES_FIX,
);
const RETRIES_NONE = fixed(
  'pass',
  'The application does not retry; the mesh policy alone decides.',
);
const RETRIES_IDEMPOTENT = fixed(
  'pass',
  'The application retries idempotent calls only.',
);

const CLUSTER_FIXES = new WeakMap<object, string>();

/** The annotation as written, when it is a string (a stable memo key). */
function rawAnnotation(
  input: EntityCheckInput,
  key: string,
): string | undefined {
  const raw = (input.entity.metadata as any)?.annotations?.[key];
  return typeof raw === 'string' ? raw : undefined;
}

/** The dependsOn snippet; names the cluster when the catalog has exactly one. */
function clusterFix(input: EntityCheckInput): string {
  let fix = CLUSTER_FIXES.get(input.context);
  if (fix === undefined) {
    const clusters = input.context.clusters;
    const example =
      clusters.size === 1
        ? [...clusters.values()][0].ref
        : 'resource:default/your-cluster';
    fix = specYaml(
      'dependsOn',
      [example],
      'the kubernetes-cluster Resource it runs on',
    );
    CLUSTER_FIXES.set(input.context, fix);
  }
  return fix;
}

function portsOutcome(
  input: EntityCheckInput,
): PortDeclaration[] | CheckOutcome {
  if (isInvalid(input, ANNOTATION_PORTS)) {
    return invalid(input, ANNOTATION_PORTS);
  }
  const ports = input.values.ports;
  if (!ports) {
    return PORTS_UNKNOWN;
  }
  return ports;
}

const MEMO_LIMIT = 4096;

/**
 * Keeps one frozen outcome per key, so that entities with the same result
 * (same owner, same ports…) share it instead of each retaining a copy.
 * Call as `cache.get(key) ?? remember(cache, key, outcome)`: the outcome is
 * only built on a miss. At most MEMO_LIMIT keys are kept.
 */
function remember<K>(
  cache: Map<K, CheckOutcome>,
  key: K,
  outcome: CheckOutcome,
): CheckOutcome {
  Object.freeze(outcome);
  if (cache.size < MEMO_LIMIT) {
    cache.set(key, outcome);
  }
  return outcome;
}

/** Shares outcomes keyed by a catalog object; entries go with the catalog. */
function rememberWeak(
  cache: WeakMap<object, CheckOutcome>,
  key: object,
  outcome: CheckOutcome,
): CheckOutcome {
  Object.freeze(outcome);
  cache.set(key, outcome);
  return outcome;
}

/** Outcomes that depend on catalog objects (groups, clusters). */
const BY_OBJECT = {
  owner: new WeakMap<object, CheckOutcome>(),
  cluster: new WeakMap<object, CheckOutcome>(),
  /** By shared port list, for workloads without opaque ports. */
  serverFirst: new WeakMap<object, CheckOutcome>(),
  batch: new WeakMap<object, { min: string; outcome: CheckOutcome }>(),
};

/** Outcomes that only depend on a string or number key. */
const MEMO = {
  grpc: new Map<string, CheckOutcome>(),
  podSecurity: new Map<string, CheckOutcome>(),
  lifecycle: new Map<string, CheckOutcome>(),
  ports: new Map<string, CheckOutcome>(),
  uid: new Map<number, CheckOutcome>(),
  bind: new Map<string, CheckOutcome>(),
  probes: new Map<string, CheckOutcome>(),
  compliance: new Map<string, CheckOutcome>(),
  batch: new Map<string, CheckOutcome>(),
};

/** Outcomes that do not depend on the entity, allocated once. */
function fixed(
  status: CheckOutcome['status'],
  message: string,
  fixYaml?: string,
): CheckOutcome {
  return Object.freeze(
    fixYaml === undefined ? { status, message } : { status, message, fixYaml },
  );
}

function list(ports: readonly number[]): string {
  return ports.join(', ');
}

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
/** Ports the Istio sidecar and the Linkerd proxy reserve. */
export const ISTIO_RESERVED_PORTS: readonly number[] = [
  15000, 15001, 15002, 15004, 15006, 15008, 15020, 15021, 15053, 15090,
];
/** @internal */
export const LINKERD_RESERVED_PORTS: readonly number[] = [4140, 4143];
/** Proxy UIDs: Istio's sidecar runs as 1337, Linkerd's proxy as 2102. */
export const ISTIO_PROXY_UID = 1337;
/** @internal */
export const LINKERD_PROXY_UID = 2102;

const L7_ON_SERVICE_NEEDS: readonly MeshNeed[] = [
  'retries',
  'timeouts',
  'circuit-breaking',
  'canary',
  'traffic-split',
  'fault-injection',
  'header-routing',
];

const owner: BuiltinEntityCheck = {
  definition: def(
    'owner',
    'Owned by a team',
    'ownership',
    3,
    false,
    'Mesh configuration (routes, retry policies, authorization policies) needs an accountable team: someone has to answer when the mesh changes how this service behaves. The owner must be a Group in the catalog with at least one member.',
    'Set spec.owner to the Group that runs the service, and make sure that Group lists its members.',
    [SOURCES.backstageDescriptor],
    { remediationYaml: specYaml('owner', 'group:default/your-team') },
  ),
  evaluate(input) {
    const raw = (input.entity.spec as any)?.owner;
    if (raw === undefined || raw === null || raw === '') {
      return OWNER_UNKNOWN;
    }
    const ref = input.ownerRef;
    if (!ref) {
      return {
        status: 'invalid',
        message: `spec.owner '${String(raw).slice(
          0,
          80,
        )}' is not an entity reference.`,
        fixYaml: OWNER_FIX,
      };
    }
    if (ref.startsWith('user:')) {
      return {
        status: 'warn',
        message: `spec.owner is the person ${ref}; mesh configuration should be owned by a team (Group).`,
        fixYaml: OWNER_FIX,
      };
    }
    const group = input.context.groups.get(refKey(ref));
    if (!group) {
      return unknown(
        `spec.owner ${ref} is not a Group in the catalog, so its members are unknown.`,
      );
    }
    if (group.members === 0) {
      return {
        status: 'warn',
        message: `spec.owner ${ref} is a Group without members.`,
      };
    }
    const members = group.members;
    return (
      BY_OBJECT.owner.get(group) ??
      rememberWeak(BY_OBJECT.owner, group, {
        status: 'pass',
        message: `Owned by ${ref} (${members} member${
          members === 1 ? '' : 's'
        }).`,
      })
    );
  },
};

const lifecycle: BuiltinEntityCheck = {
  definition: def(
    'lifecycle',
    'Lifecycle declared',
    'ownership',
    1,
    false,
    "Only production services count towards the organisation's need for a mesh (the genuine-need gate), so the lifecycle has to be known.",
    'Set spec.lifecycle (production, experimental, deprecated, …).',
    [SOURCES.backstageDescriptor],
    { remediationYaml: specYaml('lifecycle', 'production') },
  ),
  evaluate(input) {
    const v = (input.entity.spec as any)?.lifecycle;
    if (typeof v !== 'string' || v.trim() === '') {
      return LIFECYCLE_UNKNOWN;
    }
    return (
      MEMO.lifecycle.get(v) ??
      remember(MEMO.lifecycle, v, {
        status: 'pass',
        message: `spec.lifecycle is '${v.slice(0, 40)}'.`,
      })
    );
  },
};

const clusterKnown: BuiltinEntityCheck = {
  definition: def(
    'cluster-known',
    'Runs on a known cluster',
    'workload',
    2,
    false,
    'Kernel, Kubernetes version, CNI and node count decide which mesh can run the workload (Cilium needs kernel 5.10+, native sidecars need Kubernetes 1.29+). They are read from the kubernetes-cluster Resource the workload depends on.',
    'Add the cluster Resource to spec.dependsOn.',
    [SOURCES.ciliumSystemRequirements, SOURCES.k8sSidecarContainers],
    {
      remediationYaml: specYaml('dependsOn', ['resource:default/your-cluster']),
    },
  ),
  evaluate(input) {
    if (input.clusters.length > 0) {
      // Most workloads run on one cluster: key by it, without building a string.
      const key: object =
        input.clusters.length === 1 ? input.clusters[0] : input.clusters;
      return (
        BY_OBJECT.cluster.get(key) ??
        rememberWeak(BY_OBJECT.cluster, key, {
          status: 'pass',
          message: `Runs on ${input.clusters.map(c => c.ref).join(', ')}.`,
        })
      );
    }
    const fix = clusterFix(input);
    if (input.resourceRefs.length === 0) {
      return unknown(
        'spec.dependsOn names no kubernetes-cluster Resource, so the cluster (kernel, Kubernetes version, CNI) is unknown.',
        fix,
      );
    }
    return unknown(
      `spec.dependsOn names ${input.resourceRefs.join(
        ', ',
      )}, but none is a Resource of spec.type kubernetes-cluster in the catalog.`,
      fix,
    );
  },
};

const tracing: BuiltinEntityCheck = {
  definition: def(
    'tracing',
    'Trace context propagated',
    'observability',
    3,
    false,
    'A mesh emits spans from its proxies, but the founding essay is wrong that tracing comes "without code changes": Istio says applications must propagate the trace headers (traceparent/tracestate or B3, x-request-id), and Linkerd says distributed tracing requires both code changes and configuration. Without propagation every hop is a disconnected span, and the mesh cannot be debugged.',
    'Propagate W3C traceparent (or B3) on every outbound call, e.g. with OpenTelemetry instrumentation, then declare tracing "full".',
    [
      SOURCES.istioTracingFaq,
      SOURCES.istioTracingOverview,
      SOURCES.linkerdTracing,
    ],
    { remediationYaml: annotationYaml({ [ANNOTATION_TRACING]: 'full' }) },
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_TRACING)) {
      return invalid(input, ANNOTATION_TRACING);
    }
    switch (input.values.tracing) {
      case 'full':
        return TRACING_FULL;
      case 'partial':
        return TRACING_PARTIAL;
      case 'none':
        return TRACING_NONE;
      default:
        return TRACING_UNKNOWN;
    }
  },
};

const protocols: BuiltinEntityCheck = {
  definition: def(
    'protocols',
    'Ports declare their protocol',
    'protocols',
    3,
    false,
    'Without a declared protocol Istio sniffs the traffic: only HTTP and HTTP/2 are detected, everything else is treated as opaque TCP (istioctl analyze reports IST0118). Linkerd detects protocols too, but needs opaque ports for anything server-first.',
    'List every served port as PORT/PROTOCOL; in Kubernetes, name Service ports <protocol>[-suffix] or set appProtocol.',
    [
      SOURCES.istioProtocolSelection,
      SOURCES.istioIst0118,
      SOURCES.linkerdProtocolDetection,
    ],
    {
      remediationYaml: annotationYaml({
        [ANNOTATION_PORTS]: '8080/http, 9090/grpc',
      }),
    },
  ),
  evaluate(input) {
    const ports = portsOutcome(input);
    if (!Array.isArray(ports)) {
      return ports;
    }
    const raw = rawAnnotation(input, ANNOTATION_PORTS);
    const cached = raw === undefined ? undefined : MEMO.ports.get(raw);
    if (cached) {
      return cached;
    }
    const shown = ports
      .slice(0, 10)
      .map(p => `${p.port}/${p.protocol}`)
      .join(', ');
    return remember(MEMO.ports, raw ?? shown, {
      status: 'pass',
      message: `${ports.length} port${
        ports.length === 1 ? '' : 's'
      } declared with a protocol: ${shown}${ports.length > 10 ? ', …' : ''}.`,
    });
  },
};

const portConflicts: BuiltinEntityCheck = {
  definition: def(
    'port-conflicts',
    'One protocol per port',
    'protocols',
    2,
    false,
    'Istio cannot serve the same port number with two protocols (IST0137 DeploymentConflictingPorts); the mesh would pick one and break the other. UDP has its own port space and is not compared with TCP protocols.',
    'Give each protocol its own port.',
    [SOURCES.istioAppRequirements, SOURCES.istioAnalyzerMessages],
  ),
  evaluate(input) {
    const ports = portsOutcome(input);
    if (!Array.isArray(ports)) {
      return ports;
    }
    // UDP and TCP have separate port spaces: 53/udp next to 53/dns is fine.
    let conflicts: string[] | undefined;
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i];
      if (p.protocol === 'udp') {
        continue;
      }
      for (let j = 0; j < i; j++) {
        const q = ports[j];
        if (
          q.port === p.port &&
          q.protocol !== 'udp' &&
          q.protocol !== p.protocol
        ) {
          (conflicts ??= []).push(
            `${p.port} (${q.protocol} and ${p.protocol})`,
          );
          break;
        }
      }
    }
    if (conflicts) {
      return {
        status: 'fail',
        message: `${ANNOTATION_PORTS} declares several protocols on port ${conflicts.join(
          ', ',
        )}.`,
      };
    }
    return SINGLE_PROTOCOL;
  },
};

const serverFirst: BuiltinEntityCheck = {
  definition: def(
    'server-first-protocols',
    'Server-first protocols declared opaque',
    'protocols',
    3,
    true,
    "In server-speaks-first protocols (MySQL, PostgreSQL, Redis, SMTP, NATS, Galera, …) the client waits for the server. Istio's protocol sniffing and PERMISSIVE mTLS then stall, and Linkerd waits up to 10 seconds for client bytes before falling back to TCP. Istio handles ports 25, 53, 3306 and 27017 on its own; Linkerd treats 25, 587, 3306, 4444, 5432, 6379, 9300 and 11211 as opaque by default. Any other server-first port must be declared.",
    'Declare the port opaque: for Linkerd config.linkerd.io/opaque-ports on the pod (or appProtocol linkerd.io/opaque), for Istio a tcp- port name. Then list it in mesh-readiness.io/opaque-ports.',
    [SOURCES.istioAppRequirements, SOURCES.linkerdProtocolDetection],
    { remediationYaml: annotationYaml({ [ANNOTATION_OPAQUE_PORTS]: '5432' }) },
  ),
  evaluate(input) {
    const ports = portsOutcome(input);
    if (!Array.isArray(ports)) {
      return ports;
    }
    if (isInvalid(input, ANNOTATION_OPAQUE_PORTS)) {
      return invalid(input, ANNOTATION_OPAQUE_PORTS);
    }
    const opaque = input.values.opaquePorts;
    // Without opaque ports the outcome depends on the port list alone, and
    // parsed lists are shared (frozen) between entities declaring the same.
    if (opaque === undefined && Object.isFrozen(ports)) {
      return (
        BY_OBJECT.serverFirst.get(ports) ??
        rememberWeak(BY_OBJECT.serverFirst, ports, serverFirstOf(ports, []))
      );
    }
    return serverFirstOf(ports, opaque ?? []);
  },
};

/** The server-first-protocols outcome of a port list and its opaque ports. */
function serverFirstOf(
  ports: readonly PortDeclaration[],
  opaque: readonly number[],
): CheckOutcome {
  const failing: number[] = [];
  const partly: string[] = [];
  let serverFirstCount = 0;
  // Indexed: the port list may be a shared frozen array, where for-of
  // would allocate an iterator.
  for (let pi = 0; pi < ports.length; pi++) {
    const p = ports[pi];
    if (!SERVER_FIRST_PROTOCOLS.includes(p.protocol)) {
      continue;
    }
    serverFirstCount++;
    if (opaque.includes(p.port)) {
      continue;
    }
    const istio = ISTIO_SERVER_FIRST_PORTS.includes(p.port);
    const linkerd = LINKERD_DEFAULT_OPAQUE_PORTS.includes(p.port);
    if (istio && linkerd) {
      continue;
    }
    if (istio || linkerd) {
      partly.push(
        `${p.port}/${p.protocol} (handled by default by ${
          istio ? 'Istio' : 'Linkerd'
        } only)`,
      );
    } else if (!failing.includes(p.port)) {
      failing.push(p.port);
    }
  }
  if (serverFirstCount === 0) {
    return NO_SERVER_FIRST;
  }
  const wanted = [...opaque];
  // Indexed: the port list may be a shared frozen array, where for-of
  // would allocate an iterator.
  for (let pi = 0; pi < ports.length; pi++) {
    const p = ports[pi];
    if (
      SERVER_FIRST_PROTOCOLS.includes(p.protocol) &&
      !wanted.includes(p.port) &&
      !(
        ISTIO_SERVER_FIRST_PORTS.includes(p.port) &&
        LINKERD_DEFAULT_OPAQUE_PORTS.includes(p.port)
      )
    ) {
      wanted.push(p.port);
    }
  }
  const fix = annotationYaml(
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
      fixYaml: fix,
    };
  }
  if (partly.length > 0) {
    return {
      status: 'warn',
      message: `Not declared opaque: ${partly.join(', ')}.`,
      fixYaml: fix,
    };
  }
  return {
    status: 'pass',
    message: `All ${serverFirstCount} server-first port${
      serverFirstCount === 1 ? ' is' : 's are'
    } opaque or handled by both meshes by default.`,
  };
}

const opaquePorts: BuiltinEntityCheck = {
  definition: def(
    'opaque-ports',
    'Opaque ports match the declared ports',
    'protocols',
    1,
    false,
    "An opaque port that the workload does not serve, or an HTTP port marked opaque, points at a stale or wrong declaration: Linkerd's `linkerd check` flags opaque ports that differ between pod and Service, and an opaque HTTP port loses every L7 feature.",
    'Keep mesh-readiness.io/opaque-ports to the server-first ports listed in mesh-readiness.io/ports.',
    [SOURCES.linkerdTroubleshooting, SOURCES.linkerdProtocolDetection],
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_OPAQUE_PORTS)) {
      return invalid(input, ANNOTATION_OPAQUE_PORTS);
    }
    const opaque = input.values.opaquePorts;
    if (!opaque) {
      return OPAQUE_NOT_SET;
    }
    const ports = portsOutcome(input);
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
    if (stray.length > 0 || l7.length > 0) {
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
          `${l7
            .map(p => `${p.port}/${p.protocol}`)
            .join(', ')} would lose L7 features when opaque`,
        );
      }
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
};

const reservedPorts: BuiltinEntityCheck = {
  definition: def(
    'reserved-ports',
    'No clash with proxy ports',
    'protocols',
    3,
    false,
    'The Istio sidecar listens on 15000, 15001, 15002, 15004, 15006, 15008, 15020, 15021, 15053 and 15090, and the Linkerd proxy on 4140 and 4143; "applications should not use any of the ports used by Envoy".',
    'Move the application off these ports.',
    [SOURCES.istioAppRequirements, SOURCES.linkerdIptables],
  ),
  evaluate(input) {
    const ports = portsOutcome(input);
    if (!Array.isArray(ports)) {
      return ports;
    }
    if (!ports.some(isReservedPort)) {
      return NO_RESERVED_PORT;
    }
    const istio = ports
      .filter(p => ISTIO_RESERVED_PORTS.includes(p.port))
      .map(p => p.port);
    const linkerd = ports
      .filter(p => LINKERD_RESERVED_PORTS.includes(p.port))
      .map(p => p.port);
    if (istio.length + linkerd.length > 0) {
      const parts: string[] = [];
      if (istio.length) {
        parts.push(`${list(istio)} (Istio)`);
      }
      if (linkerd.length) {
        parts.push(`${list(linkerd)} (Linkerd)`);
      }
      return {
        status: 'fail',
        message: `Declared ports clash with proxy ports: ${parts.join(', ')}.`,
      };
    }
    return NO_RESERVED_PORT;
  },
};

function isReservedPort(p: PortDeclaration): boolean {
  return (
    ISTIO_RESERVED_PORTS.includes(p.port) ||
    LINKERD_RESERVED_PORTS.includes(p.port)
  );
}

function isUdp(p: PortDeclaration): boolean {
  return p.protocol === 'udp';
}

function isH2(p: PortDeclaration): boolean {
  return (
    p.protocol === 'grpc' || p.protocol === 'http2' || p.protocol === 'grpc-web'
  );
}

const udp: BuiltinEntityCheck = {
  definition: def(
    'udp',
    'UDP traffic accounted for',
    'protocols',
    1,
    false,
    "Istio does not proxy UDP, and Cilium's ztunnel encryption handles TCP only, so UDP flows get neither mTLS nor L7 features. Where a compliance scope covers the service, that UDP traffic stays unencrypted by the mesh.",
    'Encrypt UDP in the application (DTLS) or at node level (WireGuard), or move the flow to TCP.',
    [SOURCES.istioProtocolSelection, SOURCES.ciliumZtunnel],
  ),
  evaluate(input) {
    const ports = portsOutcome(input);
    if (!Array.isArray(ports)) {
      return ports;
    }
    if (!ports.some(isUdp)) {
      return NO_UDP;
    }
    const udpPorts = ports.filter(isUdp).map(p => p.port);
    if (input.values.compliance.length > 0) {
      return {
        status: 'fail',
        message: `UDP port${udpPorts.length === 1 ? '' : 's'} ${list(
          udpPorts,
        )} in compliance scope (${input.values.compliance.join(
          ', ',
        )}) will not be encrypted by the mesh.`,
      };
    }
    return {
      status: 'warn',
      message: `UDP port${udpPorts.length === 1 ? '' : 's'} ${list(
        udpPorts,
      )} will not be proxied or encrypted by the mesh.`,
    };
  },
};

const grpcLb: BuiltinEntityCheck = {
  definition: def(
    'grpc-load-balancing',
    'gRPC / HTTP/2 load balancing (benefit)',
    'protocols',
    0,
    false,
    'Kubernetes balances connections, not requests, which is "not effective" for gRPC and HTTP/2 where one connection carries every request. Linkerd balances each request (EWMA), Istio/Envoy is L7-aware too. Informational: it adds value, not readiness.',
    'Nothing to fix; this marks services that gain from a mesh.',
    [SOURCES.linkerdLoadBalancing],
  ),
  evaluate(input) {
    const ports = portsOutcome(input);
    if (!Array.isArray(ports)) {
      return ports;
    }
    if (!ports.some(isH2)) {
      return NO_H2_PORT;
    }
    const raw = rawAnnotation(input, ANNOTATION_PORTS);
    const cached = raw === undefined ? undefined : MEMO.grpc.get(raw);
    if (cached) {
      return cached;
    }
    const h2 = ports
      .filter(isH2)
      .map(p => `${p.port}/${p.protocol}`)
      .join(', ');
    return remember(MEMO.grpc, raw ?? h2, {
      status: 'pass',
      message: `Per-request load balancing would help ${h2}.`,
    });
  },
};

function proxyMeshes(mesh: string): { istio: boolean; linkerd: boolean } {
  return {
    istio: mesh === 'istio-sidecar',
    linkerd: mesh === 'linkerd',
  };
}

const proxyUid: BuiltinEntityCheck = {
  definition: def(
    'proxy-uid',
    'Not running as the proxy UID',
    'security',
    3,
    true,
    "Istio's sidecar runs as UID 1337 and its iptables rules let that UID's traffic bypass the proxy (IST0144 InvalidApplicationUID); Linkerd's rules skip packets owned by UID 2102. An application running as either UID escapes the mesh. A clash with the recommended mesh fails; a clash with another mesh warns.",
    'Run the container as another UID (securityContext.runAsUser) and declare it.',
    [SOURCES.istioAppRequirements, SOURCES.linkerdIptables],
    { remediationYaml: annotationYaml({ [ANNOTATION_RUN_AS_UID]: '1000' }) },
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_RUN_AS_UID)) {
      return invalid(input, ANNOTATION_RUN_AS_UID);
    }
    const uid = input.values.runAsUid;
    if (uid === undefined) {
      return UID_UNKNOWN;
    }
    let clash: 'istio' | 'linkerd' | undefined;
    if (uid === ISTIO_PROXY_UID) {
      clash = 'istio';
    } else if (uid === LINKERD_PROXY_UID) {
      clash = 'linkerd';
    }
    if (!clash) {
      return (
        MEMO.uid.get(uid) ??
        remember(MEMO.uid, uid, {
          status: 'pass',
          message: `Runs as UID ${uid}, which no mesh proxy uses.`,
        })
      );
    }
    const proxy = clash;
    return input.recommendedMesh === undefined
      ? new MeshDependent(mesh => uidClash(uid, proxy, mesh))
      : uidClash(uid, proxy, input.recommendedMesh);
  },
};

/** A UID clash fails under the mesh whose proxy uses the UID, else warns. */
function uidClash(
  uid: number,
  clash: 'istio' | 'linkerd',
  mesh: MeshOption,
): CheckOutcome {
  const chosen = proxyMeshes(mesh)[clash];
  const name = clash === 'istio' ? "Istio's sidecar" : "Linkerd's proxy";
  return {
    status: chosen ? 'fail' : 'warn',
    message: `Runs as UID ${uid}, the UID of ${name}: its traffic would bypass the proxy${
      chosen
        ? ''
        : ` if ${clash === 'istio' ? 'Istio sidecars' : 'Linkerd'} were adopted`
    }.`,
  };
}

function restrictedUnder(mesh: MeshOption): CheckOutcome {
  if (mesh === 'istio-ambient' || mesh === 'cilium') {
    return (
      MEMO.podSecurity.get(mesh) ??
      remember(MEMO.podSecurity, mesh, {
        status: 'pass',
        message: `Pod security 'restricted' is compatible with the recommended ${mesh}, which adds no init container.`,
      })
    );
  }
  return POD_SECURITY_RESTRICTED;
}

/** One shared answer for every restricted workload until the mesh is known. */
const RESTRICTED_BY_MESH = new MeshDependent(restrictedUnder);

const podSecurity: BuiltinEntityCheck = {
  definition: def(
    'pod-security',
    'Pod security allows mesh injection',
    'security',
    2,
    false,
    'Without a CNI plugin, Istio\'s istio-init container needs NET_ADMIN and NET_RAW and Linkerd\'s init container needs NET_ADMIN; the Pod Security Standard "restricted" blocks them. Istio ambient and Cilium add no init container.',
    "Install the mesh's CNI plugin (istio-cni, linkerd-cni) or use ambient mode; otherwise the namespace must allow the capability.",
    [
      SOURCES.istioAppRequirements,
      SOURCES.linkerdCni,
      SOURCES.k8sPodSecurityStandards,
    ],
    {
      remediationYaml: annotationYaml({
        [ANNOTATION_POD_SECURITY]: 'restricted',
      }),
    },
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_POD_SECURITY)) {
      return invalid(input, ANNOTATION_POD_SECURITY);
    }
    const level = input.values.podSecurity;
    if (!level) {
      return POD_SECURITY_UNKNOWN;
    }
    if (level !== 'restricted') {
      return level === 'baseline'
        ? POD_SECURITY_BASELINE
        : POD_SECURITY_PRIVILEGED;
    }
    return input.recommendedMesh === undefined
      ? RESTRICTED_BY_MESH
      : restrictedUnder(input.recommendedMesh);
  },
};

function isLoopback(address: string): boolean {
  return (
    address === 'localhost' || address === '::1' || address.startsWith('127.')
  );
}

const bindAddress: BuiltinEntityCheck = {
  definition: def(
    'bind-address',
    'Listens on all interfaces',
    'workload',
    3,
    false,
    'An application bound to 127.0.0.1 or localhost is not reachable through the sidecar from other pods (Istio IST0143 LocalhostListener: "will not be exposed to other pods").',
    'Bind to 0.0.0.0 (or ::), and declare the address.',
    [SOURCES.istioAnalyzerMessages, SOURCES.istioAppRequirements],
    {
      remediationYaml: annotationYaml({ [ANNOTATION_BIND_ADDRESS]: '0.0.0.0' }),
    },
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_BIND_ADDRESS)) {
      return invalid(input, ANNOTATION_BIND_ADDRESS);
    }
    const addr = input.values.bindAddress;
    if (addr === undefined) {
      return BIND_UNKNOWN;
    }
    if (isLoopback(addr)) {
      return {
        status: 'fail',
        message: `Listens on ${addr}: other pods cannot reach it through the mesh.`,
        fixYaml: BIND_FIX,
      };
    }
    return (
      MEMO.bind.get(addr) ??
      remember(MEMO.bind, addr, {
        status: 'pass',
        message: `Listens on ${addr}.`,
      })
    );
  },
};

const probes: BuiltinEntityCheck = {
  definition: def(
    'probes',
    'Health probes survive mTLS',
    'workload',
    2,
    false,
    'Under strict mTLS the kubelet has no mesh certificate. Istio rewrites HTTP and gRPC probes to its agent by default; exec probes are unaffected. TCP probes always succeed with a sidecar, because the sidecar accepts every port, so they stop telling you anything.',
    "Use HTTP, gRPC or exec probes and keep Istio's probe rewrite (sidecar.istio.io/rewriteAppHTTPProbers) enabled.",
    [SOURCES.istioHealthChecks],
    { remediationYaml: annotationYaml({ [ANNOTATION_PROBES]: 'http' }) },
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_PROBES)) {
      return invalid(input, ANNOTATION_PROBES);
    }
    const kinds = input.values.probes;
    if (!kinds) {
      return PROBES_UNKNOWN;
    }
    if (kinds.includes('tcp')) {
      return TCP_PROBES;
    }
    const joined = kinds.join(', ');
    return (
      MEMO.probes.get(joined) ??
      remember(MEMO.probes, joined, {
        status: 'pass',
        message: `Probes: ${joined}.`,
      })
    );
  },
};

const BATCH_TYPES = ['job', 'cronjob', 'batch'];

const batchWorkload: BuiltinEntityCheck = {
  definition: def(
    'batch-workload',
    'Jobs can finish with a sidecar',
    'workload',
    3,
    true,
    'Meshed Jobs and CronJobs "are not able to terminate without modification": the sidecar keeps the pod alive after the job container exits. Native sidecars (Kubernetes 1.29+, Istio ENABLE_NATIVE_SIDECARS, Linkerd 2.20+ by default) fix this; Istio ambient and Cilium have no sidecar at all.',
    'Run the cluster on Kubernetes 1.29+ and enable native sidecars, or use ambient mode, or exclude the Job from injection.',
    [
      SOURCES.linkerdNativeSidecars,
      SOURCES.istioJobsIssue,
      SOURCES.k8sSidecarContainers,
    ],
    {
      appliesTo:
        "Workloads whose spec.type is job, cronjob or batch, or tagged 'batch'",
    },
  ),
  evaluate(input) {
    if (!input.isBatch) {
      return NOT_BATCH;
    }
    const { clusters, config } = input;
    return input.recommendedMesh === undefined
      ? new MeshDependent(mesh => batchUnder(mesh, clusters, config))
      : batchUnder(input.recommendedMesh, clusters, config);
  },
};

function batchUnder(
  mesh: MeshOption,
  clusters: readonly ClusterInfo[],
  config: ResolvedMeshReadinessConfig,
): CheckOutcome {
  if (mesh === 'istio-ambient' || mesh === 'cilium') {
    return (
      MEMO.batch.get(mesh) ??
      remember(MEMO.batch, mesh, {
        status: 'pass',
        message: `The recommended ${mesh} adds no sidecar, so the Job exits normally.`,
      })
    );
  }
  if (
    clusters.length === 0 ||
    clusters.some(c => c.values.kubernetesVersion === undefined)
  ) {
    return BATCH_VERSION_UNKNOWN;
  }
  // The outcome only depends on the cluster and the configured version.
  const key: object = clusters.length === 1 ? clusters[0] : clusters;
  const min = config.versions.nativeSidecarsKubernetes;
  const cached = BY_OBJECT.batch.get(key);
  if (cached && cached.min === min) {
    return cached.outcome;
  }
  const outcome = Object.freeze(batchOnClusters(clusters, config));
  BY_OBJECT.batch.set(key, { min, outcome });
  return outcome;
}

function batchOnClusters(
  clusters: readonly ClusterInfo[],
  config: ResolvedMeshReadinessConfig,
): CheckOutcome {
  const min = parseVersion(config.versions.nativeSidecarsKubernetes)!;
  const versions = clusters.map(c => c.values.kubernetesVersion);
  const old = clusters.filter(
    c => compareMinor(c.values.kubernetesVersion!, min) < 0,
  );
  if (old.length > 0) {
    return {
      status: 'fail',
      message: `${old
        .map(c => `${c.ref} runs Kubernetes ${c.values.kubernetesVersion!.raw}`)
        .join('; ')}: native sidecars need ${
        min.raw
      }+, so a sidecar keeps the Job from finishing.`,
    };
  }
  return {
    status: 'pass',
    message: `Kubernetes ${versions
      .map(v => v!.raw)
      .join(
        ', ',
      )} supports native sidecars; enable them in the mesh (Istio ENABLE_NATIVE_SIDECARS, Linkerd 2.20+ default).`,
  };
}

const headless: BuiltinEntityCheck = {
  definition: def(
    'headless',
    'Not reached through a headless Service',
    'protocols',
    2,
    false,
    'Linkerd does not load-balance headless services, and "retries and timeouts do not work with headless services"; traffic splits cannot target them. Istio gives direct pod calls passthrough treatment without its routing features. It fails when the service also declares an L7 need that would not work.',
    'Put a ClusterIP Service in front for L7 features; declare opaque ports on the pod.',
    [
      SOURCES.linkerdLoadBalancing,
      SOURCES.linkerdRetriesTimeouts,
      SOURCES.linkerdTrafficSplit,
      SOURCES.istioAppRequirements,
    ],
    { remediationYaml: annotationYaml({ [ANNOTATION_HEADLESS]: 'false' }) },
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_HEADLESS)) {
      return invalid(input, ANNOTATION_HEADLESS);
    }
    const h = input.values.headless;
    if (h === undefined) {
      return HEADLESS_UNKNOWN;
    }
    if (!h) {
      return CLUSTER_IP;
    }
    const needs = (input.values.needs ?? []).filter(n =>
      L7_ON_SERVICE_NEEDS.includes(n),
    );
    if (needs.length > 0) {
      return {
        status: 'fail',
        message: `Headless, yet ${ANNOTATION_NEEDS} asks for ${needs.join(
          ', ',
        )}, which do not work on headless services.`,
      };
    }
    return HEADLESS;
  },
};

const timeouts: BuiltinEntityCheck = {
  definition: def(
    'timeouts',
    'Client timeouts configured',
    'resilience',
    2,
    false,
    'Mesh retries multiply load unless calls are bounded: Envoy\'s route timeout includes all retries to avoid "an exponential retry/timeout explosion", and Istio\'s perTryTimeout defaults to none. Services that already set call timeouts keep their behaviour predictable when a mesh adds retries.',
    'Configure a timeout on every outbound client call, then declare it.',
    [SOURCES.envoyRouter, SOURCES.istioVirtualService],
    { remediationYaml: annotationYaml({ [ANNOTATION_TIMEOUTS]: 'true' }) },
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_TIMEOUTS)) {
      return invalid(input, ANNOTATION_TIMEOUTS);
    }
    const t = input.values.timeouts;
    if (t === undefined) {
      return TIMEOUTS_UNKNOWN;
    }
    return t ? TIMEOUTS_PASS : TIMEOUTS_FAIL;
  },
};

const retryPolicy: BuiltinEntityCheck = {
  definition: def(
    'retry-policy',
    'App retries do not stack on mesh retries',
    'resilience',
    3,
    false,
    'Istio retries by default, with no VirtualService at all: 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503 (more than the founding essay suggests). An application that also retries every call multiplies each failure: every app attempt becomes up to 3 proxy attempts, a retry storm under load, and non-idempotent calls may run twice.',
    'Retry only idempotent calls in the application (or none), and leave the rest to a mesh retry policy with a budget.',
    [
      SOURCES.istioDefaultRetries,
      SOURCES.istioVirtualService,
      SOURCES.envoyRouter,
    ],
    {
      remediationYaml: annotationYaml({
        [ANNOTATION_RETRIES]: 'idempotent-only',
      }),
    },
  ),
  evaluate(input) {
    if (isInvalid(input, ANNOTATION_RETRIES)) {
      return invalid(input, ANNOTATION_RETRIES);
    }
    const r = input.values.retries;
    if (!r) {
      return RETRIES_UNKNOWN;
    }
    if (r === 'all') {
      return RETRIES_ALL;
    }
    return r === 'none' ? RETRIES_NONE : RETRIES_IDEMPOTENT;
  },
};

const EMPTY_ANALYSES: ReadonlyMap<string, unknown> = new Map();

const retrySafety: BuiltinEntityCheck = {
  definition: def(
    'retry-safety',
    'Provided APIs are safe to retry',
    'resilience',
    3,
    true,
    'Istio retries failed requests by default and Envoy does not look at the HTTP method, so a POST whose response was lost can run twice. RFC 9110 makes only GET, HEAD, OPTIONS, TRACE, PUT and DELETE idempotent; POST and PATCH need an Idempotency-Key (or x-idempotent: true), gRPC methods an idempotency_level, or the route must be excluded from retries.',
    'Add Idempotency-Key support to unsafe operations, or list them in mesh-readiness.io/no-retry-routes and set retries.attempts: 0 on those routes.',
    [
      SOURCES.istioDefaultRetries,
      SOURCES.envoyRouter,
      SOURCES.rfc9110Idempotent,
    ],
    {
      appliesTo: `${WORKLOADS}; reads the OpenAPI and gRPC APIs in spec.providesApis`,
    },
  ),
  evaluate(input) {
    if (!input.retrySafety) {
      return RETRY_NOT_RUN;
    }
    const ns = (input.entity.metadata as any)?.namespace;
    const refs: string[] = [];
    const provided = (input.entity.spec as any)?.providesApis;
    if (Array.isArray(provided)) {
      for (const target of provided) {
        const ref = resolveRef(
          target,
          'api',
          typeof ns === 'string' && ns ? ns : 'default',
        );
        if (ref) {
          refs.push(ref);
        }
      }
    }
    const { entity, values } = input;
    const evaluator = input.retrySafety;
    const analyses = input.apiAnalyses ?? EMPTY_ANALYSES;
    return input.recommendedMesh === undefined
      ? new MeshDependent(mesh =>
          evaluator(entity, refs, analyses, mesh, values),
        )
      : evaluator(entity, refs, analyses, input.recommendedMesh, values);
  },
};

const complianceScope: BuiltinEntityCheck = {
  definition: def(
    'compliance-mtls-scope',
    'Compliance scope states its mTLS requirement',
    'security',
    2,
    false,
    'A compliance scope (PCI, HIPAA, SOC 2, …) is the usual reason for mTLS, but auditors differ: some require workload identity (every service pair mutually authenticated, as in NIST SP 800-204B), others only encryption in transit, which node-level WireGuard gives. Which one decides the mesh that fits.',
    'Ask the auditor and declare the requirement.',
    [SOURCES.nist800204b, SOURCES.nist800207a, SOURCES.ciliumWireguard],
    {
      appliesTo:
        'Workloads with a compliance scope (annotation or metadata.tags)',
      remediationYaml: annotationYaml({
        [ANNOTATION_MTLS_REQUIREMENT]: 'workload-identity',
      }),
    },
  ),
  evaluate(input) {
    if (
      isInvalid(input, ANNOTATION_COMPLIANCE) &&
      input.values.compliance.length === 0
    ) {
      return invalid(input, ANNOTATION_COMPLIANCE);
    }
    const scopes = input.values.compliance;
    if (scopes.length === 0) {
      return NO_COMPLIANCE;
    }
    if (isInvalid(input, ANNOTATION_MTLS_REQUIREMENT)) {
      return invalid(input, ANNOTATION_MTLS_REQUIREMENT);
    }
    const req = input.values.mtlsRequirement;
    if (!req) {
      return unknown(
        `In compliance scope (${scopes.join(
          ', ',
        )}) but ${ANNOTATION_MTLS_REQUIREMENT} is not set.`,
        annotationYaml(
          { [ANNOTATION_MTLS_REQUIREMENT]: 'workload-identity' },
          "or 'encryption' / 'none', as the auditor requires",
        ),
      );
    }
    if (req === 'none') {
      return {
        status: 'warn',
        message: `In compliance scope (${scopes.join(
          ', ',
        )}) with ${ANNOTATION_MTLS_REQUIREMENT} 'none'; confirm with the auditor.`,
      };
    }
    const joined = scopes.join(', ');
    return (
      MEMO.compliance.get(`${joined}|${req}`) ??
      remember(MEMO.compliance, `${joined}|${req}`, {
        status: 'pass',
        message: `Compliance scope ${joined} requires ${req}.`,
      })
    );
  },
};

/** The built-in entity checks, in catalogue order. @internal */
export const ENTITY_CHECKS: readonly BuiltinEntityCheck[] = [
  owner,
  lifecycle,
  clusterKnown,
  tracing,
  protocols,
  portConflicts,
  serverFirst,
  opaquePorts,
  reservedPorts,
  udp,
  grpcLb,
  proxyUid,
  podSecurity,
  bindAddress,
  probes,
  batchWorkload,
  headless,
  timeouts,
  retryPolicy,
  retrySafety,
  complianceScope,
];

/** @internal */
export function isBatchWorkload(
  type: string | undefined,
  tags: unknown,
): boolean {
  if (type && BATCH_TYPES.includes(type)) {
    return true;
  }
  return (
    Array.isArray(tags) &&
    tags.some(t => typeof t === 'string' && t.toLowerCase() === 'batch')
  );
}

/** @internal */
export function hasUnopaqueServerFirstPort(
  ports: readonly PortDeclaration[],
  opaque: readonly number[] | undefined,
): boolean {
  // Indexed: the port list may be a shared frozen array, where for-of
  // would allocate an iterator.
  for (let pi = 0; pi < ports.length; pi++) {
    const p = ports[pi];
    if (
      SERVER_FIRST_PROTOCOLS.includes(p.protocol) &&
      !(opaque ?? []).includes(p.port) &&
      !(
        ISTIO_SERVER_FIRST_PORTS.includes(p.port) &&
        LINKERD_DEFAULT_OPAQUE_PORTS.includes(p.port)
      )
    ) {
      return true;
    }
  }
  return false;
}
