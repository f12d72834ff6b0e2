/*
 * Facts from their most trusted source: what the workload's manifests say
 * (observed) when they were read and matched, else what its annotations
 * declare. Each fact keeps its source, so that results can say where it
 * came from, and the drift check can compare the two.
 */
import {
  ANNOTATION_HEADLESS,
  ANNOTATION_OPAQUE_PORTS,
  ANNOTATION_POD_SECURITY,
  ANNOTATION_PORTS,
  ANNOTATION_PROBES,
  ANNOTATION_REPLICAS,
  ANNOTATION_RUN_AS_UID,
} from '../annotationKeys';
import type { PodSecurityLevel, ProbeKind, Protocol } from '../annotations';
import type {
  FactEvidence,
  FactSource,
  ObservedServicePort,
  ObservedWorkload,
} from '../observed';
import type { EntityFacts } from './entity';
import { SERVER_FIRST_PROTOCOLS } from './meshDefaults';

/** A fact's value and where it was read. */
export interface Fact<T> {
  value: T;
  source: FactSource;
}

/** A port the workload serves, with how its protocol is known. */
export interface PortFact {
  /** The port the pod listens on (a Service's target port, resolved). */
  port: number;
  /**
   * The protocol a mesh is told: declared in the annotation, or given in
   * the manifests by appProtocol or the Service port name. Undefined when
   * nothing tells the mesh (Istio sniffs; IST0118).
   */
  protocol?: Protocol;
  /** The server-first protocol the port speaks, or likely speaks by its number. */
  serverFirst?: Protocol;
  /** The manifests mark the port opaque for Linkerd (appProtocol linkerd.io/opaque). */
  linkerdOpaque: boolean;
  transport: 'TCP' | 'UDP' | 'SCTP';
  /** The Service port that exposes it, when observed through a Service. */
  servicePort?: ObservedServicePort;
  /** How the protocol is known, for people: `from the port name 'grpc' of Service cart`. */
  how: string;
  source: FactSource;
}

