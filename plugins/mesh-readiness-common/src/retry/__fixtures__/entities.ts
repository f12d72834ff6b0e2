import { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'fs';
import { join } from 'path';

/** Test helper: the text of a file in __fixtures__. */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, name), 'utf8');
}

/** Test helper: an API entity as the catalog would hold it. */
export function apiEntity(
  name: string,
  type: string,
  definition?: unknown,
  namespace?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      type,
      lifecycle: 'production',
      owner: 'group:default/payments-team',
      ...(definition === undefined ? {} : { definition }),
    },
  };
}

/** Test helper: a Component. */
export function componentEntity(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments-team',
    },
  };
}
