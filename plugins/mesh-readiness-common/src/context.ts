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

/** A Resource with `spec.type: kubernetes-cluster`. @public */
export interface ClusterInfo {
  ref: string;
  name: string;
  values: ParsedAnnotations;
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
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

let lastRefKind = '';
let lastRefNamespace = '';
let lastRefPrefix = '';

/**
 * The normalised ref of an entity, `kind:namespace/name` with kind and
 * namespace lower-cased as Backstage does. Never throws; a malformed entity
 * gets placeholder parts.
 * @public
 */
export function entityRefOf(entity: Entity): string {
  const kind = str((entity as any)?.kind) ?? 'unknown';
  const ns = str((entity as any)?.metadata?.namespace) ?? 'default';
  const name = str((entity as any)?.metadata?.name) ?? '<unnamed>';
  // Catalogs list entities of one kind and namespace in runs: keep the
  // last prefix rather than lower-casing and joining it for every entity.
  if (kind !== lastRefKind || ns !== lastRefNamespace) {
    lastRefKind = kind;
    lastRefNamespace = ns;
    lastRefPrefix = `${kind.toLowerCase()}:${ns.toLowerCase()}/`;
  }
  return lastRefPrefix + name;
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
 * The context {@link buildCatalogContext} builds. A class rather than an
 * object literal with closures, so that every context has the same shape
 * and optimised code stays valid from one evaluation to the next.
 */
class CatalogIndex implements CatalogContext {
  readonly groups = new Map<string, GroupInfo>();
  readonly systems = new Map<string, SystemInfo>();
  readonly clusters = new Map<string, ClusterInfo>();
  readonly apis = new Map<string, Entity>();
  private readonly parsed = new Map<Entity, ParseAnnotationsResult>();
  private readonly parseOptions: { now: Date; checkIds: ReadonlySet<string> };
  private byRef: Map<string, Entity> | undefined;
  private refs: Array<string | undefined> | undefined;

  constructor(
    private readonly list: readonly Entity[],
    private readonly refList: Array<string | undefined>,
    readonly now: Date,
    readonly checkIds: ReadonlySet<string>,
  ) {
    this.parseOptions = { now, checkIds };
    this.refs = refList;
  }

  /**
   * Every entity by ref, built when first asked for: scoring a whole
   * catalog never needs it, and it is the largest index.
   */
  get entities(): ReadonlyMap<string, Entity> {
    if (this.byRef === undefined) {
      const byRef = new Map<string, Entity>();
      for (let i = 0; i < this.list.length; i++) {
        const ref = this.refList[i];
        if (ref !== undefined) {
          const key = refKey(ref);
          if (!byRef.has(key)) {
            byRef.set(key, this.list[i]);
          }
        }
      }
      this.byRef = byRef;
    }
    return this.byRef;
  }

  getEntity(ref: string): Entity | undefined {
    return typeof ref === 'string' ? this.entities.get(refKey(ref)) : undefined;
  }

  annotationsOf(entity: Entity): ParseAnnotationsResult {
    let result = this.parsed.get(entity);
    if (!result) {
      result = parseAnnotations(entity, this.parseOptions);
      if (entity && typeof entity === 'object') {
        this.parsed.set(entity, result);
      }
    }
    return result;
  }

  /** Parses without filling the cache (see parseUncached). */
  parseOnce(entity: Entity): ParseAnnotationsResult {
    return (
      this.parsed.get(entity) ?? parseAnnotations(entity, this.parseOptions)
    );
  }

  /** Hands the refs by position to one caller (see takeEntityRefs). */
  takeRefs(): Array<string | undefined> | undefined {
    const refs = this.refs;
    this.refs = undefined;
    return refs;
  }
}

/**
 * Builds the indexes the checks and the org model need. Parses the
 * annotations of groups and clusters; other entities are parsed when asked
 * for. Never throws on malformed entities.
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
  const list = entities.slice();
  const refs: Array<string | undefined> = new Array(list.length);
  const context = new CatalogIndex(list, refs, now, checkIds);
  const { groups, systems, clusters, apis } = context;
  // The kinds indexed below; a duplicate ref among them keeps the first.
  const indexed = new Set<string>();
  const memberSets = new Map<string, Set<string>>();
  const userMemberships: Array<[string, unknown]> = [];

  for (let i = 0; i < list.length; i++) {
    const entity = list[i];
    if (!entity || typeof entity !== 'object') {
      continue;
    }
    const ref = entityRefOf(entity);
    refs[i] = ref;
    const kind = kindOf(entity);
    if (!INDEXED_KINDS.has(kind)) {
      continue;
    }
    const key = refKey(ref);
    if (indexed.has(key)) {
      continue;
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
        values: context.annotationsOf(entity).values,
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
          values: context.annotationsOf(entity).values,
        });
      }
    } else if (kind === 'api') {
      apis.set(key, entity);
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
  return context;
}

/**
 * The refs (as {@link entityRefOf} gives them) of the entities the context
 * was built from, by position, for a caller that walks the same list; the
 * context forgets them. Undefined when already taken.
 * @internal
 */
export function takeEntityRefs(
  context: CatalogContext,
): Array<string | undefined> | undefined {
  return context instanceof CatalogIndex ? context.takeRefs() : undefined;
}

/**
 * Parses an entity with the context's options without adding it to the
 * context's cache: for a caller that keeps the result itself (the engine's
 * single pass over a large catalog).
 * @internal
 */
export function parseUncached(
  context: CatalogContext,
  entity: Entity,
): ParseAnnotationsResult {
  return context instanceof CatalogIndex
    ? context.parseOnce(entity)
    : context.annotationsOf(entity);
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
