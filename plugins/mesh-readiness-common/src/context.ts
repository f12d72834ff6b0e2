/*
 * Indexes over the whole catalog, built once per evaluation: groups (with
 * the parent/child hierarchy and member counts), systems (→ domain),
 * kubernetes clusters, APIs, and every entity's parsed annotations. Checks
 * and the org model only read these; nothing here does I/O.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  parseAnnotations,
  ParseAnnotationsResult,
  ParsedAnnotations,
} from './annotations';
import { ENTITY_CHECK_IDS } from './checkIds';
import type { ObservedCluster } from './observed';
import { parseVersion } from './util';
import type { CustomCheckContext } from './types';

/** A Group as the model sees it. @public */
export interface GroupInfo {
  ref: string;
  parent?: string;
  children: string[];
  /** Distinct members, from `spec.members` and Users' `spec.memberOf`. */
  members: number;
  values: ParsedAnnotations;
}

/**
 * A Resource with `spec.type: kubernetes-cluster`, or a cluster a fact
 * source read that the catalog does not hold (its ref is then
 * `resource:default/<name>`, and it has no entity).
 * @public
 */
export interface ClusterInfo {
  ref: string;
  name: string;
  /**
   * The annotations, with the Kubernetes version and node count the
   * running cluster reported in place of the declared ones.
   */
  values: ParsedAnnotations;
  /** What the running cluster said about itself, when a fact source read it. */
  observed?: ObservedCluster;
}

/** @public */
export interface SystemInfo {
  ref: string;
  domain?: string;
}

/**
 * Read-only indexes over a catalog. Keys of the maps are lower-cased entity
 * refs (`kind:namespace/name`); use {@link refKey} to look one up.
 * @public
 */
export interface CatalogContext extends CustomCheckContext {
  /** Every entity by ref (the first one wins on duplicates). */
  readonly entities: ReadonlyMap<string, Entity>;
  readonly groups: ReadonlyMap<string, GroupInfo>;
  readonly systems: ReadonlyMap<string, SystemInfo>;
  readonly clusters: ReadonlyMap<string, ClusterInfo>;
  readonly apis: ReadonlyMap<string, Entity>;
  /** The date waivers were judged against. */
  readonly now: Date;
  /** Check ids a waiver may name. */
  readonly checkIds: ReadonlySet<string>;
  /** The entity's parsed annotations (cached). Never throws. */
  annotationsOf(entity: Entity): ParseAnnotationsResult;
}

/** @public */
export interface BuildCatalogContextOptions {
  now?: Date;
  /** Check ids a waiver may name (default: the built-in entity checks). */
  checkIds?: Iterable<string>;
  /**
   * What running clusters said about themselves: matched to the cluster
   * Resources by name, their version and node count win over the
   * annotations; a cluster the catalog lacks is added.
   */
  observedClusters?: readonly ObservedCluster[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The normalised ref of an entity, `kind:namespace/name` with kind and
 * namespace lower-cased as Backstage does. Never throws; a malformed entity
 * gets placeholder parts.
 * @public
 */
export function entityRefOf(entity: Entity): string {
  try {
    const kind = str((entity as any)?.kind) ?? 'unknown';
    const ns = str((entity as any)?.metadata?.namespace) ?? 'default';
    const name = str((entity as any)?.metadata?.name) ?? '<unnamed>';
    return `${kind.toLowerCase()}:${ns.toLowerCase()}/${name}`;
  } catch {
    // A getter that throws (a proxy, say): the entity cannot be named.
    return 'unknown:default/<unreadable>';
  }
}

/** The case-insensitive map key for a ref. @public */
export function refKey(ref: string): string {
  return ref.toLowerCase();
}

/**
 * Resolves a relation target (`name`, `namespace/name`, `kind:namespace/name`)
 * to a normalised ref; undefined when it is not a usable ref.
 * @public
 */
export function resolveRef(
  target: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof target !== 'string') {
    return undefined;
  }
  let rest = target.trim();
  if (rest === '' || rest.length > 512) {
    return undefined;
  }
  let kind = defaultKind;
  let ns = defaultNamespace;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    kind = rest.slice(0, colon);
    if (kind.includes('/')) {
      return undefined;
    }
    rest = rest.slice(colon + 1);
  }
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    ns = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  if (!kind || !ns || !rest || rest.includes('/') || rest.includes(':')) {
    return undefined;
  }
  return `${kind.toLowerCase()}:${ns.toLowerCase()}/${rest}`;
}

