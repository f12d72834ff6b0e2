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
} from './plugin';
