/*
 * The organisation-wide facts that gates, the recommendation and the cost
 * estimate are computed from, counted from the in-scope workloads' facts. The facts are a
 * plain summary of a set of in-scope workloads, so the org view can be
 * recomputed for any subset (e.g. only the rows a user may see).
 */
import {
  observedBatch,
  opaquePortFacts,
  podSecurityFact,
  portFacts,
  replicaFact,
  uidFacts,
} from './resolve';
import type { Entity } from '@backstage/catalog-model';
import { MESH_ONLY_NEEDS, type MeshNeed } from '../annotations';
import {
  type CatalogContext,
  type ClusterInfo,
  entityRefOf,
  type GroupInfo,
} from '../context';
import { entityFactsOf, type EntityFacts } from './entity';
import { hasUnopaqueServerFirstPort, L7_NEEDS } from './meshDefaults';

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
  /** Services declaring replicas, or whose manifests state them. */
  replicasDeclared: number;
  /** Services whose manifests were read and matched. */
  inspected: number;
  /** Services declaring peak-rps. */
  peakRpsDeclared: number;
  /** Production services declaring their needs (`none` included). */
  needsDeclared: number;
  /** Namespaces with a service that needs L7 traffic features (one ambient waypoint each). */
  l7Namespaces: number;
  /** Peak rps of services with L7 needs. */
  l7PeakRps: number;
  /** Clusters the services run on; every cluster in the catalog when none is linked. */
  clusters: ClusterInfo[];
  /** Groups declaring platform-team true. */
  platformTeams: GroupInfo[];
}

function anyOf(needs: readonly MeshNeed[], set: readonly MeshNeed[]): boolean {
  return needs.some(n => set.includes(n));
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
      replicasDeclared: 0,
      inspected: 0,
      peakRpsDeclared: 0,
      needsDeclared: 0,
      l7Namespaces: 0,
      l7PeakRps: 0,
      clusters: [],
      platformTeams: [],
    };
  }

  /** Counts one in-scope workload. */
  add(workload: EntityFacts) {
    const facts = this.facts;
    const needs = facts.needs;
    const v = workload.annotations;
    const production = workload.production;
    facts.services++;
    if (production) {
      facts.production++;
    }
    const declaredNeeds = v.needs ?? [];
    for (const need of declaredNeeds) {
      needs[need]++;
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
    if (workload.isBatch || observedBatch(workload)) {
      facts.batch++;
    }
    const ports = portFacts(workload);
    if (ports) {
      if (ports.ports.some(p => p.transport === 'UDP')) {
        facts.udpServices++;
      }
      if (
        hasUnopaqueServerFirstPort(
          ports.ports.flatMap(p =>
            p.serverFirst ? [{ port: p.port, protocol: p.serverFirst }] : [],
          ),
          opaquePortFacts(workload).map(o => o.value),
        )
      ) {
        facts.serverFirstUnopaque++;
      }
    }
    if (podSecurityFact(workload)?.value === 'restricted') {
      facts.restrictedPodSecurity++;
    }
    const uids = uidFacts(workload)?.known.map(u => u.value) ?? [];
    if (uids.includes(1337)) {
      facts.uid1337++;
    } else if (uids.includes(2102)) {
      facts.uid2102++;
    }
    const replicas = replicaFact(workload)?.value;
    if (replicas !== undefined) {
      facts.pods += replicas;
      facts.replicasDeclared++;
    }
    if (workload.observed?.workloads.length) {
      facts.inspected++;
    }
    if (v.peakRps !== undefined) {
      facts.peakRps += v.peakRps;
      facts.peakRpsDeclared++;
    }
    if (production && v.needs !== undefined) {
      facts.needsDeclared++;
    }
    if (replicas === undefined || v.peakRps === undefined) {
      facts.missingCostInputs++;
    }
    if (anyOf(declaredNeeds, L7_NEEDS)) {
      this.l7Namespaces.add(workload.namespace.toLowerCase());
      facts.l7PeakRps += v.peakRps ?? 0;
    }
    for (const cluster of workload.clusters) {
      this.clusterSet.add(cluster);
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
      entityFactsOf(
        entity,
        entityRefOf(entity),
        context.annotationsOf(entity),
        context,
      ),
    );
  }
  return builder.finish(context);
}
