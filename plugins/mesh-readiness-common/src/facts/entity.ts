/*
 * An entity's facts: everything the entity checks read, gathered in one
 * place from the entity, its parsed mesh-readiness.io annotations (the
 * first source of facts) and the catalog around it (owner group, clusters).
 * Checks never read the entity or the catalog themselves.
 */
import type { Entity } from '@backstage/catalog-model';
import type { ParsedAnnotations, ParseAnnotationsResult } from '../annotations';
import type { ResolvedMeshReadinessConfig } from '../config';
import {
  type CatalogContext,
  type ClusterInfo,
  type GroupInfo,
  refKey,
  resolveRef,
} from '../context';
import type { ManifestObservation } from '../observed';
import type { AnnotationProblem, CheckResult, MeshOption } from '../types';

/** Whether an entity is a workload the model scores. @public */
export interface EntityScope {
  inScope: boolean;
  reason?: string;
}

/**
 * What the entity checks know about one workload.
 * @public
 */
export interface EntityFacts {
  /** `kind:namespace/name`. */
  ref: string;
  namespace: string;
  /** `spec.owner` as written, whatever its type. */
  ownerDeclared: unknown;
  /** `spec.owner` resolved to a ref; undefined when absent or not a ref. */
  ownerRef?: string;
  /** The owner Group, when the catalog has it. */
  ownerGroup?: GroupInfo;
  /** The catalog holds Groups (so an owner missing from it is dangling). */
  catalogHasGroups: boolean;
  /** `spec.lifecycle`, when it is a non-empty string. */
  lifecycle?: string;
  /** `spec.lifecycle` is production. */
  production: boolean;
  /** A Job, CronJob or batch workload (`spec.type` or a `batch` tag). */
  isBatch: boolean;
  /** The kubernetes-cluster Resources of `spec.dependsOn` found in the catalog. */
  clusters: ClusterInfo[];
  /** Every Resource ref in `spec.dependsOn`, found or not. */
  resourceRefs: string[];
  /** The catalog's cluster when it has exactly one (for fix snippets). */
  soleCatalogCluster?: string;
  /** The parsed mesh-readiness.io annotations. */
  annotations: ParsedAnnotations;
  /** Problems with those annotations. */
  problems: AnnotationProblem[];
  /**
   * What the workload's Kubernetes manifests say (observed facts, which
   * win over declared ones); undefined when no manifests were read.
   */
  observed?: ManifestObservation;
  /**
   * The retry-safety analysis of the APIs the entity provides, under a
   * mesh; undefined when the caller runs no API analysis.
   */
  retrySafety?: (mesh: MeshOption) => Omit<CheckResult, 'id'>;
}

const BATCH_TYPES = ['job', 'cronjob', 'batch'];

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
  return { inScope: true };
}

function namespaceOf(entity: Entity): string {
  const ns = (entity.metadata as any)?.namespace;
  return typeof ns === 'string' && ns ? ns : 'default';
}

/** The kubernetes-cluster Resources a workload names in spec.dependsOn. @internal */
export function clustersOf(
  entity: Entity,
  context: CatalogContext,
): { resourceRefs: string[]; clusters: ClusterInfo[] } {
  const deps = (entity.spec as any)?.dependsOn;
  const resourceRefs: string[] = [];
  const clusters: ClusterInfo[] = [];
  if (!Array.isArray(deps)) {
    return { resourceRefs, clusters };
  }
  const ns = namespaceOf(entity);
  for (const d of deps) {
    const ref = resolveRef(d, 'component', ns);
    if (!ref?.startsWith('resource:')) {
      continue;
    }
    resourceRefs.push(ref);
    const cluster = context.clusters.get(refKey(ref));
    if (cluster && !clusters.includes(cluster)) {
      clusters.push(cluster);
    }
  }
  return { resourceRefs, clusters };
}

/** The API refs in spec.providesApis. */
function providedApisOf(entity: Entity, namespace: string): string[] {
  const provided = (entity.spec as any)?.providesApis;
  if (!Array.isArray(provided)) {
    return [];
  }
  const refs: string[] = [];
  for (const target of provided) {
    const ref = resolveRef(target, 'api', namespace);
    if (ref) {
      refs.push(ref);
    }
  }
  return refs;
}

/** How the caller analyses the APIs an entity provides. @internal */
export type RetrySafetyOf = (
  entity: Entity,
  providedApis: string[],
  values: ParsedAnnotations,
) => EntityFacts['retrySafety'];

/**
 * Gathers an in-scope workload's facts from the entity, its parsed
 * annotations and the catalog.
 * @internal
 */
export function entityFactsOf(
  entity: Entity,
  ref: string,
  parsed: ParseAnnotationsResult,
  context: CatalogContext,
  retrySafetyOf?: RetrySafetyOf,
  observed?: ManifestObservation,
): EntityFacts {
  const spec: any = entity.spec ?? {};
  const namespace = namespaceOf(entity);
  const ownerRef =
    typeof spec.owner === 'string'
      ? resolveRef(spec.owner, 'group', namespace)
      : undefined;
  const lifecycle =
    typeof spec.lifecycle === 'string' && spec.lifecycle.trim() !== ''
      ? spec.lifecycle
      : undefined;
  const { resourceRefs, clusters } = clustersOf(entity, context);
  return {
    ref,
    namespace,
    ownerDeclared: spec.owner,
    ownerRef,
    ownerGroup: ownerRef ? context.groups.get(refKey(ownerRef)) : undefined,
    catalogHasGroups: context.groups.size > 0,
    lifecycle,
    production: lifecycle?.toLowerCase() === 'production',
    isBatch: isBatchWorkload(
      typeof spec.type === 'string' ? spec.type.toLowerCase() : undefined,
      (entity.metadata as any)?.tags,
    ),
    clusters,
    resourceRefs,
    soleCatalogCluster:
      context.clusters.size === 1
        ? context.clusters.values().next().value?.ref
        : undefined,
    annotations: parsed.values,
    problems: parsed.problems,
    observed,
    retrySafety: retrySafetyOf?.(
      entity,
      providedApisOf(entity, namespace),
      parsed.values,
    ),
  };
}
