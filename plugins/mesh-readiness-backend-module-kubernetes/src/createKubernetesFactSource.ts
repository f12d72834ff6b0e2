import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  ManifestObservation,
  ManifestProblem,
  ObservedCluster,
  ObservedMeshResource,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  observeWorkloads,
  workloadSelectorOf,
} from '@mesh-readiness/plugin-mesh-readiness-common/manifests';
import type { MeshReadinessFactSource } from '@mesh-readiness/plugin-mesh-readiness-node';
import {
  type ClusterObjects,
  meshProxiesOf,
  toManifestSet,
  workloadErrors,
  workloadKey,
} from './clusterObjects';
import type { KubernetesFactOptions } from './options';
import pLimit from 'p-limit';

/*
 * The running cluster as a source of observed facts: for each Component
 * that names its workloads the Kubernetes plugin's way, ask the Kubernetes
 * backend (its REST API, with a plugin-to-plugin token) for them, and match
 * them as manifests are matched. Bounded by a concurrency limit and a
 * per-request timeout; whatever goes wrong is a problem on that entity, and
 * the last observation, marked with its age, stands in while it is young
 * enough.
 */

const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';
const SOURCE = 'the Kubernetes backend';
/**
 * The mesh custom resources asked for per entity through the Kubernetes
 * backend's `/resources/custom/query`: routing, policy and identity
 * objects that say the mesh is already configured for a workload.
 */
const MESH_CUSTOM_RESOURCES: Readonly<
  Record<
    string,
    ReadonlyArray<{ group: string; apiVersion: string; plural: string }>
  >
> = {
  istio: [
    {
      group: 'networking.istio.io',
      apiVersion: 'v1',
      plural: 'virtualservices',
    },
    {
      group: 'networking.istio.io',
      apiVersion: 'v1',
      plural: 'destinationrules',
    },
    {
      group: 'security.istio.io',
      apiVersion: 'v1',
      plural: 'peerauthentications',
    },
    {
      group: 'security.istio.io',
      apiVersion: 'v1',
      plural: 'authorizationpolicies',
    },
  ],
  linkerd: [
    { group: 'policy.linkerd.io', apiVersion: 'v1beta3', plural: 'servers' },
    { group: 'linkerd.io', apiVersion: 'v1alpha2', plural: 'serviceprofiles' },
  ],
};

/** The API groups whose presence says a mesh is installed. */
const MESH_API_GROUPS: Readonly<Record<string, readonly string[]>> = {
  istio: ['networking.istio.io', 'security.istio.io'],
  linkerd: ['linkerd.io', 'policy.linkerd.io'],
  cilium: ['cilium.io'],
};

/** Lower-cased entity ref, the key observations are looked up by. */
function keyOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLowerCase();
}

/** Entities whose workloads the Kubernetes plugin would look up. */
export function namesWorkloads(entity: Entity): boolean {
  const annotations = entity.metadata?.annotations ?? {};
  return (
    entity.kind?.toLowerCase() === 'component' &&
    [KUBERNETES_ID, LABEL_SELECTOR].some(
      a => typeof annotations[a] === 'string' && annotations[a].trim() !== '',
    )
  );
}

function message(error: unknown): string {
  const e = error as Error;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return 'did not answer in time';
  }
  return e?.message ?? String(error);
}

