/**
 * The Mesh Readiness model: annotation parsing, the check catalogue,
 * scoring, org aggregation, gates and verdict, mesh recommendation and cost
 * estimate. Pure, synchronous and isomorphic. The retry-safety analysis, which
 * reads API definitions, is at `@mesh-readiness/plugin-mesh-readiness-common/retry`.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './api';
export * from './observed';
export * from './annotations';
export * from './permissions';
export {
  ENTITY_CHECK_IDS,
  GATE_IDS,
  ORG_CHECK_IDS,
  type EntityCheckId,
  type GateId,
  type OrgCheckId,
} from './checkIds';
export {
  resolveConfig,
  DEFAULT_COST_FIGURES,
  type MeshReadinessConfig,
  type ResolvedMeshReadinessConfig,
  type CostFigures,
  type VersionWindow,
} from './config';
export {
  buildCatalogContext,
  entityRefOf,
  resolveRef,
  refKey,
  groupAncestors,
  type CatalogContext,
  type BuildCatalogContextOptions,
  type GroupInfo,
  type ClusterInfo,
  type SystemInfo,
} from './context';
export type { CheckOutcome, RetrySafetyEvaluator } from './checks/types';
export {
  evaluateCatalog,
  evaluateEntity,
  listChecks,
  startCatalogEvaluation,
  type CatalogEvaluation,
  type EvaluationOptions,
  type EvaluateEntityOptions,
} from './engine';
export { scoreChecks, levelForScore, type EntityScore } from './scoring';
export {
  aggregateOrg,
  decideVerdict,
  orgVerdict,
  type AggregateOrgOptions,
} from './org';
export { computeOrgFacts, type OrgFacts, type EntityScope } from './facts';
export { recommendMesh, meshName } from './recommend';
export { estimateCost, costInputsFrom, type CostInputs } from './cost';
export { parseVersion, compareVersions, type Version } from './util';
