import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  CheckStatus,
  EntityResult,
  listChecks,
  MeshOption,
  meshName,
  ReadinessLevel,
  refKey,
  WaiverInfo,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { createHash } from 'node:crypto';
import { levelRank } from '../../database/rows';
import type { NotificationOptions } from './notificationOptions';

/** Why the owners of a service hear from Mesh Readiness. */
export type NotificationCause =
  | 'level-dropped'
  | 'unsafe-operation'
  | 'waiver-expiring';

export const NOTIFICATION_CAUSES: readonly NotificationCause[] = [
  'level-dropped',
  'unsafe-operation',
  'waiver-expiring',
];

/** The topic of every Mesh Readiness notification. */
export const NOTIFICATION_TOPIC = 'Mesh readiness';

/** What the previous snapshot stored of a service. */
export interface PreviousRow {
  level: ReadinessLevel | null;
  /**
   * The operations a failing retry-safety check found not retry-safe, as
   * {@link unsafeOperationsOf} names them; null when the snapshot did not
   * keep them.
   */
  unsafeOperations: readonly string[] | null;
  /** Each check's status in that snapshot, by check id. */
  statuses?: ReadonlyMap<string, CheckStatus>;
}

const NOT_PASSING: ReadonlySet<CheckStatus> = new Set<CheckStatus>([
  'fail',
  'invalid',
  'unknown',
]);

/** The titles of the built-in checks (a custom check is named by its id). */
const CHECK_TITLES = new Map(listChecks().map(c => [c.id, c.title]));

/**
 * The checks that pass (or warn, are waived, do not apply) no more: what
 * took a service's level down, as "Title (pass → fail)".
 */
function checksGotWorse(
  result: EntityResult,
  before: ReadonlyMap<string, CheckStatus> | undefined,
): string[] {
  if (!before) {
    return [];
  }
  return result.checks
    .filter(c => {
      const was = before.get(c.id);
      return (
        was !== undefined && NOT_PASSING.has(c.status) && !NOT_PASSING.has(was)
      );
    })
    .map(
      c =>
        `${CHECK_TITLES.get(c.id) ?? c.id} (${before.get(c.id)} → ${c.status})`,
    );
}

/** One notification to send, about one service and one cause. */
export interface OwnerNotification {
  /** The lower-cased entity ref. */
  key: string;
  cause: NotificationCause;
  /** SHA-256 of the state it reports: the dedupe key with `key` and `cause`. */
  fingerprint: string;
  /** The owner entity ref (`spec.owner`), the recipient. */
  owner: string;
  title: string;
  description: string;
  severity: NotificationSeverity;
  /** The entity's Mesh readiness tab, relative to the app. */
  link: string;
  /** One per service and cause: a new state replaces the old notification. */
  scope: string;
}

/** The notifications a snapshot calls for, and the state of every service. */
export interface SnapshotNotifications {
  notifications: OwnerNotification[];
  /**
   * The fingerprint of every in-scope Component's current state, per cause
   * (lower-cased ref → cause → fingerprint): a recorded notification whose
   * fingerprint is not among them reported a state that has since moved on.
   */
  states: Map<string, Map<NotificationCause, string>>;
  /**
   * The operations of each in-scope Component that a failing retry-safety
   * check found not retry-safe, when there are any (lower-cased ref →
   * sorted operations): what the next snapshot compares with.
   */
  unsafeOperations: Map<string, string[]>;
}

type NotificationSeverity = NonNullable<
  NotificationSendOptions['payload']['severity']
>;

const DAY_MS = 86_400_000;