function namespaceOf(entity: Entity): string {
  return str((entity as any)?.metadata?.namespace) ?? 'default';
}

function kindOf(entity: Entity): string {
  return (str((entity as any)?.kind) ?? '').toLowerCase();
}

/** The kinds the context keeps an index of. */
const INDEXED_KINDS: ReadonlySet<string> = new Set([
  'group',
  'user',
  'system',
  'resource',
  'api',
]);

function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/**
 * Lays what a running cluster reported over its Resource (matched by name),
 * or adds it. Only facts it did report replace the declared ones.
 */
function addObservedCluster(
  clusters: Map<string, ClusterInfo>,
  observed: ObservedCluster,
): void {
  if (!observed || typeof observed.name !== 'string') {
    return;
  }
  const name = observed.name.toLowerCase();
  let info = [...clusters.values()].find(c => c.name.toLowerCase() === name);
  if (!info) {
    const ref = `resource:default/${name}`;
    info = {
      ref,
      name: observed.name,
      values: parseAnnotations({} as Entity).values,
    };
    clusters.set(refKey(ref), info);
  }
  const version = observed.kubernetesVersion
    ? parseVersion(observed.kubernetesVersion)
    : undefined;
  info.values = {
    ...info.values,
    ...(version ? { kubernetesVersion: version } : {}),
    ...(typeof observed.nodes === 'number' ? { nodes: observed.nodes } : {}),
  };
  info.observed = observed;
}

/**
 * Builds the indexes the checks and the org model need. Parses every
 * entity's annotations once. Never throws on malformed entities.
 * @public
 */
