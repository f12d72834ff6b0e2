/**
 * Mesh Readiness backend module that observes each Component's running
 * workloads through Backstage's Kubernetes backend.
 *
 * @packageDocumentation
 */
export { meshReadinessModuleKubernetes as default } from './module';
