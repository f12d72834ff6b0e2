import {
  CHECK_STATUSES,
  CheckStatus,
  MESH_OPTIONS,
  MeshOption,
  READINESS_LEVELS,
  ReadinessLevel,
} from '@mesh-readiness/plugin-mesh-readiness-common';

/*
 * The enum values and descriptions more than one action's schema uses. The
 * schemas themselves are built in each action with the registry's zod (a
 * zod type exported from here could not be named in the declarations).
 */

type Tuple<T> = [T, ...T[]];

function tuple<T>(values: readonly T[]): Tuple<T> {
  return values as unknown as Tuple<T>;
}

export const STATUS_VALUES: Tuple<CheckStatus> = tuple(CHECK_STATUSES);
export const STATUS_DESCRIPTION =
  'pass; fail (something to fix); warn; unknown (not declared: declare the annotation); invalid (the annotation is malformed); waived; not-applicable';

/*
 * The MCP actions backend lists only each tool's name, description, input
 * schema and annotations: the output schema's descriptions never reach an
 * assistant. What it must know to read a result is therefore said in the
 * action descriptions, in these sentences.
 */

/** What each check status means, for action descriptions. */
export const STATUS_SEMANTICS =
  'Statuses: pass (met); warn (met in part, half the points); fail (something to fix); unknown (not declared or not observed: never a pass, declare what the message names); invalid (malformed annotation); waived (accepted until a date by a mesh-readiness.io/waive.<check-id> annotation; counts again once expired); not-applicable (does not count).';

/** The level order, for action descriptions. */
export const LEVEL_SEMANTICS =
  'Levels, lowest first: not-assessed (too little known to judge), not-ready, pilot-ready, production-ready, optimal; a failing gate check caps the level at not-ready.';

export const LEVEL_VALUES: Tuple<ReadinessLevel> = tuple(READINESS_LEVELS);
export const LEVEL_DESCRIPTION =
  'Readiness level, lowest first: not-assessed (too little declared to judge), not-ready, pilot-ready, production-ready, optimal';

export const MESH_VALUES: Tuple<MeshOption> = tuple(MESH_OPTIONS);
export const MESH_DESCRIPTION =
  'A mesh option: none, cilium, linkerd, istio-ambient, istio-sidecar';

export const PROBLEM_DESCRIPTIONS = {
  key: 'The annotation key, e.g. mesh-readiness.io/ports',
  value: 'The value as written',
  message: 'Why it is wrong',
  suggestion: 'The closest valid key or value, to write instead',
};

export const WAIVER_DESCRIPTIONS = {
  checkId: 'The check waived',
  until: 'Last day of the waiver, YYYY-MM-DD',
  expired: 'True when the date has passed: the check counts again',
};
