import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { CustomCheck } from '@mesh-readiness/plugin-mesh-readiness-common';

/**
 * Lets other backend modules add checks of the same shape as the built-in
 * ones. Added checks appear in `GET /checks` and in every result.
 *
 * @public
 */
export interface MeshReadinessChecksExtensionPoint {
  addChecks(...checks: CustomCheck[]): void;
}

/** @public */
export const meshReadinessChecksExtensionPoint =
  createExtensionPoint<MeshReadinessChecksExtensionPoint>({
    id: 'mesh-readiness.checks',
  });
