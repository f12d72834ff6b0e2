import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  isError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { resolveRef } from '@mesh-readiness/plugin-mesh-readiness-common';
import { CatalogReader, EntityWithRelations } from './types';

/** The kinds the model reads. */
export const MODEL_KINDS = [
  'Component',
  'API',
  'Group',
  'User',
  'System',
  'Domain',
  'Resource',
];

/**
 * The kinds the checks look up while scoring Components: a snapshot reads
 * these first, then the Components page by page (see SnapshotService).
 */
export const CONTEXT_KINDS = MODEL_KINDS.filter(kind => kind !== 'Component');

/**
 * The fields the model reads. `spec` is whole because API definitions,
 * group members and component relations all live there.
 */
export const MODEL_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'metadata.tags',
  'spec',
];

const REF_FIELDS = ['kind', 'metadata.namespace', 'metadata.name'];

const DEFAULT_PAGE_SIZE = 1000;

/** The fields `readOwnedBy` reads of each User and Group. */
const OWNERSHIP_FIELDS = [...REF_FIELDS, 'relations'];

/**
 * At most this many owners for one `ownedBy`: an organisation's root group
 * reaches every team, and a cycle of `parentOf` relations ends here too.
 */
export const MAX_OWNED_BY_OWNERS = 10_000;

/** Refs per `getEntitiesByRefs` call while walking the group tree. */
const REFS_PER_READ = 500;

