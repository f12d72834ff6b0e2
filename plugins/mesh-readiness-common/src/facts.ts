/*
 * Scope rules and the organisation-wide facts that gates, the
 * recommendation and the cost estimate are computed from. The facts are a
 * plain summary of a set of in-scope workloads, so the org view can be
 * recomputed for any subset (e.g. only the rows a user may see).
 */
import type { Entity } from '@backstage/catalog-model';
import { MESH_ONLY_NEEDS, MeshNeed, ParsedAnnotations } from './annotations';
import { hasUnopaqueServerFirstPort, isBatchWorkload } from './checks/entity';
import type { ResolvedMeshReadinessConfig } from './config';
import {
  CatalogContext,
  ClusterInfo,
  GroupInfo,
  refKey,
  resolveRef,
} from './context';
import { keepShape } from './util';

/** Whether an entity is a workload the model scores. @public */
export interface EntityScope {
  inScope: boolean;
  reason?: string;
}

const IN_SCOPE: EntityScope = Object.freeze({ inScope: true });

/** @internal */
export function scopeOf(
  entity: Entity,
  values: ParsedAnnotations,
  config: ResolvedMeshReadinessConfig,
): EntityScope {
  const kind = typeof entity?.kind === 'string' ? entity.kind : '';
  if (kind.toLowerCase() !== 'component') {
    return {
      inScope: false,
      reason: `A ${kind || 'entity without kind'} is not a workload.`,
    };
  }
  const type = (entity.spec as any)?.type;
  if (
    typeof type !== 'string' ||
    !config.workloadTypes.includes(type.toLowerCase())
  ) {
    return {
      inScope: false,
      reason:
        typeof type === 'string'
          ? `spec.type '${type.slice(
              0,
              40,
            )}' is not a workload type (${config.workloadTypes.join(', ')}).`
          : 'spec.type is not set, so this is not known to be a workload.',
    };
  }
  if (values.exclude !== undefined) {
    return {
      inScope: false,
      reason: `Excluded: ${values.exclude.slice(0, 200)}`,
    };
  }
  return IN_SCOPE;
}

type Dependency = {
  ref: string;
  cluster?: ClusterInfo;
  /** The whole clustersOf result when this is the only dependency. */
  alone?: { resourceRefs: string[]; clusters: ClusterInfo[] };
};
const NOT_A_RESOURCE: Dependency = { ref: '' };
/** Resolved dependsOn targets per catalog, namespace and raw value. */
const DEPENDENCY_CACHE = new WeakMap<
  CatalogContext,
  Map<string, Map<string, Dependency>>
>();
const NO_REFS: string[] = [];
const NO_CLUSTERS: ClusterInfo[] = [];
/** The links of a workload without cluster dependencies (shared, read-only). */
const NO_LINKS = Object.freeze({
  resourceRefs: NO_REFS,
  clusters: NO_CLUSTERS,
});

function resolveDependency(
  byRaw: Map<string, Dependency>,
  d: string,
  ns: string,
  context: CatalogContext,
): Dependency {
  let hit = byRaw.get(d);
  if (hit === undefined) {
    const ref = resolveRef(d, 'component', ns);
    hit =
      ref && ref.startsWith('resource:')
        ? { ref, cluster: context.clusters.get(refKey(ref)) }
        : NOT_A_RESOURCE;
    if (byRaw.size < 10_000) {
      byRaw.set(d, hit);
    }
  }
  return hit;
}

/** A single dependency: the result is shared by every entity naming it. */
function single(
  byRaw: Map<string, Dependency>,
  d: string,
  ns: string,
  context: CatalogContext,
): { resourceRefs: string[]; clusters: ClusterInfo[] } {
  const hit = resolveDependency(byRaw, d, ns, context);
  if (hit === NOT_A_RESOURCE) {
    return NO_LINKS;
  }
  if (!hit.alone) {
    hit.alone = {
      resourceRefs: Object.freeze([hit.ref]) as string[],
      clusters: hit.cluster
        ? (Object.freeze([hit.cluster]) as ClusterInfo[])
        : NO_CLUSTERS,
    };
  }
  return hit.alone;
}

