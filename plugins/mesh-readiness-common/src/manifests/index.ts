/**
 * Reading Kubernetes manifests into observed facts: parse YAML files
 * (multi-document), match workloads to a catalog entity, and describe what
 * each matched workload's manifests say, with the file and line of every
 * fact. Used by the backend and the CLI; the frontend never loads it.
 *
 * @packageDocumentation
 */
export type {
  ManifestFile,
  ManifestObject,
  ManifestSet,
  WorkloadSelector,
} from './types';
export { parseManifests } from './parse';
export { workloadSelectorOf } from './selector';
export { observeWorkloads } from './observe';