/** Runs `work` on every item, `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const run = pLimit(limit);
  await Promise.all(items.map(item => run(() => work(item))));
}

export function createKubernetesFactSource(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  config: KubernetesFactOptions;
  now?: () => Date;
}): MeshReadinessFactSource {
  const { discovery, auth, logger, config } = options;
  const now = options.now ?? (() => new Date());
  /** The meshes installed per cluster, from the last read of the clusters. */
  const installed = new Map<string, string[]>();
  const allowed = (cluster: string) =>
    !config.clusters || config.clusters.includes(cluster);

  /** A call to the Kubernetes backend with a plugin-to-plugin token. */
  async function call(
    path: string,
    init: { method?: string; body?: unknown; cluster?: string } = {},
  ): Promise<any> {
    const baseUrl = await discovery.getBaseUrl('kubernetes');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'kubernetes',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : {}),
        ...(init.cluster
          ? { 'Backstage-Kubernetes-Cluster': init.cluster }
          : {}),
        Authorization: `Bearer ${token}`,
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let detail = text.slice(0, 200);
      try {
        detail = JSON.parse(text)?.error?.message ?? detail;
      } catch {
        // Not JSON: the text as it is.
      }
      throw new Error(
        `answered ${response.status}${detail ? ` (${detail})` : ''}`,
      );
    }
    return response.json();
  }

  /** Asks the Kubernetes backend for the entity's objects in every cluster. */
  async function query(entity: Entity): Promise<ClusterObjects[]> {
    const body = await call('/resources/workloads/query', {
      method: 'POST',
      body: { entityRef: stringifyEntityRef(entity), auth: {} },
    });
    const items: ClusterObjects[] = Array.isArray(body?.items)
      ? body.items
      : [];
    return items.filter(item => allowed(item?.cluster?.name ?? ''));
  }

  /**
   * The mesh custom resources labelled for the entity, in the clusters the
   * last cluster read found the mesh installed in. Best effort: a failure
   * here says nothing about the workloads, so it is only logged.
   */
  async function meshResourcesOf(
    entity: Entity,
  ): Promise<ObservedMeshResource[]> {
    const meshes = [...new Set([...installed.values()].flat())].filter(
      m => m in MESH_CUSTOM_RESOURCES,
    );
    if (meshes.length === 0) {
      return [];
    }
    const customResources = meshes.flatMap(m => MESH_CUSTOM_RESOURCES[m]);
    let body: any;
    try {
      body = await call('/resources/custom/query', {
        method: 'POST',
        body: {
          entityRef: stringifyEntityRef(entity),
          auth: {},
          customResources,
        },
      });
    } catch (error) {
      logger.debug(
        `Mesh resources of ${keyOf(entity)} could not be read: ${message(
          error,
        )}`,
      );
      return [];
    }
    const observedAt = now().toISOString();
    const out: ObservedMeshResource[] = [];
    for (const item of Array.isArray(body?.items) ? body.items : []) {
      const cluster = String(item?.cluster?.name ?? 'unnamed');
      if (!allowed(cluster)) {
        continue;
      }
      for (const group of Array.isArray(item?.resources)
        ? item.resources
        : []) {
        for (const r of Array.isArray(group?.resources)
          ? group.resources
          : []) {
          const name = r?.metadata?.name;
          const apiGroup = String(r?.apiVersion ?? '').split('/')[0];
          const mesh = meshes.find(m =>
            MESH_CUSTOM_RESOURCES[m].some(c => c.group === apiGroup),
          );
          if (typeof name !== 'string' || !mesh) {
            continue;
          }
          const namespace =
            typeof r.metadata.namespace === 'string'
              ? r.metadata.namespace
              : undefined;
          const kind = String(r.kind ?? 'resource');
          out.push({
            mesh,
            kind,
            name,
            ...(namespace ? { namespace } : {}),
            source: {
              kind: 'manifest',
              label: `${kind} ${
                namespace ? `${namespace}/` : ''
              }${name}, cluster ${cluster}`,
              cluster,
              observedAt,
            },
          });
        }
      }
    }
    return out;
  }

  /** One cluster's version, node count and mesh API groups, via the proxy. */
  async function describe(name: string): Promise<ObservedCluster> {
    const observedAt = now().toISOString();
    const problems: string[] = [];
    const read = async <T>(path: string, what: string) => {
      try {
        return (await call(`/proxy${path}`, { cluster: name })) as T;
      } catch (error) {
        const why = message(error);
        problems.push(
          `${what} could not be read through ${SOURCE}'s proxy (${path}): ${why}.${
            /\b403\b/.test(why)
              ? ' It needs the kubernetes.proxy permission for the mesh-readiness plugin.'
              : ''
          }`,
        );
        return undefined;
      }
    };
    const [version, nodes, apis] = await Promise.all([
      read<any>('/version', 'The Kubernetes version'),
      // One item and the count of the rest: the node list stays small.
      read<any>('/api/v1/nodes?limit=1', 'The node count'),
      read<any>('/apis', 'The API groups'),
    ]);
    const major = String(version?.major ?? '').replace(/\D+$/, '');
    const minor = String(version?.minor ?? '').replace(/\D+$/, '');
    const groups: string[] = Array.isArray(apis?.groups)
      ? apis.groups.map((g: any) => String(g?.name ?? ''))
      : [];
    const nodeItems = Array.isArray(nodes?.items) ? nodes.items.length : 0;
    const remaining = Number(nodes?.metadata?.remainingItemCount ?? 0);
    return {
      name,
      ...(major && minor ? { kubernetesVersion: `${major}.${minor}` } : {}),
      ...(nodes ? { nodes: nodeItems + (remaining > 0 ? remaining : 0) } : {}),
      meshes: Object.entries(MESH_API_GROUPS)
        .filter(([, mine]) => groups.some(g => mine.includes(g)))
        .map(([mesh]) => mesh),
      source: {
        kind: 'manifest',
        label: `cluster ${name}: /version, /api/v1/nodes, /apis`,
        cluster: name,
        observedAt,
      },
      problems,
    };
  }

  /** The entity's observation from one answer; problems per failing cluster. */
  function observe(
    entity: Entity,
    items: ClusterObjects[],
  ): ManifestObservation {
    const observedAt = now().toISOString();
    const { selector } = workloadSelectorOf(entity);
    const observation: ManifestObservation = {
      locations: [],
      files: 0,
      workloads: [],
      problems: [],
    };
    for (const item of items) {
      const cluster = item?.cluster?.name ?? 'unnamed';
      const location = `cluster ${cluster}`;
      observation.locations.push(location);
      const errors = workloadErrors(item);
      if (errors.length > 0) {
        // A partial read would mislead (no HPA: wrong replicas): the whole
        // cluster is unknown for this entity.
        const shown = errors
          .slice(0, 3)
          .map(
            e =>
              `${e.errorType}${e.statusCode ? ` ${e.statusCode}` : ''}${
                e.resourcePath ? ` on ${e.resourcePath}` : ''
              }${e.message ? `: ${e.message}` : ''}`,
          )
          .join('; ');
        observation.problems.push({
          file: location,
          message: `${location}: its workloads could not be read through ${SOURCE} (${shown}${
            errors.length > 3 ? '; …' : ''
          }); the facts it runs with are unknown. Check the cluster's service account may list pods, deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs, services and horizontalpodautoscalers.`,
        });
        continue;
      }
      const set = toManifestSet(item, observedAt);
      const seen = observeWorkloads(set, selector, [location]);
      const proxies = meshProxiesOf(item, observedAt);
      for (const workload of seen.workloads) {
        const proxy = proxies.get(
          workloadKey(workload.kind, workload.namespace, workload.name),
        );
        if (proxy) {
          workload.meshProxy = proxy;
        }
      }
      observation.workloads.push(...seen.workloads);
      observation.problems.push(...seen.problems);
    }
    return observation;
  }

  /**
   * When no cluster could be read: why, and the last facts while they are
   * young enough, marked stale with their age.
   */
  function unanswered(
    previous: ManifestObservation | undefined,
    problems: ManifestProblem[],
    locations: string[],
  ): ManifestObservation {
    const at = previous?.observedAt ? new Date(previous.observedAt) : undefined;
    const ageMs = at ? now().getTime() - at.getTime() : NaN;
    if (previous && at && ageMs <= config.maxAgeMinutes * 60_000) {
      const minutes = Math.round(ageMs / 60_000);
      const stale: ManifestProblem = {
        file: SOURCE,
        message: `The facts observed ${minutes} minute(s) ago (${at.toISOString()}) are used, stale, until the cluster answers (meshReadiness.kubernetes.maxAgeMinutes: ${
          config.maxAgeMinutes
        }).`,
      };
      return {
        locations: previous.locations,
        files: 0,
        workloads: previous.workloads,
        problems: [...problems, stale],
        observedAt: previous.observedAt,
        stale: true,
      };
    }
    const out = [...problems];
    if (at) {
      out.push({
        file: SOURCE,
        message: `The facts last observed at ${at.toISOString()} are older than meshReadiness.kubernetes.maxAgeMinutes (${
          config.maxAgeMinutes
        }) and are not used.`,
      });
    }
    return { locations, files: 0, workloads: [], problems: out };
  }

  return {
    id: 'kubernetes',
    async observe(entities, { previous }) {
      const out = new Map<string, ManifestObservation>();
      if (!config.enabled) {
        return out;
      }
      const wanted = entities.filter(namesWorkloads);
      await eachLimited(wanted, config.concurrency, async entity => {
        const key = keyOf(entity);
        try {
          const items = await query(entity);
          const observation = observe(entity, items);
          if (observation.workloads.length > 0) {
            observation.observedAt = now().toISOString();
            const resources = await meshResourcesOf(entity);
            if (resources.length > 0) {
              observation.meshResources = resources;
            }
          } else if (
            observation.problems.length > 0 &&
            observation.locations.length > 0 &&
            items.every(i => workloadErrors(i).length > 0)
          ) {
            // Every cluster failed: as if the backend had not answered.
            out.set(
              key,
              unanswered(
                previous.get(key),
                observation.problems,
                observation.locations,
              ),
            );
            return;
          }
          // No cluster holds its workloads: nothing observed, nothing said.
          if (observation.locations.length > 0) {
            out.set(key, observation);
          }
        } catch (error) {
          logger.debug(
            `Kubernetes facts of ${key} could not be read: ${message(error)}`,
          );
          out.set(
            key,
            unanswered(
              previous.get(key),
              [
                {
                  file: SOURCE,
                  message: `The running workloads could not be read through ${SOURCE}: ${message(
                    error,
                  )}.`,
                },
              ],
              [SOURCE],
            ),
          );
        }
      });
      return out;
    },

    async observeClusters() {
      if (!config.enabled) {
        return [];
      }
      let names: string[];
      try {
        const body = await call('/clusters');
        names = (Array.isArray(body?.items) ? body.items : [])
          .map((c: any) => String(c?.name ?? ''))
          .filter((n: string) => n !== '' && allowed(n));
      } catch (error) {
        logger.warn(
          `The clusters could not be listed through ${SOURCE}: ${message(
            error,
          )}`,
        );
        return [];
      }
      const run = pLimit(config.concurrency);
      const clusters = await Promise.all(
        names.map(name => run(() => describe(name))),
      );
      installed.clear();
      for (const c of clusters) {
        installed.set(c.name, c.meshes);
      }
      return clusters;
    },
  };
}
