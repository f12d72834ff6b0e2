import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { resolveRef } from '@mesh-readiness/plugin-mesh-readiness-common';

/**
 * The zod the actions registry hands to schema builders (its `zod/v3`).
 * Schemas are built with it, never with the plugin's own zod, so that the
 * registry can turn them into the JSON schemas MCP clients read.
 */
export type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

/** The longest entity ref read, as the REST API reads it. */
const MAX_REF_LENGTH = 512;

/** An input the schema let through but the action cannot use: names the field. */
export function invalidInput(field: string, message: string): InputError {
  return new InputError(`Invalid input "${field}": ${message}`);
}

/**
 * Reads an entity ref an assistant passed (`kind:namespace/name`,
 * `namespace/name` or a bare name, which takes `defaultKind` and the
 * `default` namespace) as the REST API's filters read it: kind and
 * namespace lower-cased, as the catalog matches them.
 */
export function resolveInputRef(
  value: string,
  field: string,
  defaultKind: string,
): string {
  const trimmed = value.trim();
  if (!trimmed) {
    throw invalidInput(field, 'is empty; pass an entity ref');
  }
  if (trimmed.length > MAX_REF_LENGTH) {
    throw invalidInput(
      field,
      `is ${trimmed.length} characters long; an entity ref has at most ${MAX_REF_LENGTH}`,
    );
  }
  const resolved = resolveRef(trimmed, defaultKind, 'default');
  if (!resolved) {
    throw invalidInput(
      field,
      `must be an entity ref such as ${defaultKind}:default/name (kind:namespace/name)`,
    );
  }
  return resolved;
}

/** {@link resolveInputRef}, as the catalog looks an entity up. */
export function readEntityRef(
  value: string,
  field: string,
  defaultKind: string,
): CompoundEntityRef {
  return parseEntityRef(resolveInputRef(value, field, defaultKind));
}

/** What the REST API answers for an entity the caller may not see. */
export function entityNotFound(ref: CompoundEntityRef): NotFoundError {
  return new NotFoundError(
    `No entity ${JSON.stringify(
      stringifyEntityRef(ref).slice(0, 300),
    )} that you may see`,
  );
}