/** The kubernetes-cluster Resources a workload names in spec.dependsOn. @internal */
export function clustersOf(
  entity: Entity,
  context: CatalogContext,
): { resourceRefs: string[]; clusters: ClusterInfo[] } {
  const deps = (entity.spec as any)?.dependsOn;
  if (!Array.isArray(deps) || deps.length === 0) {
    return NO_LINKS;
  }
  const rawNs = (entity.metadata as any)?.namespace;
  const ns = typeof rawNs === 'string' && rawNs ? rawNs : 'default';
  let cache = DEPENDENCY_CACHE.get(context);
  if (!cache) {
    cache = new Map();
    DEPENDENCY_CACHE.set(context, cache);
  }
  let byRaw = cache.get(ns);
  if (!byRaw) {
    byRaw = new Map();
    cache.set(ns, byRaw);
  }
  if (deps.length === 1 && typeof deps[0] === 'string') {
    return single(byRaw, deps[0], ns, context);
  }
  const resourceRefs: string[] = [];
  const clusters: ClusterInfo[] = [];
  for (const d of deps) {
    if (typeof d !== 'string') {
      continue;
    }
    const hit = resolveDependency(byRaw, d, ns, context);
    if (hit === NOT_A_RESOURCE) {
      continue;
    }
    resourceRefs.push(hit.ref);
    if (hit.cluster && !clusters.includes(hit.cluster)) {
      clusters.push(hit.cluster);
    }
  }
  return { resourceRefs, clusters };
}

/**
 * A summary of a set of in-scope workloads and the catalog around them.
 * @public
 */
export interface OrgFacts {
  /** In-scope workloads. */
  services: number;
  /** Of which spec.lifecycle is production. */
  production: number;
  /** Production services in a compliance scope requiring workload-identity or encryption. */
  complianceMtls: number;
  /** Production services in a compliance scope whose mtls-requirement is not declared. */
  complianceUndetermined: number;
  /** Production services declaring a need only a mesh serves well (canary, …). */
  meshOnlyNeedServices: number;
  /** In-scope services requiring workload identity (mtls-requirement, or need mtls). */
  workloadIdentity: number;
  /** In-scope services requiring encryption only. */
  encryptionOnly: number;
  /** In-scope services per declared need. */
  needs: Record<MeshNeed, number>;
  tracing: { full: number; partial: number; none: number; unknown: number };
  batch: number;
  udpServices: number;
  serverFirstUnopaque: number;
  restrictedPodSecurity: number;
  uid1337: number;
  uid2102: number;
  /** Sum of replicas over services that declare them. */
  pods: number;
  /** Sum of peak-rps over services that declare it. */
  peakRps: number;
  /** Services missing replicas or peak-rps. */
  missingCostInputs: number;
  /** Namespaces with a service that needs L7 traffic features (one ambient waypoint each). */
  l7Namespaces: number;
  /** Peak rps of services with L7 needs. */
  l7PeakRps: number;
  /** Clusters the services run on; every cluster in the catalog when none is linked. */
  clusters: ClusterInfo[];
  /** Groups declaring platform-team true. */
  platformTeams: GroupInfo[];
}

const L7_NEEDS: readonly MeshNeed[] = [
  'retries',
  'timeouts',
  'circuit-breaking',
  'canary',
  'traffic-split',
  'fault-injection',
  'header-routing',
];

const NO_NEEDS: MeshNeed[] = [];

function anyOf(needs: readonly MeshNeed[], set: readonly MeshNeed[]): boolean {
  for (let i = 0; i < needs.length; i++) {
    if (set.includes(needs[i])) {
      return true;
    }
  }
  return false;
}

function isUdpPort(p: { protocol: string }): boolean {
  return p.protocol === 'udp';
}

/** Accumulates org facts one workload at a time. @internal */
export class OrgFactsBuilder {
  private readonly facts: OrgFacts;
  private readonly clusterSet = new Set<ClusterInfo>();
  private readonly l7Namespaces = new Set<string>();

  constructor() {
    // A literal rather than keys added in a loop: one fixed object shape,
    // and the compiler checks that every need has its counter.
    const needs: Record<MeshNeed, number> = {
      mtls: 0,
      observability: 0,
      retries: 0,
      timeouts: 0,
      'circuit-breaking': 0,
      canary: 0,
      'traffic-split': 0,
      'fault-injection': 0,
      'header-routing': 0,
      'multi-cluster': 0,
    };
    this.facts = {
      services: 0,
      production: 0,
      complianceMtls: 0,
      complianceUndetermined: 0,
      meshOnlyNeedServices: 0,
      workloadIdentity: 0,
      encryptionOnly: 0,
      needs,
      tracing: { full: 0, partial: 0, none: 0, unknown: 0 },
      batch: 0,
      udpServices: 0,
      serverFirstUnopaque: 0,
      restrictedPodSecurity: 0,
      uid1337: 0,
      uid2102: 0,
      pods: 0,
      peakRps: 0,
      missingCostInputs: 0,
      l7Namespaces: 0,
      l7PeakRps: 0,
      clusters: [],
      platformTeams: [],
    };
  }

