import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import type { OwnedByScope } from '@mesh-readiness/plugin-mesh-readiness-common';

/** An entity and the entities the model reads alongside it. */
export interface EntityWithRelations {
  entity: Entity;
  /**
   * The owner group, the system, the provided APIs and the resources the
   * entity depends on, as far as the caller may see them.
   */
  related: Entity[];
}

/** Every read of the catalog the plugin makes, in one place. */
export interface CatalogReader {
  /**
   * Reads every entity the model needs (of `kinds`, default every kind the
   * model reads), page by page with cursor queries, limited to the fields
   * the model reads. `onItems` gets each page once the next one has been
   * asked for, and is awaited before the next one is read.
   */
  readAll(
    credentials: BackstageCredentials,
    options?: {
      pageSize?: number;
      kinds?: string[];
      onPage?: (count: number) => void;
      onItems?: (items: Entity[]) => Promise<void> | void;
    },
  ): Promise<Entity[]>;
  /** One entity and what it relates to; undefined when not visible. */
  readEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntityWithRelations | undefined>;
  /** The refs (lower-cased) of every entity the caller may see. */
  readVisibleRefs(credentials: BackstageCredentials): Promise<Set<string>>;
  /**
   * The owners a User or Group stands for, read with the caller's
   * credentials: a User, its `memberOf` groups and every group below them
   * (`parentOf`, from `spec.children` and `spec.parent`); a Group, itself
   * and every group below it. `entityRef` is a full ref of kind user or
   * group.
   */
  readOwnedBy(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<OwnedByScope>;
}
