import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PREFIX,
  ANNOTATION_WAIVE_PREFIX,
  CHECK_STATUSES,
  type ChangeReason,
  type CheckChange,
  type CheckDefinition,
  type CheckStatus,
  type EntityHistoryChanges,
  meshName,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { RowInputs } from '../../database/rows';
import type { EntityRowDetail } from '../../database/types';

/*
 * Why a check's status changed between two snapshots of one entity, told
 * from what the two rows kept: the annotations and fields of the workload
 * view, and the `inputs` column (observed facts, API operations, waivers,
 * the checks that assumed the org's mesh). A reason is given only where the
 * rows show the change; otherwise the reason says that the facts the check
 * read changed, without guessing which.
 */

/** Entity fields a check may read, and where a row keeps them. */
const FIELDS: Record<string, (row: EntityRowDetail) => unknown> = {
  'spec.owner': row => row.owner,
  'spec.type': row => row.type,
  'spec.lifecycle': row => row.lifecycle,
  'metadata.tags': row => row.entity?.metadata.tags,
  'spec.dependsOn': row => (row.entity?.spec as any)?.dependsOn,
};

/** Fields that only the workload view (in-scope rows) keeps. */
const VIEW_ONLY_FIELDS = new Set(['metadata.tags', 'spec.dependsOn']);

const MAX_VALUE = 80;

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') {
    return '(not set)';
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const cut = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
  return JSON.stringify(cut);
}

function annotationsOf(entity: Entity | undefined) {
  if (!entity) {
    return undefined;
  }
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(
    entity.metadata.annotations ?? {},
  )) {
    if (key.startsWith(ANNOTATION_PREFIX)) {
      out.set(key, value);
    }
  }
  return out;
}

/** `key: before → after` for each key whose value differs. */
function changedValues(
  keys: string[],
  before: (key: string) => unknown,
  after: (key: string) => unknown,
): Array<{ key: string; text: string }> {
  const out: Array<{ key: string; text: string }> = [];
  for (const key of keys) {
    const a = before(key);
    const b = after(key);
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) {
      out.push({ key, text: `${key}: ${shown(a)} → ${shown(b)}` });
    }
  }
  return out;
}

function waiverOf(inputs: RowInputs | undefined, checkId: string) {
  const found = inputs?.w?.find(w => w[0] === checkId);
  return found ? { until: found[1], expired: found[2] === 1 } : undefined;
}

function observedReason(
  before: string | undefined,
  after: string | undefined,
): ChangeReason | undefined {
  if (before === after) {
    return undefined;
  }
  const fromCluster = (after ?? before ?? '').startsWith('c:');
  const where = fromCluster ? 'the running cluster' : 'the manifests';
  const kind = fromCluster ? 'cluster' : 'manifests';
  if (!before) {
    return { kind, message: `It now reads facts from ${where}.` };
  }
  if (!after) {
    return { kind, message: `It no longer reads facts from ${where}.` };
  }
  return {
    kind,
    message: fromCluster
      ? 'The facts observed in the running cluster that it was decided on changed.'
      : 'The facts read from the manifests that it was decided on changed.',
  };
}

function operationsReason(
  before: RowInputs['o'],
  after: RowInputs['o'],
): ChangeReason | undefined {
  const [countBefore, digestBefore] = before ?? [0, ''];
  const [countAfter, digestAfter] = after ?? [0, ''];
  if (countBefore === countAfter && digestBefore === digestAfter) {
    return undefined;
  }
  const plural = (n: number) => `${n} operation${n === 1 ? '' : 's'}`;
  if (countAfter > countBefore) {
    return {
      kind: 'operations',
      message: `${plural(countAfter - countBefore)} ${
        countAfter - countBefore === 1 ? 'was' : 'were'
      } added to the APIs it provides (${countBefore} → ${countAfter}).`,
    };
  }
  if (countAfter < countBefore) {
    return {
      kind: 'operations',
      message: `${plural(countBefore - countAfter)} ${
        countBefore - countAfter === 1 ? 'was' : 'were'
      } removed from the APIs it provides (${countBefore} → ${countAfter}).`,
    };
  }
  return {
    kind: 'operations',
    message: `The operations of the APIs it provides changed (still ${plural(
      countAfter,
    )}): a method, path or its retry safety.`,
  };
}

function waiverReasons(
  checkId: string,
  before: EntityRowDetail,
  after: EntityRowDetail,
): ChangeReason[] {
  const was = waiverOf(before.inputs, checkId);
  const is = waiverOf(after.inputs, checkId);
  if (is?.expired && !was?.expired) {
    return [
      { kind: 'waiver-expired', message: `Its waiver expired on ${is.until}.` },
    ];
  }
  if (is && !was) {
    return [
      {
        kind: 'waiver',
        message: is.expired
          ? `An expired waiver (until ${is.until}) was added.`
          : `A waiver was added, until ${is.until}.`,
      },
    ];
  }
  if (was && !is) {
    return [{ kind: 'waiver', message: 'Its waiver was removed.' }];
  }
  if (was && is && was.until !== is.until) {
    return [
      {
        kind: 'waiver',
        message: `Its waiver's last day changed: ${was.until} → ${is.until}.`,
      },
    ];
  }
  return [];
}