  add(entity: Entity, v: ParsedAnnotations, clusters: readonly ClusterInfo[]) {
    const facts = this.facts;
    const needs = facts.needs;
    facts.services++;
    const spec: any = entity.spec ?? {};
    const production =
      typeof spec.lifecycle === 'string' &&
      spec.lifecycle.toLowerCase() === 'production';
    if (production) {
      facts.production++;
    }
    const declaredNeeds = v.needs ?? NO_NEEDS;
    for (let i = 0; i < declaredNeeds.length; i++) {
      needs[declaredNeeds[i]]++;
    }
    const req = v.mtlsRequirement;
    if (
      req === 'workload-identity' ||
      (req === undefined && declaredNeeds.includes('mtls'))
    ) {
      facts.workloadIdentity++;
    } else if (req === 'encryption') {
      facts.encryptionOnly++;
    }
    if (production && v.compliance.length > 0) {
      if (req === 'workload-identity' || req === 'encryption') {
        facts.complianceMtls++;
      } else if (req === undefined) {
        facts.complianceUndetermined++;
      }
    }
    if (production && anyOf(declaredNeeds, MESH_ONLY_NEEDS)) {
      facts.meshOnlyNeedServices++;
    }
    if (v.tracing) {
      facts.tracing[v.tracing]++;
    } else {
      facts.tracing.unknown++;
    }
    if (
      isBatchWorkload(
        typeof spec.type === 'string' ? spec.type.toLowerCase() : undefined,
        (entity.metadata as any)?.tags,
      )
    ) {
      facts.batch++;
    }
    if (v.ports) {
      if (v.ports.some(isUdpPort)) {
        facts.udpServices++;
      }
      if (hasUnopaqueServerFirstPort(v.ports, v.opaquePorts)) {
        facts.serverFirstUnopaque++;
      }
    }
    if (v.podSecurity === 'restricted') {
      facts.restrictedPodSecurity++;
    }
    if (v.runAsUid === 1337) {
      facts.uid1337++;
    } else if (v.runAsUid === 2102) {
      facts.uid2102++;
    }
    if (v.replicas !== undefined) {
      facts.pods += v.replicas;
    }
    if (v.peakRps !== undefined) {
      facts.peakRps += v.peakRps;
    }
    if (v.replicas === undefined || v.peakRps === undefined) {
      facts.missingCostInputs++;
    }
    if (anyOf(declaredNeeds, L7_NEEDS)) {
      const ns = (entity.metadata as any)?.namespace;
      this.l7Namespaces.add(
        typeof ns === 'string' && ns ? ns.toLowerCase() : 'default',
      );
      facts.l7PeakRps += v.peakRps ?? 0;
    }
    for (let i = 0; i < clusters.length; i++) {
      this.clusterSet.add(clusters[i]);
    }
  }

  finish(context: CatalogContext): OrgFacts {
    const facts = this.facts;
    facts.l7Namespaces = this.l7Namespaces.size;
    facts.clusters =
      this.clusterSet.size > 0
        ? [...this.clusterSet]
        : [...context.clusters.values()];
    facts.platformTeams = [];
    for (const g of context.groups.values()) {
      if (g.values.platformTeam === true) {
        facts.platformTeams.push(g);
      }
    }
    return facts;
  }
}
keepShape(new OrgFactsBuilder());

/**
 * Summarises the given in-scope workloads. Entities that are not in scope
 * should be filtered out by the caller.
 * @public
 */
export function computeOrgFacts(
  workloads: Iterable<Entity>,
  context: CatalogContext,
): OrgFacts {
  const builder = new OrgFactsBuilder();
  for (const entity of workloads) {
    builder.add(
      entity,
      context.annotationsOf(entity).values,
      clustersOf(entity, context).clusters,
    );
  }
  return builder.finish(context);
}
