/**
 * Catalog backend module that validates Mesh Readiness annotations.
 *
 * @packageDocumentation
 */
export { catalogModuleMeshReadiness as default } from './module';
