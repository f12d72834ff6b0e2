/*
 * Matching workloads to a catalog entity and describing them: what their
 * pod templates, Services, autoscalers, ServiceAccounts and Namespaces say,
 * each fact with the file and line it was read at.
 *
 * One set of manifests is matched against every entity of a catalog, so the
 * set is indexed once (by name, by label, Services by selector) and every
 * match is a few map look-ups rather than a scan of all objects.
 */
import type {
  FactSource,
  ManifestObservation,
  ManifestProblem,
  ObservedContainer,
  ObservedContainerPort,
  ObservedProbe,
  ObservedService,
  ObservedServicePort,
  ObservedWorkload,
} from '../observed';
import {
  Data,
  dataOf,
  intOf,
  isData,
  listOf,
  stringMapOf,
  stringOf,
  transportOf,
} from './data';
import { servicePortProtocol } from './protocol';
import type { ManifestObject, ManifestSet, WorkloadSelector } from './types';

type Path = Array<string | number>;

/** Most workloads described per entity; a selector matching more is likely too broad. */
const MAX_WORKLOADS = 20;

const KUBERNETES_ID = 'backstage.io/kubernetes-id';

/** Where each workload kind keeps its pod template (a Pod is its own). */
const POD_TEMPLATE_PATHS: ReadonlyMap<string, Path> = new Map<string, Path>([
  ['Deployment', ['spec', 'template']],
  ['StatefulSet', ['spec', 'template']],
  ['DaemonSet', ['spec', 'template']],
  ['ReplicaSet', ['spec', 'template']],
  ['Job', ['spec', 'template']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
  ['Pod', []],
]);

/** Kinds with `spec.replicas`; the others run one pod per node or per run. */
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

const PROBE_SLOTS = [
  ['livenessProbe', 'liveness'],
  ['readinessProbe', 'readiness'],
  ['startupProbe', 'startup'],
] as const;

const PROBE_HANDLERS = [
  ['httpGet', 'http'],
  ['tcpSocket', 'tcp'],
  ['grpc', 'grpc'],
  ['exec', 'exec'],
] as const;

/** A workload with its pod template, read once per set. */
interface Workload {
  object: ManifestObject;
  templatePath: Path;
  metadataLabels: Record<string, string>;
  podLabels: Record<string, string>;
}

interface SetIndex {
  byName: Map<string, Workload[]>;
  /** label key → value → workloads carrying it on the object or its pod template. */
  byLabel: Map<string, Map<string, Workload[]>>;
  /**
   * Services by `namespace`, key and value of their first selector term: a
   * workload finds its Services by looking up each of its pod labels, then
   * checks the rest of each selector.
   */
  servicesByTerm: Map<string, ManifestObject[]>;
  serviceOrder: Map<ManifestObject, number>;
  autoscalers: Map<string, ManifestObject>;
  serviceAccounts: Map<string, ManifestObject>;
  namespaces: Map<string, ManifestObject>;
  /** Objects defined again after their first definition, by the first's identity. */
  duplicates: Map<string, ManifestObject[]>;
}

const INDEXES = new WeakMap<ManifestSet, SetIndex>();

/** Namespaces compare with a missing one equal to another missing one. */
function key(...parts: Array<string | undefined>): string {
  return parts.map(p => p ?? '').join('\u0000');
}

function identity(o: ManifestObject): string {
  return key(o.kind, o.namespace, o.name);
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) {
    list.push(v);
  } else {
    map.set(k, [v]);
  }
}

