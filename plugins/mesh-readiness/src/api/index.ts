import { createApiRef } from '@backstage/core-plugin-api';
import type { MeshReadinessApi } from '@mesh-readiness/plugin-mesh-readiness-common';

/**
 * The Mesh Readiness API, implemented by {@link MeshReadinessClient}.
 * @public
 */
export const meshReadinessApiRef = createApiRef<MeshReadinessApi>({
  id: 'plugin.mesh-readiness.service',
});

export { MeshReadinessClient } from './MeshReadinessClient';
export type { MeshReadinessClientOptions } from './MeshReadinessClient';
