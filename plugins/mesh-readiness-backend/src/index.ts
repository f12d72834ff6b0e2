/**
 * The Mesh Readiness backend plugin: REST API, scheduled snapshots and history.
 *
 * @packageDocumentation
 */
export { meshReadinessPlugin as default } from './plugin';