/** The set's index, built on first use; the set is not expected to change after. */
function indexOf(set: ManifestSet): SetIndex {
  const cached = INDEXES.get(set);
  if (cached) {
    return cached;
  }
  const index: SetIndex = {
    byName: new Map(),
    byLabel: new Map(),
    servicesByTerm: new Map(),
    serviceOrder: new Map(),
    autoscalers: new Map(),
    serviceAccounts: new Map(),
    namespaces: new Map(),
    duplicates: new Map(),
  };
  // The same object linked twice (a per-service file and the all-in-one
  // release file) would be matched twice and its Service ports counted
  // twice: the first definition is read, the others are reported.
  const first = new Set<string>();
  listOf(set?.objects).forEach((o, order) => {
    if (!isManifestObject(o)) {
      return;
    }
    const id = identity(o);
    if (first.has(id)) {
      push(index.duplicates, id, o);
      return;
    }
    first.add(id);
    const templatePath = POD_TEMPLATE_PATHS.get(o.kind);
    if (templatePath) {
      indexWorkload(index, o, templatePath);
    } else if (o.kind === 'Service') {
      const selector = stringMapOf(dataOf(o.body.spec).selector);
      const [term] = Object.entries(selector);
      // No selector: endpoints are managed by hand, no pod is selected.
      if (term) {
        push(index.servicesByTerm, key(o.namespace, term[0], term[1]), o);
        index.serviceOrder.set(o, order);
      }
    } else if (o.kind === 'HorizontalPodAutoscaler') {
      const target = dataOf(dataOf(o.body.spec).scaleTargetRef);
      const kind = stringOf(target.kind);
      const name = stringOf(target.name);
      if (kind && name) {
        index.autoscalers.set(key(o.namespace, kind, name), o);
      }
    } else if (o.kind === 'ServiceAccount') {
      index.serviceAccounts.set(key(o.namespace, o.name), o);
    } else if (o.kind === 'Namespace') {
      index.namespaces.set(o.name, o);
    }
  });
  INDEXES.set(set, index);
  return index;
}

/** Sets are built by parseManifests; one built by hand may hold anything. */
function isManifestObject(value: unknown): value is ManifestObject {
  return (
    isData(value) &&
    typeof value.kind === 'string' &&
    typeof value.name === 'string' &&
    typeof value.file === 'string' &&
    typeof value.lineOf === 'function' &&
    isData(value.body)
  );
}

function indexWorkload(
  index: SetIndex,
  object: ManifestObject,
  templatePath: Path,
): void {
  const template = dataAt(object.body, templatePath);
  const workload: Workload = {
    object,
    templatePath,
    metadataLabels: stringMapOf(dataOf(object.body.metadata).labels),
    podLabels: stringMapOf(dataOf(template.metadata).labels),
  };
  push(index.byName, object.name, workload);
  const labels = { ...workload.metadataLabels, ...workload.podLabels };
  for (const k of Object.keys(labels)) {
    // The same key may carry different values on the object and its pods.
    const values = new Set([workload.metadataLabels[k], workload.podLabels[k]]);
    for (const v of values) {
      if (v !== undefined) {
        let byValue = index.byLabel.get(k);
        if (!byValue) {
          byValue = new Map();
          index.byLabel.set(k, byValue);
        }
        push(byValue, v, workload);
      }
    }
  }
}

function dataAt(value: unknown, path: Path): Data {
  let node: unknown = value;
  for (const segment of path) {
    node = isData(node) ? node[segment as string] : undefined;
  }
  return dataOf(node);
}

function hasAll(
  labels: Record<string, string>,
  terms: Array<[string, string]>,
) {
  return terms.every(
    ([k, v]) =>
      Object.prototype.hasOwnProperty.call(labels, k) && labels[k] === v,
  );
}

/**
 * The entity's workloads, in file order (every list of the index is built
 * in set order), as the Backstage Kubernetes plugin finds them:
 * its label selector when set (the plugin gives it precedence over the
 * id), else the `backstage.io/kubernetes-id` label; and, since manifests
 * in a repository seldom carry that label, the entity's name when neither
 * annotation is set. Labels match on the object or on its pod template,
 * as the plugin's query matches the Deployment and its Pods.
 */
function match(
  index: SetIndex,
  selector: WorkloadSelector,
): { workloads: Workload[]; matchedBy: string } {
  const terms = Object.entries(selector?.labelSelector ?? {}).filter(
    (t): t is [string, string] => typeof t[1] === 'string',
  );
  if (terms.length > 0) {
    // Start from the rarest term, then check the others.
    let candidates: Workload[] | undefined;
    for (const [k, v] of terms) {
      const list = index.byLabel.get(k)?.get(v) ?? [];
      if (!candidates || list.length < candidates.length) {
        candidates = list;
      }
    }
    const workloads = (candidates ?? []).filter(
      w => hasAll(w.metadataLabels, terms) || hasAll(w.podLabels, terms),
    );
    return { workloads, matchedBy: 'label selector' };
  }
  const id = selector?.kubernetesId;
  if (typeof id === 'string' && id !== '') {
    const workloads = index.byLabel.get(KUBERNETES_ID)?.get(id) ?? [];
    return { workloads, matchedBy: KUBERNETES_ID };
  }
  const name = String(selector?.name ?? '');
  return { workloads: index.byName.get(name) ?? [], matchedBy: 'name' };
}

/**
 * What the manifests say about the entity's workloads.
 * @public
 */
