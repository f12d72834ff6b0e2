import { createPermission } from '@backstage/plugin-permission-common';

/*
 * The permissions of Mesh Readiness. Reading is governed by the catalog's
 * own permissions (a caller sees the scores of the entities the catalog lets
 * them see); these are for what Mesh Readiness itself does.
 */

/**
 * Taking a snapshot now (`POST /refresh`): it reads and scores the whole
 * catalog, so a policy may keep it to some users. Allowed by the
 * allow-all policy.
 * @public
 */
export const meshReadinessSnapshotRefreshPermission = createPermission({
  name: 'mesh-readiness.snapshot.refresh',
  attributes: { action: 'update' },
});

/**
 * Every permission of Mesh Readiness, as the backend registers them with
 * the permission framework.
 * @public
 */
export const meshReadinessPermissions = [
  meshReadinessSnapshotRefreshPermission,
];
