import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_MANIFESTS,
  type CheckDefinition,
  type CheckResult,
  type CheckStatus,
  type EntityResult,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { mergeYamlSnippets } from '../common/mergeYaml';
import { categoryLabel, statusRank } from '../common/labels';

export const ANNOTATION_PREFIX = 'mesh-readiness.io/';

/** Statuses whose fix belongs in the combined catalog-info.yaml snippet. */
const NEEDS_FIX: CheckStatus[] = ['fail', 'invalid', 'unknown'];

export interface CheckGroup {
  category: string;
  label: string;
  checks: CheckResult[];
}

/** Groups checks by category; worst groups and worst checks first. */
export function groupChecks(
  checks: CheckResult[],
  defs: Map<string, CheckDefinition>,
): CheckGroup[] {
  const groups = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const category = defs.get(check.id)?.category ?? 'other';
    groups.set(category, [...(groups.get(category) ?? []), check]);
  }
  const weight = (c: CheckResult) => defs.get(c.id)?.weight ?? 0;
  const result = [...groups.entries()].map(([category, items]) => ({
    category,
    label: categoryLabel(category),
    checks: [...items].sort(
      (a, b) =>
        statusRank(a.status) - statusRank(b.status) || weight(b) - weight(a),
    ),
  }));
  const worst = (g: CheckGroup) => statusRank(g.checks[0].status);
  const bad = (g: CheckGroup) =>
    g.checks.filter(c => statusRank(c.status) <= statusRank('warn')).length;
  return result.sort(
    (a, b) =>
      worst(a) - worst(b) || bad(b) - bad(a) || a.label.localeCompare(b.label),
  );
}

/** A fix to show next to a check. */
export interface CheckFix {
  yaml: string;
  /**
   * True when the backend computed it for this entity; false for the
   * catalogue's generic example, which must be adapted before use.
   */
  specific: boolean;
}

/** The fix for one check: its own YAML, else the catalogue's example. */
export function fixOf(
  check: CheckResult,
  def: CheckDefinition | undefined,
): CheckFix | undefined {
  if (check.fixYaml) {
    return { yaml: check.fixYaml, specific: true };
  }
  if (
    check.status === 'pass' ||
    check.status === 'not-applicable' ||
    !def?.remediationYaml
  ) {
    return undefined;
  }
  return { yaml: def.remediationYaml, specific: false };
}

/**
 * Every failing, invalid or unknown check's own fix merged into one snippet.
 * Generic catalogue examples are left out: they are not about this entity.
 */
export function combinedFix(result: EntityResult): string {
  const order = (c: CheckResult) => {
    const index = result.topMissing.indexOf(c.id);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  const snippets = result.checks
    .filter(c => NEEDS_FIX.includes(c.status))
    .sort((a, b) => order(a) - order(b))
    .map(c => c.fixYaml)
    .filter((s): s is string => Boolean(s));
  return mergeYamlSnippets(snippets);
}

/** True when the entity carries no mesh-readiness.io annotation at all. */
export function hasNoAnnotations(
  entity: Entity,
  result: EntityResult,
): boolean {
  const keys = Object.keys(entity.metadata.annotations ?? {});
  const none = !keys.some(k => k.startsWith(ANNOTATION_PREFIX));
  const relevant = result.checks.filter(c => c.status !== 'not-applicable');
  const allUnknown =
    relevant.length > 0 && relevant.every(c => c.status === 'unknown');
  return none || allUnknown;
}

/** The distinct `mesh-readiness.io/…` keys a catalog-info.yaml snippet sets. */
export function annotationKeysOf(yaml: string): string[] {
  const keys = new Set<string>();
  for (const match of yaml.matchAll(
    /^\s*["']?(mesh-readiness\.io\/[A-Za-z0-9._-]+)["']?\s*:/gm,
  )) {
    keys.add(match[1]);
  }
  return [...keys];
}

/**
 * The manifests annotation with an example value: offered first while no
 * manifests are linked, since they answer most of the other annotations.
 */
export const MANIFESTS_YAML = [
  'metadata:',
  '  annotations:',
  `    ${ANNOTATION_MANIFESTS}: "./deploy/"  # the workload's Kubernetes YAML: a file or a folder`,
].join('\n');

/** True when the entity links manifests, or the backend read some for it. */
export function manifestsLinked(entity: Entity, result: EntityResult): boolean {
  return (
    result.manifests !== undefined ||
    entity.metadata.annotations?.[ANNOTATION_MANIFESTS] !== undefined
  );
}

/**
 * A catalog-info.yaml snippet with the manifests annotation first when no
 * manifests are linked; an empty snippet stays empty.
 */
export function withManifests(
  yaml: string,
  entity: Entity,
  result: EntityResult,
): string {
  if (!yaml || manifestsLinked(entity, result)) {
    return yaml;
  }
  return mergeYamlSnippets([MANIFESTS_YAML, yaml]);
}

export const STARTER_YAML = [
  'metadata:',
  '  annotations:',
  '    mesh-readiness.io/ports: "8080/http"  # every port the app listens on',
  '    mesh-readiness.io/tracing: "full"  # full, partial or none',
  '    mesh-readiness.io/run-as-uid: "10001"',
  '    mesh-readiness.io/probes: "http"',
  '    mesh-readiness.io/replicas: "3"',
  '    mesh-readiness.io/peak-rps: "100"',
  '    mesh-readiness.io/timeouts: "true"',
  '    mesh-readiness.io/retries: "idempotent-only"',
].join('\n');

export interface StatusCounts {
  applicable: number;
  byStatus: Partial<Record<CheckStatus, number>>;
}

export function countStatuses(checks: CheckResult[]): StatusCounts {
  const byStatus: Partial<Record<CheckStatus, number>> = {};
  for (const c of checks) {
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  }
  return {
    applicable: checks.filter(c => c.status !== 'not-applicable').length,
    byStatus,
  };
}