function reasonsFor(
  checkId: string,
  definition: CheckDefinition | undefined,
  before: EntityRowDetail,
  after: EntityRowDetail,
): ChangeReason[] {
  const reasons: ChangeReason[] = [];
  if (before.inScope !== after.inScope) {
    reasons.push({
      kind: 'scope',
      message: after.inScope
        ? 'The service came into scope (it was not scored before).'
        : 'The service went out of scope.',
    });
  }
  const had = before.statuses.has(checkId);
  const has = after.statuses.has(checkId);
  if (before.inScope && after.inScope && had !== has) {
    reasons.push({
      kind: 'catalogue',
      message: has
        ? 'The check was not run in the earlier snapshot: it was added or enabled since.'
        : 'The check is no longer run: it was removed or disabled.',
    });
  }

  const reads = [...(definition?.reads ?? [])];
  if (!before.inputs || !after.inputs) {
    // Without the stored waivers, the waiver annotation is what shows.
    reads.push(`${ANNOTATION_WAIVE_PREFIX}${checkId}`);
  }
  const annotationsBefore = annotationsOf(before.entity);
  const annotationsAfter = annotationsOf(after.entity);
  if (annotationsBefore && annotationsAfter) {
    const changed = changedValues(
      reads.filter(key => key.startsWith(ANNOTATION_PREFIX)),
      key => annotationsBefore.get(key),
      key => annotationsAfter.get(key),
    );
    if (changed.length > 0) {
      reasons.push({
        kind: 'annotations',
        message: `Annotations it reads changed: ${changed
          .map(c => c.text)
          .join('; ')}.`,
        keys: changed.map(c => c.key),
      });
    }
  }
  const bothViews = Boolean(before.entity && after.entity);
  const fields = changedValues(
    reads.filter(
      key => FIELDS[key] && (bothViews || !VIEW_ONLY_FIELDS.has(key)),
    ),
    key => FIELDS[key](before),
    key => FIELDS[key](after),
  );
  if (fields.length > 0) {
    reasons.push({
      kind: 'entity',
      message: `Entity fields it reads changed: ${fields
        .map(c => c.text)
        .join('; ')}.`,
      keys: fields.map(c => c.key),
    });
  }

  if (before.inputs && after.inputs) {
    const observed = observedReason(
      before.inputs.e?.[checkId],
      after.inputs.e?.[checkId],
    );
    if (observed) {
      reasons.push(observed);
    }
    if (checkId === 'retry-safety') {
      const operations = operationsReason(before.inputs.o, after.inputs.o);
      if (operations) {
        reasons.push(operations);
      }
    }
    const assumedMesh =
      before.inputs.m?.includes(checkId) || after.inputs.m?.includes(checkId);
    if (
      assumedMesh &&
      before.orgMesh &&
      after.orgMesh &&
      before.orgMesh !== after.orgMesh
    ) {
      reasons.push({
        kind: 'org-mesh',
        message: `The organisation's recommended mesh changed: ${meshName(
          before.orgMesh,
        )} → ${meshName(after.orgMesh)}, and the check assumes it.`,
      });
    }
    reasons.push(...waiverReasons(checkId, before, after));
  }

  if (reasons.length === 0) {
    reasons.push({
      kind: 'unknown',
      message:
        before.inputs && after.inputs
          ? 'The facts it read changed; the snapshots do not record which (for example the entity’s relations, or another entity it looks up).'
          : 'The facts it read changed; the earlier snapshot was taken before Mesh Readiness recorded what its checks were decided on.',
    });
  }
  return reasons;
}

function rank(status: CheckStatus | null): number {
  return status === null
    ? CHECK_STATUSES.length
    : CHECK_STATUSES.indexOf(status);
}

/**
 * The checks whose status differs between two rows of one entity (earlier
 * first), each with the reasons the rows show; the most severe new status
 * first.
 */
export function entityChanges(
  before: EntityRowDetail,
  after: EntityRowDetail,
  definitions: ReadonlyMap<string, CheckDefinition>,
): EntityHistoryChanges {
  const ids = new Set([...before.statuses.keys(), ...after.statuses.keys()]);
  const checks: CheckChange[] = [];
  for (const checkId of ids) {
    const from = before.statuses.get(checkId) ?? null;
    const to = after.statuses.get(checkId) ?? null;
    if (from === to) {
      continue;
    }
    const definition = definitions.get(checkId);
    checks.push({
      checkId,
      title: definition?.title ?? checkId,
      from,
      to,
      reasons: reasonsFor(checkId, definition, before, after),
    });
  }
  checks.sort(
    (a, b) => rank(a.to) - rank(b.to) || a.title.localeCompare(b.title),
  );
  return {
    from: before.takenAt.toISOString(),
    to: after.takenAt.toISOString(),
    checks,
  };
}
