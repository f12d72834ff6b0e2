import type { FactSource } from '@mesh-readiness/plugin-mesh-readiness-common';
import type {
  ManifestObject,
  ManifestSet,
} from '@mesh-readiness/plugin-mesh-readiness-common/manifests';

/*
 * What the Kubernetes backend answers for an entity, turned into the shapes
 * the manifest matcher reads: a running object is the same shape as a
 * manifest, without a file. Its facts' sources name the cluster and the
 * time the object was read instead of a file and line.
 */

/** The Kubernetes backend's object types that the checks read, by kind. */
export const KIND_BY_OBJECT_TYPE: Readonly<Record<string, string>> = {
  pods: 'Pod',
  services: 'Service',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
};

/** The part of `ObjectsByEntityResponse` (plugin-kubernetes-common) read here. */
export interface ClusterObjects {
  cluster: { name: string; title?: string };
  resources?: Array<{ type: string; resources?: unknown[] }>;
  errors?: Array<{
    errorType: string;
    statusCode?: number;
    resourcePath?: string;
    message?: string;
  }>;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The cluster's errors that leave the workload facts incomplete: those on
 * the object types read here (not metrics, ingresses or config maps).
 */
export function workloadErrors(
  objects: ClusterObjects,
): NonNullable<ClusterObjects['errors']> {
  return (objects.errors ?? []).filter(e => {
    if (!e.resourcePath) {
      // A fetch error of the whole cluster (connection refused, DNS).
      return true;
    }
    const path = e.resourcePath.split('?')[0];
    if (path.includes('/metrics.k8s.io/')) {
      // Pod metrics (no metrics-server): not a fact the checks read.
      return false;
    }
    return (path.split('/').pop() ?? '') in KIND_BY_OBJECT_TYPE;
  });
}

/**
 * The cluster's objects as a manifest set. A Pod owned by a ReplicaSet the
 * answer holds, a ReplicaSet owned by its Deployment and a Job owned by its
 * CronJob are left out: the controller describes them (its template is what
 * the pods run, and the autoscaler targets it), so each workload is matched
 * once. A Pod or ReplicaSet whose controller carries no matching label stays
 * and describes itself.
 */
export function toManifestSet(
  objects: ClusterObjects,
  observedAt: string,
): ManifestSet {
  const cluster = objects.cluster.name;
  const all: Array<{ kind: string; body: Record<string, any> }> = [];
  for (const group of objects.resources ?? []) {
    const kind = KIND_BY_OBJECT_TYPE[group.type];
    if (!kind) {
      continue;
    }
    for (const body of group.resources ?? []) {
      if (isObject(body) && isObject(body.metadata)) {
        all.push({ kind, body });
      }
    }
  }
  const uids = new Set(
    all.map(o => o.body.metadata.uid).filter(u => typeof u === 'string'),
  );
  const out: ManifestObject[] = [];
  for (const { kind, body } of all) {
    const owners: unknown[] = Array.isArray(body.metadata.ownerReferences)
      ? body.metadata.ownerReferences
      : [];
    if (owners.some(r => isObject(r) && uids.has(r.uid))) {
      continue;
    }
    const name = String(body.metadata.name ?? '');
    const namespace =
      typeof body.metadata.namespace === 'string'
        ? body.metadata.namespace
        : undefined;
    out.push({
      apiVersion: typeof body.apiVersion === 'string' ? body.apiVersion : '',
      kind,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      file: `cluster ${cluster}`,
      line: 1,
      body: { ...body, kind },
      cluster,
      observedAt,
      lineOf: () => 1,
    });
  }
  return { objects: out, problems: [], files: 0 };
}

/** The containers a mesh injects into a pod, by name. */
const PROXY_CONTAINERS: Readonly<Record<string, string>> = {
  'istio-proxy': 'istio',
  'linkerd-proxy': 'linkerd',
};

/** `Kind namespace/name`: how a workload is found again after matching. */
export function workloadKey(
  kind: string,
  namespace: string | undefined,
  name: string,
): string {
  return `${kind} ${namespace ?? ''}/${name}`;
}

/**
 * The workloads whose running pods already carry a mesh proxy (a sidecar
 * container, a native sidecar among the init containers, or Istio
 * ambient's redirection annotation), keyed by the controller that
 * describes them (`workloadKey`), as `toManifestSet` keeps it.
 */
export function meshProxiesOf(
  objects: ClusterObjects,
  observedAt: string,
): Map<string, { mesh: string; container: string; source: FactSource }> {
  const cluster = objects.cluster.name;
  const byUid = new Map<string, { kind: string; body: Record<string, any> }>();
  const pods: Array<Record<string, any>> = [];
  for (const group of objects.resources ?? []) {
    const kind = KIND_BY_OBJECT_TYPE[group.type];
    for (const body of group.resources ?? []) {
      if (!kind || !isObject(body) || !isObject(body.metadata)) {
        continue;
      }
      if (typeof body.metadata.uid === 'string') {
        byUid.set(body.metadata.uid, { kind, body });
      }
      if (kind === 'Pod') {
        pods.push(body);
      }
    }
  }
  const out = new Map<
    string,
    { mesh: string; container: string; source: FactSource }
  >();
  for (const pod of pods) {
    const spec = isObject(pod.spec) ? pod.spec : {};
    const containers = [
      ...(Array.isArray(spec.containers) ? spec.containers : []),
      ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
    ];
    const proxy = containers.find(
      c =>
        isObject(c) && typeof c.name === 'string' && c.name in PROXY_CONTAINERS,
    );
    const ambient =
      pod.metadata.annotations?.['ambient.istio.io/redirection'] === 'enabled';
    if (!proxy && !ambient) {
      continue;
    }
    // Up the owners to the object toManifestSet keeps.
    let top: { kind: string; body: Record<string, any> } = {
      kind: 'Pod',
      body: pod,
    };
    for (let depth = 0; depth < 4; depth++) {
      const owners: unknown[] = Array.isArray(top.body.metadata.ownerReferences)
        ? top.body.metadata.ownerReferences
        : [];
      const owner = owners
        .map(r => (isObject(r) ? byUid.get(r.uid) : undefined))
        .find(Boolean);
      if (!owner) {
        break;
      }
      top = owner;
    }
    const podName = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    out.set(
      workloadKey(
        top.kind,
        top.body.metadata.namespace,
        top.body.metadata.name,
      ),
      {
        mesh: proxy ? PROXY_CONTAINERS[proxy.name] : 'istio-ambient',
        container: proxy
          ? proxy.name
          : 'ztunnel (ambient.istio.io/redirection)',
        source: {
          kind: 'manifest',
          label: `Pod ${podName}, cluster ${cluster}`,
          cluster,
          observedAt,
        },
      },
    );
  }
  return out;
}
