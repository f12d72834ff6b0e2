/**
 * Retry safety: which operations of a component's APIs a mesh would retry
 * although a repeat is not harmless.
 */
export {
  analyzeApiEntity,
  analyzeApis,
  DEFAULT_MAX_DEFINITION_BYTES,
} from './analyze';
export { evaluateRetrySafety } from './evaluate';
export type { RetrySafetyInput } from './evaluate';
export { MESH_RETRY_BEHAVIOUR } from './meshes';
export type { MeshRetryBehaviour } from './meshes';
export { RETRY_SOURCES } from './rules';
export type {
  AnalyzedOperation,
  ApiAnalysis,
  AnalyzeApiOptions,
} from './types';