export function observeWorkloads(
  set: ManifestSet,
  selector: WorkloadSelector,
  locations: string[],
): ManifestObservation {
  const index = indexOf(set);
  const { workloads: matched, matchedBy } = match(index, selector);
  const kept = matched.slice(0, MAX_WORKLOADS);
  // Problems of every file: one that does not parse may be the one that
  // held the entity's workload, and the set is usually the entity's own.
  const problems: ManifestProblem[] = [
    ...listOf(set?.problems),
  ] as ManifestProblem[];

  for (const { object } of kept) {
    for (const again of index.duplicates.get(identity(object)) ?? []) {
      const copy = `${again.file}:${again.line}`;
      const original = `${object.file}:${object.line}`;
      problems.push({
        file: again.file,
        line: again.line,
        message: `${describe(
          again,
        )} is defined again at ${copy}; only the first definition, ${original}, is read. Link each object once.`,
      });
    }
  }
  if (matched.length > kept.length) {
    const next = matched[kept.length].object;
    const more = matched.length - kept.length;
    problems.push({
      file: next.file,
      line: next.line,
      message: `${more} more workloads matched (by ${matchedBy}), from ${describe(
        next,
      )} at ${next.file}:${
        next.line
      } on; only the first ${MAX_WORKLOADS} are read. Narrow the entity's selector to its own workloads.`,
    });
  }
  return {
    locations: [...listOf(locations)] as string[],
    files: typeof set?.files === 'number' ? set.files : 0,
    workloads: kept.map(w => observeWorkload(index, w, matchedBy)),
    problems,
  };
}

/** `Deployment checkout/order-service`, or `Deployment order-service` without a namespace. */
function describe(o: ManifestObject): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** The source of the node at `path` of `o`: `Deployment ns/name, file:line`. */
function sourceAt(o: ManifestObject, path: Path): FactSource {
  if (typeof o.cluster === 'string') {
    // A running object has no file: the cluster and when it was seen.
    const source: FactSource = {
      kind: 'manifest',
      label: `${describe(o)}, cluster ${o.cluster}`,
      cluster: o.cluster,
    };
    if (typeof o.observedAt === 'string') {
      source.observedAt = o.observedAt;
    }
    return source;
  }
  const line = o.lineOf(path);
  const source: FactSource = {
    kind: 'manifest',
    label: `${describe(o)}, ${o.file}:${line}`,
  };
  if (o.url) {
    source.url = `${o.url.replace(/#.*$/, '')}#L${line}`;
  }
  return source;
}

/** A container of the pod spec, with where it sits. */
interface ContainerAt {
  body: Data;
  path: Path;
  name: string;
  init: boolean;
  nativeSidecar: boolean;
}

function containersOf(spec: Data, specPath: Path): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const field of ['containers', 'initContainers'] as const) {
    listOf(spec[field]).forEach((body, i) => {
      if (!isData(body)) {
        return;
      }
      const init = field === 'initContainers';
      out.push({
        body,
        path: [...specPath, field, i],
        name: stringOf(body.name) ?? `${field}[${i}]`,
        init,
        nativeSidecar: init && body.restartPolicy === 'Always',
      });
    });
  }
  return out;
}

function observeWorkload(
  index: SetIndex,
  workload: Workload,
  matchedBy: string,
): ObservedWorkload {
  const o = workload.object;
  const template = dataAt(o.body, workload.templatePath);
  const specPath = [...workload.templatePath, 'spec'];
  const spec = dataOf(template.spec);
  const at = (path: Path) => sourceAt(o, path);

  const containers = containersOf(spec, specPath);
  // Ports and probes of plain init containers mean nothing once they have
  // exited; native sidecars keep running and serve like app containers.
  const running = containers.filter(c => !c.init || c.nativeSidecar);
  const containerPorts = running.flatMap(c => containerPortsOf(o, c));

  const observed: ObservedWorkload = {
    kind: o.kind,
    name: o.name,
    source: at([]),
    matchedBy,
    podLabels: workload.podLabels,
    podAnnotations: stringMapOf(dataOf(template.metadata).annotations),
    containers: containers.map(c => observeContainer(o, c, spec, specPath)),
    containerPorts,
    services: [],
    servicePorts: [],
    probes: running.flatMap(c => probesOf(o, c)),
  };
  if (o.namespace !== undefined) {
    observed.namespace = o.namespace;
  }
  const replicas = replicasOf(index, o);
  if (replicas) {
    observed.replicas = replicas;
  }
  if (spec.hostNetwork === true) {
    observed.hostNetwork = at([...specPath, 'hostNetwork']);
  }
  const automount = automountOf(index, o, spec, specPath);
  if (automount) {
    observed.automountServiceAccountToken = automount;
  }
  const namespace = o.namespace ? index.namespaces.get(o.namespace) : undefined;
  if (namespace) {
    const labels = dataOf(namespace.body.metadata).labels;
    observed.namespaceLabels = {
      labels: stringMapOf(labels),
      source: sourceAt(
        namespace,
        labels === undefined ? [] : ['metadata', 'labels'],
      ),
    };
  }
  for (const service of servicesOf(index, o.namespace, workload.podLabels)) {
    observed.services.push(observeService(service));
    observed.servicePorts.push(...servicePortsOf(service, containerPorts));
  }
  return observed;
}