/** Server-first protocols by their well-known port. */
const WELL_KNOWN_SERVER_FIRST = new Map<number, Protocol>([
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

/** The source of a declared fact. */
export function declared(key: string): FactSource {
  return { kind: 'annotation', label: `annotation ${key}` };
}

/** The workloads the manifests matched; undefined when nothing was observed. */
export function observedWorkloads(
  facts: EntityFacts,
): ObservedWorkload[] | undefined {
  const workloads = facts.observed?.workloads;
  return workloads && workloads.length > 0 ? workloads : undefined;
}

function serverFirstOf(
  protocol: Protocol | undefined,
  port: number,
): Protocol | undefined {
  if (protocol && SERVER_FIRST_PROTOCOLS.includes(protocol)) {
    return protocol;
  }
  return protocol === undefined || protocol === 'tcp'
    ? WELL_KNOWN_SERVER_FIRST.get(port)
    : undefined;
}

function servicePortFact(sp: ObservedServicePort): PortFact {
  const port = sp.containerPort ?? sp.port;
  const told =
    sp.protocolFrom === 'appProtocol' || sp.protocolFrom === 'port name'
      ? sp.protocol
      : undefined;
  let how: string;
  if (sp.protocolFrom === 'appProtocol') {
    how = `from appProtocol '${sp.appProtocol}' of Service ${sp.service}`;
  } else if (sp.protocolFrom === 'port name') {
    how = `from the port name '${sp.name}' of Service ${sp.service}`;
  } else {
    how = `Service ${sp.service} port ${sp.port}${
      sp.name ? ` is named '${sp.name}', which is no protocol` : ' has no name'
    } and no appProtocol`;
  }
  return {
    port,
    protocol: sp.transport === 'UDP' ? 'udp' : told,
    serverFirst: serverFirstOf(told ?? sp.protocol, port),
    linkerdOpaque: sp.appProtocol === 'linkerd.io/opaque',
    transport: sp.transport,
    servicePort: sp,
    how,
    source: sp.source,
  };
}

/**
 * The ports the workload serves: observed (Service ports, then container
 * ports no Service exposes) or declared; or undefined when neither.
 */
export function portFacts(
  facts: EntityFacts,
): { ports: PortFact[]; observed: boolean } | undefined {
  const workloads = observedWorkloads(facts);
  if (workloads) {
    const ports: PortFact[] = [];
    const seen = new Set<string>();
    const add = (p: PortFact) => {
      const key = `${p.port}/${p.transport}/${p.protocol ?? ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        ports.push(p);
      }
    };
    for (const w of workloads) {
      for (const sp of w.servicePorts) {
        add(servicePortFact(sp));
      }
    }
    for (const w of workloads) {
      for (const cp of w.containerPorts) {
        if (
          ports.some(p => p.port === cp.port && p.transport === cp.transport)
        ) {
          continue;
        }
        add({
          port: cp.port,
          protocol: cp.transport === 'UDP' ? 'udp' : undefined,
          serverFirst: WELL_KNOWN_SERVER_FIRST.get(cp.port),
          linkerdOpaque: false,
          transport: cp.transport,
          how: `container port of ${cp.container}${
            cp.name ? ` named '${cp.name}'` : ''
          }, exposed by no Service`,
          source: cp.source,
        });
      }
    }
    return { ports, observed: true };
  }
  const declaredPorts = facts.annotations.ports;
  if (!declaredPorts) {
    return undefined;
  }
  const source = declared(ANNOTATION_PORTS);
  return {
    observed: false,
    ports: declaredPorts.map(p => ({
      port: p.port,
      protocol: p.protocol,
      // A declared protocol is taken as said: no guess from the number.
      serverFirst: SERVER_FIRST_PROTOCOLS.includes(p.protocol)
        ? p.protocol
        : undefined,
      linkerdOpaque: false,
      transport: p.protocol === 'udp' ? 'UDP' : 'TCP',
      how: 'declared',
      source,
    })),
  };
}

/** `8080/http`, `80/?` */
export function portLabel(p: PortFact): string {
  return `${p.port}/${p.protocol ?? (p.transport === 'UDP' ? 'udp' : '?')}`;
}

/** Evidence for ports, at most ten. */
export function portEvidence(ports: readonly PortFact[]): FactEvidence[] {
  return ports.slice(0, 10).map(p => ({
    fact: `port ${p.port}${p.transport === 'TCP' ? '' : `/${p.transport}`}`,
    value: p.protocol
      ? `${p.protocol} (${p.how})`
      : `protocol not stated (${p.how})`,
    source: p.source,
  }));
}

/** Opaque ports: the manifests' Linkerd annotations and appProtocols, plus the declared ones. */
export function opaquePortFacts(facts: EntityFacts): Fact<number>[] {
  const out: Fact<number>[] = [];
  const add = (port: number, source: FactSource) => {
    if (!out.some(o => o.value === port)) {
      out.push({ value: port, source });
    }
  };
  for (const w of observedWorkloads(facts) ?? []) {
    const annotated = [
      {
        value: w.podAnnotations['config.linkerd.io/opaque-ports'],
        source: w.source,
      },
      ...w.services.map(s => ({
        value: s.annotations['config.linkerd.io/opaque-ports'],
        source: s.source,
      })),
    ];
    for (const a of annotated) {
      for (const port of portsInList(a.value)) {
        add(port, a.source);
      }
    }
    for (const sp of w.servicePorts) {
      if (sp.appProtocol === 'linkerd.io/opaque') {
        add(sp.containerPort ?? sp.port, sp.source);
      }
    }
  }
  const source = declared(ANNOTATION_OPAQUE_PORTS);
  for (const port of facts.annotations.opaquePorts ?? []) {
    add(port, source);
  }
  return out;
}

/** Ports and ranges of a `config.linkerd.io/opaque-ports` value (`3306,5000-5010`). */
function portsInList(value: string | undefined): number[] {
  if (!value) {
    return [];
  }
  const ports: number[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*$/.exec(part);
    if (!m) {
      continue;
    }
    const from = Number(m[1]);
    const to = Math.min(Number(m[2] ?? m[1]), from + 1000);
    for (let p = from; p <= to; p++) {
      ports.push(p);
    }
  }
  return ports;
}

/** The UIDs the workload's containers run as. */
export interface UidFacts {
  known: Array<Fact<number> & { container?: string }>;
  /** Observed containers that set no runAsUser (the image decides). */
  unset: Array<{ container: string; source: FactSource }>;
  observed: boolean;
}

export function uidFacts(facts: EntityFacts): UidFacts | undefined {
  const workloads = observedWorkloads(facts);
  if (workloads) {
    const result: UidFacts = { known: [], unset: [], observed: true };
    for (const w of workloads) {
      for (const c of w.containers) {
        if (c.nativeSidecar) {
          continue;
        }
        if (c.runAsUser === undefined) {
          result.unset.push({ container: c.name, source: c.source });
        } else {
          result.known.push({
            value: c.runAsUser,
            container: c.name,
            source: c.source,
          });
        }
      }
    }
    return result;
  }
  const uid = facts.annotations.runAsUid;
  return uid === undefined
    ? undefined
    : {
        known: [{ value: uid, source: declared(ANNOTATION_RUN_AS_UID) }],
        unset: [],
        observed: false,
      };
}

/** Probe kinds: each observed probe, plus `none` for app containers without any. */
export function probeFacts(
  facts: EntityFacts,
):
  | { probes: Array<Fact<ProbeKind> & { fact: string }>; observed: boolean }
  | undefined {
  const workloads = observedWorkloads(facts);
  if (workloads) {
    const probes: Array<Fact<ProbeKind> & { fact: string }> = [];
    for (const w of workloads) {
      for (const c of w.containers) {
        if (c.init) {
          continue;
        }
        const own = w.probes.filter(p => p.container === c.name);
        if (own.length === 0) {
          probes.push({
            value: 'none',
            fact: `probes of ${c.name}`,
            source: c.source,
          });
        }
        for (const p of own) {
          probes.push({
            value: p.kind,
            fact: `${p.slot} probe of ${p.container}`,
            source: p.source,
          });
        }
      }
    }
    return { probes, observed: true };
  }
  const kinds = facts.annotations.probes;
  if (!kinds) {
    return undefined;
  }
  const source = declared(ANNOTATION_PROBES);
  return {
    observed: false,
    probes: kinds.map(k => ({ value: k, fact: 'probes', source })),
  };
}

/** Replicas: the fewest any matched workload runs, or the declared figure. */
export function replicaFact(facts: EntityFacts): Fact<number> | undefined {
  const workloads = observedWorkloads(facts);
  if (workloads) {
    let best: Fact<number> | undefined;
    for (const w of workloads) {
      if (w.replicas && (!best || w.replicas.value < best.value)) {
        best = { value: w.replicas.value, source: w.replicas.source };
      }
    }
    if (best) {
      return best;
    }
  }
  const replicas = facts.annotations.replicas;
  return replicas === undefined
    ? undefined
    : { value: replicas, source: declared(ANNOTATION_REPLICAS) };
}

/**
 * Whether clients reach the workload through a headless Service; observed
 * only when some Service selects it.
 */
export function headlessFact(facts: EntityFacts): Fact<boolean> | undefined {
  const services = (observedWorkloads(facts) ?? []).flatMap(w => w.services);
  if (services.length > 0) {
    const headless = services.find(s => s.headless);
    return headless
      ? { value: true, source: headless.source }
      : { value: false, source: services[0].source };
  }
  const value = facts.annotations.headless;
  return value === undefined
    ? undefined
    : { value, source: declared(ANNOTATION_HEADLESS) };
}

/** A Job or CronJob among the matched workloads. */
export function observedBatch(
  facts: EntityFacts,
): ObservedWorkload | undefined {
  return observedWorkloads(facts)?.find(
    w => w.kind === 'Job' || w.kind === 'CronJob',
  );
}

const PSS_LABEL = 'pod-security.kubernetes.io/enforce';

/** The Pod Security Standard the namespace enforces: its label, else the annotation. */
export function podSecurityFact(
  facts: EntityFacts,
): Fact<PodSecurityLevel> | undefined {
  for (const w of observedWorkloads(facts) ?? []) {
    const level = w.namespaceLabels?.labels[PSS_LABEL];
    if (
      level === 'privileged' ||
      level === 'baseline' ||
      level === 'restricted'
    ) {
      return { value: level, source: w.namespaceLabels!.source };
    }
  }
  const level = facts.annotations.podSecurity;
  return level === undefined
    ? undefined
    : { value: level, source: declared(ANNOTATION_POD_SECURITY) };
}

/** One evidence line. */
export function evidence(
  fact: string,
  value: string | number | boolean,
  source: FactSource,
): FactEvidence {
  return { fact, value: String(value), source };
}
