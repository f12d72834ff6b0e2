/**
 * Mesh Readiness frontend plugin (classic frontend system). The new frontend
 * system plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  meshReadinessPlugin,
  MeshReadinessPage,
  EntityMeshReadinessContent,
  EntityMeshReadinessCard,
  MeshReadinessMyServicesCard,
  isMeshReadinessAvailable,
} from './plugin';
export { meshReadinessApiRef, MeshReadinessClient } from './api';
export type { MeshReadinessClientOptions } from './api';
