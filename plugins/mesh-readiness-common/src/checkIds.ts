/*
 * The ids of the built-in checks, read from the check lists. Ids are
 * public contract: add, never rename.
 */
import { ENTITY_CHECKS } from './checks/entity';
import { GATES, ORG_CHECKS } from './checks/org';

/** Ids of the built-in per-entity checks, in catalogue order. @public */
export const ENTITY_CHECK_IDS: readonly string[] = ENTITY_CHECKS.map(
  c => c.definition.id,
);

/** Ids of the org gates that decide the verdict. @public */
export const GATE_IDS: readonly string[] = GATES.map(c => c.definition.id);

/** Ids of the other organisation checks. @public */
export const ORG_CHECK_IDS: readonly string[] = ORG_CHECKS.map(
  c => c.definition.id,
);

/** @public */
export type EntityCheckId = string;
/** @public */
export type GateId = string;
/** @public */
export type OrgCheckId = string;
