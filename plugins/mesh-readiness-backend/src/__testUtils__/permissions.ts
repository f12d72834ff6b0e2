import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';

/** A permission policy as a function of the permission and the caller. */
export type Decide = (
  permission: Permission,
  credentials: BackstageCredentials,
) => PolicyDecision;

/**
 * The permissions service, evaluating a policy in-process. (The permission
 * backend refuses the mock auth service's on-behalf-of user tokens, which
 * carry no actor; the decision a plugin receives is the same.) A
 * conditional decision is given only to `authorizeConditional`, as the
 * real service does.
 */
export function permissionsDecidedBy(decide: Decide) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      async authorize(requests: any[], { credentials }: any) {
        return requests.map(r => {
          const decision = decide(r.permission, credentials);
          if (decision.result === AuthorizeResult.CONDITIONAL) {
            throw new Error('conditional decisions need authorizeConditional');
          }
          return decision;
        });
      },
      async authorizeConditional(requests: any[], { credentials }: any) {
        return requests.map(r => decide(r.permission, credentials));
      },
    }),
  });
}

/**
 * A policy under which users may read every catalog entity but the one
 * named `hidden`, as a conditional decision that the catalog applies
 * through its own permission integration (the rule runs as a database
 * filter there). Service principals, such as the snapshot task, and every
 * other permission are allowed.
 */
export function hidingFromUsers(hidden: string): Decide {
  return (permission, credentials) => {
    if (
      (credentials.principal as { type?: string }).type === 'user' &&
      isResourcePermission(permission, 'catalog-entity') &&
      permission.name === 'catalog.entity.read'
    ) {
      return createCatalogConditionalDecision(permission, {
        not: catalogConditions.hasMetadata({ key: 'name', value: hidden }),
      });
    }
    return { result: AuthorizeResult.ALLOW };
  };
}
