/**
 * Node library for Mesh Readiness: the extension points through which
 * backend modules contribute their own checks and sources of observed facts.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './factSources';
export type {
  CustomCheck,
  CheckDefinition,
  CheckResult,
  ManifestObservation,
} from '@mesh-readiness/plugin-mesh-readiness-common';
