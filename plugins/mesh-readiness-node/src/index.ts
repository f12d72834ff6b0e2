/**
 * Node library for Mesh Readiness: the extension point through which backend
 * modules contribute their own checks.
 *
 * @packageDocumentation
 */
export * from './extensions';
export type {
  CustomCheck,
  CheckDefinition,
  CheckResult,
} from '@mesh-readiness/plugin-mesh-readiness-common';
