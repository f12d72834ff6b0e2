/**
 * Retry safety, for servers and the CLI only: which operations of a
 * component's APIs a mesh would retry although a repeat is not harmless, and
 * scoring a whole catalog with that check wired in. Reading API definitions
 * needs `@apidevtools/swagger-parser` and `protobufjs`, so this is a separate
 * entry point (`@mesh-readiness/plugin-mesh-readiness-common/retry`) that the
 * frontend never loads.
 *
 * @packageDocumentation
 */
export {
  analyzeApiEntity,
  analyzeApis,
  DEFAULT_MAX_DEFINITION_BYTES,
} from './analyze';
export { evaluateRetrySafety, judgeOperation } from './evaluate';
export type { RetryJudgement, RetrySafetyInput } from './evaluate';
export { MESH_RETRY_BEHAVIOUR } from './meshes';
export type { MeshRetryBehaviour } from './meshes';
export { RETRY_SOURCES } from './rules';
export type {
  AnalyzedOperation,
  ApiAnalysis,
  AnalyzeApiOptions,
  DefinitionWarning,
} from './types';
export { MAX_DEFINITION_WARNINGS } from './types';
export { scoreCatalog, defaultRetrySafety } from './scoreCatalog';