function observeContainer(
  o: ManifestObject,
  c: ContainerAt,
  spec: Data,
  specPath: Path,
): ObservedContainer {
  const own = dataOf(c.body.securityContext);
  const pod = dataOf(spec.securityContext);
  // The container's securityContext overrides the pod's, field by field.
  const ownUser = intOf(own.runAsUser, 0);
  const podUser = intOf(pod.runAsUser, 0);
  const runAsUser = ownUser ?? podUser;
  const runAsNonRoot =
    booleanOf(own.runAsNonRoot) ?? booleanOf(pod.runAsNonRoot);
  let sourcePath: Path = c.path;
  if (ownUser !== undefined) {
    sourcePath = [...c.path, 'securityContext', 'runAsUser'];
  } else if (podUser !== undefined) {
    sourcePath = [...specPath, 'securityContext', 'runAsUser'];
  }
  const container: ObservedContainer = {
    name: c.name,
    init: c.init,
    nativeSidecar: c.nativeSidecar,
    source: sourceAt(o, sourcePath),
  };
  const image = stringOf(c.body.image);
  if (image !== undefined) {
    container.image = image;
  }
  if (runAsUser !== undefined) {
    container.runAsUser = runAsUser;
  }
  if (runAsNonRoot !== undefined) {
    container.runAsNonRoot = runAsNonRoot;
  }
  return container;
}