function statusOf(error: unknown): number | undefined {
  const status = (error as any)?.response?.status ?? (error as any)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Turns a failure of the catalog into the error the router should answer
 * with: the caller's own problems pass through, anything else means the
 * catalog is not reachable (503).
 */
export function catalogError(error: unknown): Error {
  if (
    isError(error) &&
    ['AuthenticationError', 'NotAllowedError', 'InputError'].includes(
      error.name,
    )
  ) {
    return error;
  }
  const status = statusOf(error);
  const detail = isError(error) ? error.message : String(error);
  if (status === 401) {
    return new AuthenticationError('The catalog did not accept the request');
  }
  if (status === 403) {
    return new NotAllowedError('The catalog refused the request');
  }
  if (status === 400) {
    return new InputError(`The catalog rejected the request: ${detail}`);
  }
  return new ServiceUnavailableError(
    `The catalog could not be read: ${detail}`,
    error,
  );
}

/**
 * The canonical, lower-cased ref of an entity as the catalog returns it.
 * `toLowerCase` gives what `toLocaleLowerCase('en-US')` gives (English has
 * no locale-specific case mappings) and is many times cheaper on a freshly
 * built string; a snapshot takes the ref of every entity it reads.
 */
export function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLowerCase();
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A Group as the model expects it: `spec.members` completed from the
 * catalog's `hasMember` relations, which also cover Users that name the
 * group in their own `spec.memberOf`.
 */
function withRelationMembers(group: Entity): Entity {
  const members = new Set<string>(
    list((group.spec as any)?.members).filter(
      (m): m is string => typeof m === 'string',
    ),
  );
  for (const relation of group.relations ?? []) {
    if (relation.type === 'hasMember') {
      members.add(relation.targetRef);
    }
  }
  return {
    ...group,
    spec: { ...(group.spec ?? {}), members: [...members] },
  };
}

export function createCatalogReader(options: {
  catalog: CatalogService;
}): CatalogReader {
  const { catalog } = options;

  async function readPaged(
    credentials: BackstageCredentials,
    fields: string[],
    pageSize: number,
    paging: {
      kinds?: string[];
      onPage?: (count: number) => void;
      onItems?: (items: Entity[]) => Promise<void> | void;
    } = {},
  ): Promise<Entity[]> {
    const { onPage, onItems } = paging;
    const query = async (
      request: Parameters<CatalogService['queryEntities']>[0],
    ) => {
      try {
        return await catalog.queryEntities(request, { credentials });
      } catch (error) {
        throw catalogError(error);
      }
    };
    const out: Entity[] = [];
    let response = await query({
      filter: { kind: paging.kinds ?? MODEL_KINDS },
      fields,
      limit: pageSize,
      // The count is never read; skipping it saves the catalog a query.
      totalItems: 'exclude',
    });
    for (;;) {
      for (const item of response.items) {
        out.push(item);
      }
      onPage?.(out.length);
      const cursor = response.pageInfo.nextCursor;
      // The next page is asked for before this one is handed on, so that
      // the caller's work on it overlaps the catalog's answering.
      const next =
        cursor && response.items.length > 0
          ? query({ cursor, fields, limit: pageSize })
          : undefined;
      if (onItems) {
        try {
          await onItems(response.items);
        } catch (error) {
          next?.catch(() => {});
          throw error;
        }
      }
      if (!next) {
        break;
      }
      response = await next;
    }
    return out;
  }

  async function readByRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Array<Entity | undefined>> {
    try {
      const response = await catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: OWNERSHIP_FIELDS },
        { credentials },
      );
      return response.items;
    } catch (error) {
      throw catalogError(error);
    }
  }

  /** Relation targets of one type that are Groups. */
  function groupTargets(entity: Entity, type: string): string[] {
    return (entity.relations ?? [])
      .filter(r => r.type === type && r.targetRef.startsWith('group:'))
      .map(r => r.targetRef);
  }

  return {
    async readOwnedBy(entityRef, credentials) {
      const [root] = await readByRefs([entityRef], credentials);
      if (!root) {
        return { entityRef, found: false, groups: [], owners: [entityRef] };
      }
      const self = stringifyEntityRef(root);
      const isUser = root.kind.toLocaleLowerCase('en-US') === 'user';
      const groups = isUser ? groupTargets(root, 'memberOf') : [];
      // Keyed lower-cased (refs compare so), valued as the catalog spells them.
      const owners = new Map<string, string>([[self.toLowerCase(), self]]);
      let frontier: string[] = isUser ? [] : [self];
      for (const group of groups) {
        if (!owners.has(group.toLowerCase())) {
          owners.set(group.toLowerCase(), group);
          frontier.push(group);
        }
      }
      // Breadth first down the tree; each group is read once.
      while (frontier.length > 0 && owners.size < MAX_OWNED_BY_OWNERS) {
        const next: string[] = [];
        for (let i = 0; i < frontier.length; i += REFS_PER_READ) {
          const read = await readByRefs(
            frontier.slice(i, i + REFS_PER_READ),
            credentials,
          );
          for (const group of read) {
            // A group the caller may not see is counted, not walked.
            for (const child of group ? groupTargets(group, 'parentOf') : []) {
              const key = child.toLowerCase();
              if (!owners.has(key) && owners.size < MAX_OWNED_BY_OWNERS) {
                owners.set(key, child);
                next.push(child);
              }
            }
          }
        }
        frontier = next;
      }
      return {
        entityRef: self,
        found: true,
        groups,
        owners: [...owners.values()],
      };
    },

    async readAll(credentials, readOptions) {
      return readPaged(
        credentials,
        MODEL_FIELDS,
        readOptions?.pageSize ?? DEFAULT_PAGE_SIZE,
        readOptions,
      );
    },

    async readVisibleRefs(credentials) {
      const entities = await readPaged(
        credentials,
        REF_FIELDS,
        DEFAULT_PAGE_SIZE * 5,
      );
      const refs = new Set<string>();
      for (const entity of entities) {
        refs.add(refOf(entity));
      }
      return refs;
    },

    async readEntity(
      ref: CompoundEntityRef,
      credentials: BackstageCredentials,
    ): Promise<EntityWithRelations | undefined> {
      let entity: Entity | undefined;
      try {
        entity = await catalog.getEntityByRef(ref, { credentials });
      } catch (error) {
        throw catalogError(error);
      }
      if (!entity) {
        return undefined;
      }
      const namespace = entity.metadata.namespace ?? 'default';
      const spec: any = entity.spec ?? {};
      const wanted = new Set<string>();
      const add = (target: unknown, kind: string) => {
        const resolved = resolveRef(target, kind, namespace);
        if (resolved) {
          wanted.add(resolved);
        }
      };
      add(spec.owner, 'group');
      add(spec.system, 'system');
      for (const api of list(spec.providesApis)) {
        add(api, 'api');
      }
      for (const dependency of list(spec.dependsOn)) {
        const resolved = resolveRef(dependency, 'component', namespace);
        if (resolved?.startsWith('resource:')) {
          wanted.add(resolved);
        }
      }
      wanted.delete(refOf(entity));
      if (wanted.size === 0) {
        return { entity, related: [] };
      }
      let response;
      try {
        response = await catalog.getEntitiesByRefs(
          {
            entityRefs: [...wanted],
            fields: [...MODEL_FIELDS, 'relations'],
          },
          { credentials },
        );
      } catch (error) {
        throw catalogError(error);
      }
      const related: Entity[] = [];
      for (const item of response.items) {
        if (!item) {
          continue;
        }
        related.push(
          item.kind.toLocaleLowerCase('en-US') === 'group'
            ? withRelationMembers(item)
            : item,
        );
      }
      return { entity, related };
    },
  };
}