function fingerprintOf(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

/** `/catalog/<namespace>/<kind>/<name>/mesh-readiness`, as the app routes it. */
export function tabLinkOf(result: EntityResult): string {
  const part = (value: string) => encodeURIComponent(value);
  return `/catalog/${part(result.namespace || 'default')}/${part(
    result.kind.toLocaleLowerCase('en-US'),
  )}/${part(result.name)}/mesh-readiness`;
}

/** The operations a failing retry-safety check found not retry-safe, sorted. */
export function unsafeOperationsOf(result: EntityResult): string[] | undefined {
  const check = result.checks.find(c => c.id === 'retry-safety');
  if (!check) {
    return undefined;
  }
  if (check.status !== 'fail') {
    return [];
  }
  return [
    ...new Set(
      (check.operations ?? [])
        .filter(op => op.retrySafe === false)
        .map(op => `${op.operation} (${op.api})`),
    ),
  ].sort();
}

/**
 * Whole days from `now`'s UTC date to a waiver's last day: 0 when it ends
 * today.
 */
export function daysLeft(waiver: WaiverInfo, now: Date): number {
  const today = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  return Math.round((Date.parse(`${waiver.until}T00:00:00Z`) - today) / DAY_MS);
}

/**
 * Waivers still in force whose last day is at most `days` days away,
 * soonest first.
 */
export function expiringWaiversOf(
  result: EntityResult,
  now: Date,
  days: number,
): WaiverInfo[] {
  return (result.waivers ?? [])
    .filter(waiver => {
      const left = daysLeft(waiver, now);
      return (
        !waiver.expired && Number.isFinite(left) && left >= 0 && left <= days
      );
    })
    .sort(
      (a, b) =>
        a.until.localeCompare(b.until) || a.checkId.localeCompare(b.checkId),
    );
}

function inDays(days: number): string {
  if (days === 0) {
    return 'today';
  }
  return days === 1 ? 'tomorrow' : `in ${days} days`;
}

function listSome(items: string[], max = 5): string {
  if (items.length <= max) {
    return items.join(', ');
  }
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * Compares a snapshot's results with the rows of the previous snapshot and
 * says which owners to notify: in-scope Components with an owner whose
 * level dropped, that serve an operation that is not idempotent and that
 * the mesh would retry which the previous snapshot did not find (the
 * operations, not their number: one fixed and another added is news), or
 * with a waiver that ends within
 * `waiverDays`. A service the previous snapshot did not score (new, or out
 * of scope then) is not compared: the first snapshot notifies only of
 * waivers.
 */
export function findOwnerNotifications(options: {
  results: readonly EntityResult[];
  previous: ReadonlyMap<string, PreviousRow>;
  takenAt: Date;
  settings: NotificationOptions;
  /** The mesh the snapshot's recommendation plans. */
  mesh?: MeshOption;
}): SnapshotNotifications {
  const { results, previous, takenAt, settings, mesh } = options;
  const notifications: OwnerNotification[] = [];
  const states = new Map<string, Map<NotificationCause, string>>();
  const unsafeOperations = new Map<string, string[]>();
  const plannedMesh =
    mesh && mesh !== 'none' ? meshName(mesh) : 'the mesh the check assumes';

  for (const result of results) {
    if (
      !result.inScope ||
      !result.owner ||
      result.kind.toLocaleLowerCase('en-US') !== 'component'
    ) {
      continue;
    }
    const key = refKey(result.entityRef);
    const before = previous.get(key);
    const state = new Map<NotificationCause, string>();
    states.set(key, state);
    const base = {
      key,
      owner: result.owner,
      link: tabLinkOf(result),
    };
    const name = result.title || result.name;

    if (settings.levelDropped && result.level) {
      const fingerprint = fingerprintOf(`level:${result.level}`);
      state.set('level-dropped', fingerprint);
      const was = levelRank(before?.level);
      const now = levelRank(result.level);
      if (before?.level && was !== null && now !== null && now < was) {
        const worse = checksGotWorse(result, before.statuses);
        let missing = '';
        if (worse.length > 0) {
          missing = ` What changed: ${listSome(worse)}.`;
        } else if (result.topMissing.length > 0) {
          missing = ` Failing or unknown now: ${listSome(result.topMissing)}.`;
        }
        notifications.push({
          ...base,
          cause: 'level-dropped',
          fingerprint,
          title: `${name}: mesh readiness dropped from ${before.level} to ${result.level}`,
          description: `${result.entityRef} was ${
            before.level
          } in the previous snapshot and is ${result.level} now${
            result.score !== null ? ` (score ${result.score})` : ''
          }.${missing}`,
          severity: result.level === 'not-ready' ? 'high' : 'normal',
          scope: `mesh-readiness:level-dropped:${key}`,
        });
      }
    }

    const unsafe = settings.unsafeOperations
      ? unsafeOperationsOf(result)
      : undefined;
    if (unsafe) {
      const fingerprint = fingerprintOf(`unsafe:${unsafe.join('\n')}`);
      state.set('unsafe-operation', fingerprint);
      if (unsafe.length > 0) {
        unsafeOperations.set(key, unsafe);
      }
      const was = before?.unsafeOperations;
      const known = new Set(was ?? []);
      const gained = unsafe.filter(operation => !known.has(operation));
      if (before && was && gained.length > 0) {
        const one = gained.length === 1;
        const others = unsafe.length - gained.length;
        notifications.push({
          ...base,
          cause: 'unsafe-operation',
          fingerprint,
          title: one
            ? `${name}: ${plannedMesh} would retry ${gained[0]}, which is not idempotent`
            : `${name}: ${plannedMesh} would retry ${gained.length} more operations that are not idempotent`,
          description: `${result.entityRef} serves ${
            one ? 'an operation' : `${gained.length} operations`
          } that ${plannedMesh} would retry by default and that ${
            one ? 'is' : 'are'
          } not idempotent, new since the previous snapshot: ${listSome(
            gained,
          )}.${
            others > 0
              ? ` ${others} more ${
                  others === 1 ? 'was' : 'were'
                } found before: ${listSome(
                  unsafe.filter(operation => known.has(operation)),
                )}.`
              : ''
          } Make them idempotent or list them in mesh-readiness.io/no-retry-routes.`,
          severity: 'high',
          scope: `mesh-readiness:unsafe-operation:${key}`,
        });
      }
    }

    if (settings.waiverExpiring) {
      const waivers = expiringWaiversOf(result, takenAt, settings.waiverDays);
      const fingerprint = fingerprintOf(
        `waivers:${waivers.map(w => `${w.checkId}@${w.until}`).join('\n')}`,
      );
      state.set('waiver-expiring', fingerprint);
      if (waivers.length > 0) {
        const first = waivers[0];
        const left = daysLeft(first, takenAt);
        notifications.push({
          ...base,
          cause: 'waiver-expiring',
          fingerprint,
          title:
            waivers.length === 1
              ? `${name}: the waiver for ${first.checkId} ends on ${first.until}`
              : `${name}: ${waivers.length} waivers end by ${
                  waivers[waivers.length - 1].until
                }`,
          description: `${waivers
            .map(
              w =>
                `The waiver of ${result.entityRef} for ${w.checkId} ends on ${
                  w.until
                } (${inDays(daysLeft(w, takenAt))})${
                  w.reason ? `: ${w.reason}` : ''
                }.`,
            )
            .join(
              ' ',
            )} After that the check counts again: fix what it found, or extend mesh-readiness.io/waive.${
            first.checkId
          }.`,
          severity: left <= 1 ? 'high' : 'normal',
          scope: `mesh-readiness:waiver-expiring:${key}`,
        });
      }
    }
  }
  return { notifications, states, unsafeOperations };
}