export function buildCatalogContext(
  entities: readonly Entity[],
  options: BuildCatalogContextOptions = {},
): CatalogContext {
  const now = options.now ?? new Date();
  const checkIds: ReadonlySet<string> = new Set(
    options.checkIds ?? ENTITY_CHECK_IDS,
  );
  const parseOptions = { now, checkIds };
  const parsed = new Map<Entity, ParseAnnotationsResult>();
  // The kinds indexed below; a duplicate ref among them keeps the first.
  const indexed = new Set<string>();
  const groups = new Map<string, GroupInfo>();
  const systems = new Map<string, SystemInfo>();
  const clusters = new Map<string, ClusterInfo>();
  const apis = new Map<string, Entity>();
  const memberSets = new Map<string, Set<string>>();
  const userMemberships: Array<[string, unknown]> = [];
  const byRef = new Map<string, Entity>();

  const annotationsOf = (entity: Entity): ParseAnnotationsResult => {
    let result = parsed.get(entity);
    if (!result) {
      result = parseAnnotations(entity, parseOptions);
      if (entity && typeof entity === 'object') {
        parsed.set(entity, result);
      }
    }
    return result;
  };

  /** Adds one entity to the lookups it belongs in. */
  const indexEntity = (entity: Entity) => {
    const ref = entityRefOf(entity);
    if (!byRef.has(refKey(ref))) {
      byRef.set(refKey(ref), entity);
    }
    const kind = kindOf(entity);
    if (!INDEXED_KINDS.has(kind)) {
      return;
    }
    const key = refKey(ref);
    if (indexed.has(key)) {
      return;
    }
    indexed.add(key);
    const ns = namespaceOf(entity);
    const spec: any = (entity as any).spec ?? {};
    if (kind === 'group') {
      const parent = resolveRef(spec.parent, 'group', ns);
      const children: string[] = [];
      for (const c of arrayOf(spec.children)) {
        const child = resolveRef(c, 'group', ns);
        if (child) {
          children.push(child);
        }
      }
      const members = new Set<string>();
      for (const m of arrayOf(spec.members)) {
        const member = resolveRef(m, 'user', ns);
        if (member) {
          members.add(refKey(member));
        }
      }
      memberSets.set(key, members);
      groups.set(key, {
        ref,
        parent,
        children,
        members: 0,
        values: annotationsOf(entity).values,
      });
    } else if (kind === 'user') {
      userMemberships.push([key, entity]);
    } else if (kind === 'system') {
      systems.set(key, { ref, domain: resolveRef(spec.domain, 'domain', ns) });
    } else if (kind === 'resource') {
      if (
        typeof spec.type === 'string' &&
        spec.type.toLowerCase() === 'kubernetes-cluster'
      ) {
        clusters.set(key, {
          ref,
          name: str((entity as any).metadata?.name) ?? ref,
          values: annotationsOf(entity).values,
        });
      }
    } else if (kind === 'api') {
      apis.set(key, entity);
    }
  };

  for (const entity of entities) {
    if (!entity || typeof entity !== 'object') {
      continue;
    }
    try {
      indexEntity(entity);
    } catch {
      // A getter that throws: the entity is left out of the lookups.
    }
  }

  // Users' memberOf counts towards the group's members.
  for (const [userKey, entity] of userMemberships) {
    const ns = namespaceOf(entity as Entity);
    for (const g of arrayOf((entity as any).spec?.memberOf)) {
      const group = resolveRef(g, 'group', ns);
      const set = group ? memberSets.get(refKey(group)) : undefined;
      if (set) {
        set.add(userKey);
      }
    }
  }
  for (const [key, info] of groups) {
    info.members = memberSets.get(key)?.size ?? 0;
  }
  for (const observed of options.observedClusters ?? []) {
    addObservedCluster(clusters, observed);
  }

  const context: CatalogContext = {
    entities: byRef,
    groups,
    systems,
    clusters,
    apis,
    now,
    checkIds,
    annotationsOf,
    getEntity: (ref: string) =>
      typeof ref === 'string' ? byRef.get(refKey(ref)) : undefined,
  };
  return context;
}

/**
 * Adds entities to the context's index of every entity (see
 * startCatalogEvaluation); the first entity of a ref stays.
 * @internal
 */
export function addToEntityIndex(
  context: CatalogContext,
  entities: readonly Entity[],
): void {
  const index = context.entities as Map<string, Entity>;
  for (const entity of entities) {
    const key = refKey(entityRefOf(entity));
    if (!index.has(key)) {
      index.set(key, entity);
    }
  }
}

/**
 * The ancestors of a group (parents via `spec.parent`, and groups that list
 * it in `spec.children`), nearest first, without cycles.
 * @public
 */
export function groupAncestors(
  context: CatalogContext,
  groupRef: string,
): string[] {
  const parentsOf = parentIndex(context);
  const out: string[] = [];
  const seen = new Set<string>([refKey(groupRef)]);
  const queue = [refKey(groupRef)];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const parent of parentsOf.get(current) ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        out.push(context.groups.get(parent)?.ref ?? parent);
        queue.push(parent);
      }
    }
  }
  return out;
}

const PARENTS = new WeakMap<CatalogContext, Map<string, string[]>>();

function parentIndex(context: CatalogContext): Map<string, string[]> {
  let index = PARENTS.get(context);
  if (index) {
    return index;
  }
  index = new Map();
  const add = (child: string, parent: string) => {
    const list = index!.get(child);
    if (!list) {
      index!.set(child, [parent]);
    } else if (!list.includes(parent)) {
      list.push(parent);
    }
  };
  for (const [key, info] of context.groups) {
    if (info.parent) {
      add(key, refKey(info.parent));
    }
    for (const child of info.children) {
      add(refKey(child), key);
    }
  }
  PARENTS.set(context, index);
  return index;
}