function booleanOf(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function containerPortsOf(
  o: ManifestObject,
  c: ContainerAt,
): ObservedContainerPort[] {
  const ports: ObservedContainerPort[] = [];
  listOf(c.body.ports).forEach((p, i) => {
    const port = isData(p) ? intOf(p.containerPort, 1, 65535) : undefined;
    if (!isData(p) || port === undefined) {
      return;
    }
    const observed: ObservedContainerPort = {
      container: c.name,
      port,
      transport: transportOf(p.protocol),
      source: sourceAt(o, [...c.path, 'ports', i]),
    };
    const name = stringOf(p.name);
    if (name !== undefined) {
      observed.name = name;
    }
    ports.push(observed);
  });
  return ports;
}

function probesOf(o: ManifestObject, c: ContainerAt): ObservedProbe[] {
  const probes: ObservedProbe[] = [];
  for (const [field, slot] of PROBE_SLOTS) {
    const probe = c.body[field];
    if (!isData(probe)) {
      continue;
    }
    const handler = PROBE_HANDLERS.find(([h]) => isData(probe[h]));
    if (handler) {
      probes.push({
        container: c.name,
        slot,
        kind: handler[1],
        source: sourceAt(o, [...c.path, field]),
      });
    }
  }
  return probes;
}

/**
 * The replicas the workload runs: an autoscaler's minimum when one targets
 * it (the autoscaler owns `spec.replicas` from then on, so the minimum is
 * what the cluster keeps), else `spec.replicas`, else Kubernetes' default
 * of 1. None for DaemonSets, Jobs, CronJobs and bare Pods.
 */
function replicasOf(
  index: SetIndex,
  o: ManifestObject,
): ObservedWorkload['replicas'] {
  if (!SCALABLE.has(o.kind)) {
    return undefined;
  }
  const hpa = index.autoscalers.get(key(o.namespace, o.kind, o.name));
  if (hpa) {
    const spec = dataOf(hpa.body.spec);
    const min = intOf(spec.minReplicas, 0);
    const max = intOf(spec.maxReplicas, 1);
    return {
      value: min ?? 1,
      from: 'HorizontalPodAutoscaler',
      ...(max !== undefined ? { max } : {}),
      source: sourceAt(hpa, min !== undefined ? ['spec', 'minReplicas'] : []),
    };
  }
  const replicas = intOf(dataOf(o.body.spec).replicas, 0);
  if (replicas !== undefined) {
    return {
      value: replicas,
      from: 'spec.replicas',
      source: sourceAt(o, ['spec', 'replicas']),
    };
  }
  return {
    value: 1,
    from: 'default',
    source: {
      kind: 'default',
      label: `Kubernetes default of spec.replicas (${describe(o)})`,
    },
  };
}

/** The pod's setting, else that of its ServiceAccount when the manifests hold it. */
function automountOf(
  index: SetIndex,
  o: ManifestObject,
  spec: Data,
  specPath: Path,
): ObservedWorkload['automountServiceAccountToken'] {
  if (typeof spec.automountServiceAccountToken === 'boolean') {
    return {
      value: spec.automountServiceAccountToken,
      source: sourceAt(o, [...specPath, 'automountServiceAccountToken']),
    };
  }
  // `serviceAccount` is the deprecated alias Kubernetes still honours.
  const name =
    stringOf(spec.serviceAccountName) ??
    stringOf(spec.serviceAccount) ??
    'default';
  const account = index.serviceAccounts.get(key(o.namespace, name));
  if (
    account &&
    typeof account.body.automountServiceAccountToken === 'boolean'
  ) {
    return {
      value: account.body.automountServiceAccountToken,
      source: sourceAt(account, ['automountServiceAccountToken']),
    };
  }
  return undefined;
}

/** Services of the namespace whose whole selector the pod labels satisfy, in file order. */
function servicesOf(
  index: SetIndex,
  namespace: string | undefined,
  podLabels: Record<string, string>,
): ManifestObject[] {
  const found: ManifestObject[] = [];
  for (const [k, v] of Object.entries(podLabels)) {
    for (const service of index.servicesByTerm.get(key(namespace, k, v)) ??
      []) {
      const selector = Object.entries(
        stringMapOf(dataOf(service.body.spec).selector),
      );
      if (hasAll(podLabels, selector)) {
        found.push(service);
      }
    }
  }
  return found.sort(
    (a, b) =>
      (index.serviceOrder.get(a) ?? 0) - (index.serviceOrder.get(b) ?? 0),
  );
}

function observeService(service: ManifestObject): ObservedService {
  const spec = dataOf(service.body.spec);
  const observed: ObservedService = {
    name: service.name,
    headless: spec.clusterIP === 'None',
    annotations: stringMapOf(dataOf(service.body.metadata).annotations),
    source: sourceAt(service, []),
  };
  const type = stringOf(spec.type);
  if (type !== undefined) {
    observed.type = type;
  }
  return observed;
}

/**
 * The Service's ports, each resolved to the container port it reaches. A
 * named targetPort resolves through the container ports of that name (and
 * transport, as the endpoints controller does). A numeric one is taken as
 * is by Kubernetes, but reaching no declared port is Kiali's KIA0701; when
 * the pod declares no ports at all there is nothing to compare with, and
 * the number is the port (declaring ports is optional).
 */
function servicePortsOf(
  service: ManifestObject,
  containerPorts: ObservedContainerPort[],
): ObservedServicePort[] {
  const ports: ObservedServicePort[] = [];
  listOf(dataOf(service.body.spec).ports).forEach((p, i) => {
    const port = isData(p) ? intOf(p.port, 1, 65535) : undefined;
    if (!isData(p) || port === undefined) {
      return;
    }
    const transport = transportOf(p.protocol);
    const targetPort: number | string =
      intOf(p.targetPort, 1, 65535) ?? stringOf(p.targetPort) ?? port;
    let containerPort: number | undefined;
    if (typeof targetPort === 'string') {
      containerPort = containerPorts.find(
        c => c.name === targetPort && c.transport === transport,
      )?.port;
    } else if (
      containerPorts.length === 0 ||
      containerPorts.some(c => c.port === targetPort)
    ) {
      containerPort = targetPort;
    }
    const name = stringOf(p.name);
    const appProtocol = stringOf(p.appProtocol);
    const observed: ObservedServicePort = {
      service: service.name,
      port,
      targetPort,
      transport,
      ...servicePortProtocol({ name, appProtocol, port, containerPort }),
      source: sourceAt(service, ['spec', 'ports', i]),
    };
    if (containerPort !== undefined) {
      observed.containerPort = containerPort;
    }
    if (name !== undefined) {
      observed.name = name;
    }
    if (appProtocol !== undefined) {
      observed.appProtocol = appProtocol;
    }
    ports.push(observed);
  });
  return ports;
}
