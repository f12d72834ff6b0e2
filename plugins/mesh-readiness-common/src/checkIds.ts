/*
 * The ids of the built-in checks. Kept apart from the catalogue so that the
 * annotation parser can validate waiver keys without importing the checks.
 * Ids are public contract: add, never rename.
 */

/** Ids of the built-in per-entity checks, in catalogue order. @public */
export const ENTITY_CHECK_IDS = [
  'owner',
  'lifecycle',
  'cluster-known',
  'tracing',
  'protocols',
  'port-conflicts',
  'server-first-protocols',
  'opaque-ports',
  'reserved-ports',
  'udp',
  'grpc-load-balancing',
  'proxy-uid',
  'pod-security',
  'bind-address',
  'probes',
  'batch-workload',
  'headless',
  'timeouts',
  'retry-policy',
  'retry-safety',
  'compliance-mtls-scope',
] as const;

/** Ids of the org gates that decide the verdict. @public */
export const GATE_IDS = [
  'genuine-need',
  'platform-capacity',
  'observability',
] as const;

/** Ids of the other organisation checks. @public */
export const ORG_CHECK_IDS = [
  'pki-plan',
  'config-lint',
  'cost-vs-capacity',
  'kernel-version',
  'kubernetes-version',
] as const;

/** @public */
export type EntityCheckId = (typeof ENTITY_CHECK_IDS)[number];
/** @public */
export type GateId = (typeof GATE_IDS)[number];
/** @public */
export type OrgCheckId = (typeof ORG_CHECK_IDS)[number];
