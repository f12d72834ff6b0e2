/*
 * The annotation keys of the contract (docs/annotations.md). Kept apart
 * from the parser so that checks can name the keys they read without
 * importing it.
 */
/** @public */
export const ANNOTATION_PREFIX = 'mesh-readiness.io/';
/** Component annotations. @public */
export const ANNOTATION_PORTS = 'mesh-readiness.io/ports';
/** @public */
export const ANNOTATION_OPAQUE_PORTS = 'mesh-readiness.io/opaque-ports';
/** @public */
export const ANNOTATION_TRACING = 'mesh-readiness.io/tracing';
/** @public */
export const ANNOTATION_COMPLIANCE = 'mesh-readiness.io/compliance';
/** @public */
export const ANNOTATION_MTLS_REQUIREMENT = 'mesh-readiness.io/mtls-requirement';
/** @public */
export const ANNOTATION_NEEDS = 'mesh-readiness.io/needs';
/** @public */
export const ANNOTATION_REPLICAS = 'mesh-readiness.io/replicas';
/** @public */
export const ANNOTATION_PEAK_RPS = 'mesh-readiness.io/peak-rps';
/** @public */
export const ANNOTATION_RUN_AS_UID = 'mesh-readiness.io/run-as-uid';
/** @public */
export const ANNOTATION_PROBES = 'mesh-readiness.io/probes';
/** @public */
export const ANNOTATION_POD_SECURITY = 'mesh-readiness.io/pod-security';
/** @public */
export const ANNOTATION_BIND_ADDRESS = 'mesh-readiness.io/bind-address';
/** @public */
export const ANNOTATION_HEADLESS = 'mesh-readiness.io/headless';
/** @public */
export const ANNOTATION_TIMEOUTS = 'mesh-readiness.io/timeouts';
/** @public */
export const ANNOTATION_RETRIES = 'mesh-readiness.io/retries';
/** @public */
export const ANNOTATION_NO_RETRY_ROUTES = 'mesh-readiness.io/no-retry-routes';
/** Prefix of waiver keys: `mesh-readiness.io/waive.<check-id>`. @public */
export const ANNOTATION_WAIVE_PREFIX = 'mesh-readiness.io/waive.';
/**
 * Extension of contract v1: the workload's Kubernetes manifests (paths or
 * URLs, relative to the entity's catalog file). @public
 */
export const ANNOTATION_MANIFESTS = 'mesh-readiness.io/manifests';
/** @public */
export const ANNOTATION_EXCLUDE = 'mesh-readiness.io/exclude';
/** Group annotations. @public */
export const ANNOTATION_PLATFORM_TEAM = 'mesh-readiness.io/platform-team';
/** @public */
export const ANNOTATION_MESH_ENGINEERS = 'mesh-readiness.io/mesh-engineers';
/** Extension of contract v1: how the mesh CA is run (platform Group). @public */
export const ANNOTATION_CA = 'mesh-readiness.io/ca';
/** Extension of contract v1: mesh config linter in CI (platform Group). @public */
export const ANNOTATION_CONFIG_LINT = 'mesh-readiness.io/config-lint';
/** Resource (kubernetes-cluster) annotations. @public */
export const ANNOTATION_CNI = 'mesh-readiness.io/cni';
/** @public */
export const ANNOTATION_KERNEL_VERSION = 'mesh-readiness.io/kernel-version';
/** @public */
export const ANNOTATION_KUBERNETES_VERSION =
  'mesh-readiness.io/kubernetes-version';
/** @public */
export const ANNOTATION_NODES = 'mesh-readiness.io/nodes';
/** Extension of contract v1: allocatable vCPU of the cluster. @public */
export const ANNOTATION_CAPACITY_VCPU = 'mesh-readiness.io/capacity-vcpu';
/** Extension of contract v1: allocatable memory of the cluster, GiB. @public */
export const ANNOTATION_CAPACITY_MEMORY_GIB =
  'mesh-readiness.io/capacity-memory-gib';
