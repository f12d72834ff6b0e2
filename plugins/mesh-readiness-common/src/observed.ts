/*
 * Observed facts: what a workload's Kubernetes manifests say about it, each
 * with the place it was read from. The parser and the matcher that produce
 * these are at `@mesh-readiness/plugin-mesh-readiness-common/manifests`;
 * the shapes live here because results carry them to every reader.
 */
import type { ProbeKind, Protocol } from './annotations';

/**
 * Where a fact came from: a manifest or a running cluster (observed), an
 * annotation (declared) or a Kubernetes default.
 * @public
 */
export interface FactSource {
  /** A fact read from a running cluster is `manifest` too, with `cluster` set. */
  kind: 'manifest' | 'annotation' | 'default';
  /**
   * For people: `Deployment checkout/order-service, deploy/order.yaml:41`,
   * `Deployment shop/checkout, cluster prod`,
   * `annotation mesh-readiness.io/ports`.
   */
  label: string;
  /** The manifest in its source repository, when it was read from a URL. */
  url?: string;
  /** The cluster the object was read from, when it was read from a running cluster. */
  cluster?: string;
  /** When the object was read from the cluster (ISO 8601). */
  observedAt?: string;
}

/** One fact a check result was decided on, with its source. @public */
export interface FactEvidence {
  /** What the fact is, e.g. `port 8080`, `runAsUser`, `readiness probe`. */
  fact: string;
  /** Its value, as shown, e.g. `http (from the port name)`, `1000`. */
  value: string;
  source: FactSource;
}

/** A manifest that could not be read, or a part of it that was skipped. @public */
export interface ManifestProblem {
  /** The file as shown (relative path or URL). */
  file: string;
  line?: number;
  message: string;
}

/** How a Service port's protocol was determined (Istio's order). @public */
export type ProtocolFrom =
  | 'appProtocol'
  | 'port name'
  | 'well-known port'
  | 'none';

/** A Service port that selects the workload. @public */
export interface ObservedServicePort {
  service: string;
  port: number;
  /** `targetPort` as written (number or container port name); defaults to `port`. */
  targetPort: number | string;
  /** The container port it resolves to; undefined when it matches none. */
  containerPort?: number;
  name?: string;
  appProtocol?: string;
  transport: 'TCP' | 'UDP' | 'SCTP';
  /** The protocol a mesh would use; undefined when Istio would have to sniff it. */
  protocol?: Protocol;
  protocolFrom: ProtocolFrom;
  source: FactSource;
}

/** A port a container declares. @public */
export interface ObservedContainerPort {
  container: string;
  port: number;
  name?: string;
  transport: 'TCP' | 'UDP' | 'SCTP';
  source: FactSource;
}

/** A liveness, readiness or startup probe. @public */
export interface ObservedProbe {
  container: string;
  slot: 'liveness' | 'readiness' | 'startup';
  kind: Exclude<ProbeKind, 'none'>;
  source: FactSource;
}

/** A container of the pod template. @public */
export interface ObservedContainer {
  name: string;
  image?: string;
  /** An init container. */
  init: boolean;
  /** An init container with `restartPolicy: Always` (a native sidecar). */
  nativeSidecar: boolean;
  /** Effective UID: the container's securityContext, else the pod's. */
  runAsUser?: number;
  runAsNonRoot?: boolean;
  /** The source of `runAsUser` when set, else the container itself. */
  source: FactSource;
}

/** A Service that selects the workload's pods. @public */
export interface ObservedService {
  name: string;
  /** `clusterIP: None`. */
  headless: boolean;
  type?: string;
  annotations: Record<string, string>;
  source: FactSource;
}

/** A workload matched to a catalog entity, as its manifests describe it. @public */
export interface ObservedWorkload {
  /** Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Job or CronJob. */
  kind: string;
  name: string;
  namespace?: string;
  source: FactSource;
  /** How the workload was matched: `backstage.io/kubernetes-id`, `label selector`, `name`. */
  matchedBy: string;
  replicas?: {
    value: number;
    /** `spec.replicas`, `HorizontalPodAutoscaler` (minReplicas) or `default` (1). */
    from: 'spec.replicas' | 'HorizontalPodAutoscaler' | 'default';
    max?: number;
    source: FactSource;
  };
  hostNetwork?: FactSource;
  /** False when the pod spec or its ServiceAccount turns token mounting off. */
  automountServiceAccountToken?: { value: boolean; source: FactSource };
  /** Pod template labels and annotations. */
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** Labels of the workload's Namespace object, when the manifests hold it. */
  namespaceLabels?: { labels: Record<string, string>; source: FactSource };
  containers: ObservedContainer[];
  containerPorts: ObservedContainerPort[];
  services: ObservedService[];
  servicePorts: ObservedServicePort[];
  probes: ObservedProbe[];
  /**
   * A mesh proxy already runs in the workload's pods (a running cluster
   * only: proxies are injected when a pod is created).
   */
  meshProxy?: { mesh: string; container: string; source: FactSource };
}

/** What an entity's manifests say, after matching. @public */
export interface ManifestObservation {
  /** The locations read, as written in the annotation or on the command line. */
  locations: string[];
  /** Files read. */
  files: number;
  /** The workloads matched to the entity (none: nothing observed). */
  workloads: ObservedWorkload[];
  problems: ManifestProblem[];
  /**
   * When the workloads were read from a running cluster (ISO 8601); absent
   * for manifests, which are read on every snapshot.
   */
  observedAt?: string;
  /**
   * The cluster did not answer: the workloads are the last ones observed,
   * at `observedAt`, used until they are too old.
   */
  stale?: boolean;
  /**
   * When a running cluster's workloads are scored: the workloads the linked
   * manifests describe, kept so that the three (declared, written, running)
   * can be compared.
   */
  written?: ObservedWorkload[];
  /**
   * Mesh custom resources the running cluster holds for the entity (those
   * carrying its label), e.g. a Linkerd `Server` or an Istio
   * `DestinationRule`: the mesh is already configured for it.
   */
  meshResources?: ObservedMeshResource[];
}

/** A mesh custom resource found for an entity in a running cluster. @public */
export interface ObservedMeshResource {
  /** `istio` or `linkerd`. */
  mesh: string;
  kind: string;
  name: string;
  namespace?: string;
  source: FactSource;
}

/**
 * What a running cluster says about itself, read by a fact source: it feeds
 * the organisation's version-window and cost checks in place of the cluster
 * Resource's annotations, and tells which meshes are already installed.
 * @public
 */
export interface ObservedCluster {
  /** The cluster's name as the Kubernetes plugin knows it. */
  name: string;
  /** `1.33` from the API server's `/version`. */
  kubernetesVersion?: string;
  /** Nodes the API server lists. */
  nodes?: number;
  /** Meshes whose API groups the cluster serves: `istio`, `linkerd`, `cilium`. */
  meshes: string[];
  /** Where and when it was read. */
  source: FactSource;
  /** What could not be read, e.g. the node list was forbidden. */
  problems: string[];
  /**
   * The cluster did not answer: the version and node count are the last
   * ones read, at `source.observedAt`.
   */
  stale?: boolean;
}
