import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { EntityResult } from '@mesh-readiness/plugin-mesh-readiness-common';
import pLimit from 'p-limit';
import type { SnapshotRecord } from '../../database/types';
import { findOwnerNotifications, NOTIFICATION_TOPIC } from './causes';
import type { NotificationOptions } from './notificationOptions';
import type {
  NotificationStore,
  PendingNotification,
} from './NotificationStore';

/** What one snapshot did about notifications. */
export interface OwnerNotifierOutcome {
  /** Notifications sent by this call, those of earlier snapshots included. */
  sent: number;
  /** Notifications the snapshot found that were recorded already. */
  unchanged: number;
  /** Notifications left pending: the notifications backend did not take them. */
  pending: number;
  /** Notifications given up: the notifications backend rejected them too often. */
  givenUp: number;
}

export interface OwnerNotifier {
  /**
   * Runs after a snapshot is stored: compares its results with the
   * previous snapshot's rows, records the notifications they call for and
   * sends those pending, each once. Never throws: a failure is logged.
   */
  afterSnapshot(
    record: SnapshotRecord,
    results: readonly EntityResult[],
  ): Promise<OwnerNotifierOutcome>;
}

const NOTHING: OwnerNotifierOutcome = {
  sent: 0,
  unchanged: 0,
  pending: 0,
  givenUp: 0,
};

/** Sends at once, at most. */
const SEND_CONCURRENCY = 4;

/**
 * Failed sends of a notification, in rounds where another send succeeded,
 * after which it is given up: the notifications backend is up and rejects
 * this one.
 */
const MAX_ATTEMPTS = 3;

/**
 * The longest title sent: the notifications backend stores titles in a
 * varchar(255) and rejects longer ones on PostgreSQL.
 */
const MAX_TITLE_LENGTH = 200;

/** The longest description sent. */
const MAX_DESCRIPTION_LENGTH = 2000;

/** `text` cut to at most `max` characters, ending in an ellipsis if cut. */
function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A payload within the lengths the notifications backend stores. */
function sendable(
  payload: PendingNotification['payload'],
): PendingNotification['payload'] {
  return {
    ...payload,
    title: clip(payload.title, MAX_TITLE_LENGTH),
    ...(payload.description !== undefined && {
      description: clip(payload.description, MAX_DESCRIPTION_LENGTH),
    }),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createOwnerNotifier(options: {
  store: NotificationStore;
  notifications: NotificationService;
  settings: NotificationOptions;
  logger: LoggerService;
}): OwnerNotifier {
  const { store, notifications, settings, logger } = options;

  async function notify(
    record: SnapshotRecord,
    results: readonly EntityResult[],
  ): Promise<OwnerNotifierOutcome> {
    const previous = await store.previousRows(record.id);
    const found = findOwnerNotifications({
      results,
      previous,
      takenAt: record.takenAt,
      settings,
      mesh: record.org.recommendation?.mesh,
    });

    // Notifications whose state moved on are forgotten, sent or not: the
    // same change, should it come back, is news again.
    await store.forget(
      (
        await store.listMarks()
      ).filter(
        mark =>
          found.states.get(mark.key)?.get(mark.cause) !== mark.fingerprint,
      ),
    );

    const outcome = { sent: 0, unchanged: 0, pending: 0, givenUp: 0 };
    const now = new Date();
    for (const n of found.notifications) {
      const recorded = await store.record(
        {
          key: n.key,
          cause: n.cause,
          fingerprint: n.fingerprint,
          owner: n.owner,
          payload: {
            title: n.title,
            description: n.description,
            link: n.link,
            severity: n.severity,
            topic: NOTIFICATION_TOPIC,
            scope: n.scope,
          },
        },
        now,
      );
      if (!recorded) {
        outcome.unchanged++;
      }
    }

    await store.keepUnsafeOperations(record.id, found.unsafeOperations);

    // Every pending notification, this snapshot's and those a failed send
    // left: each is sent by the one replica whose take lands. A failed send
    // is put back for the next snapshot and does not hold up the others.
    const failures: Array<{ pending: PendingNotification; error: unknown }> =
      [];
    const limit = pLimit(SEND_CONCURRENCY);
    const send = async (pending: PendingNotification) => {
      if (!(await store.take(pending, new Date()))) {
        return;
      }
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: [pending.owner] },
          payload: sendable(pending.payload),
        });
        outcome.sent++;
      } catch (error) {
        await store.putBack(pending);
        failures.push({ pending, error });
        outcome.pending++;
      }
    };
    await Promise.all(
      (await store.listPending()).map(pending => limit(() => send(pending))),
    );
    if (failures.length > 0 && outcome.sent === 0) {
      // Likely the notifications backend is down or not installed: one
      // warning for all.
      logger.warn(
        `Mesh readiness could not notify owners: ${messageOf(
          failures[0].error,
        )}. ${
          outcome.pending
        } notification(s) wait for the next snapshot; is @backstage/plugin-notifications-backend installed? meshReadiness.notifications.enabled: false stops them.`,
      );
    } else {
      // Others were sent: the notifications backend is up and rejected
      // these. Each rejection counts towards giving up.
      for (const { pending, error } of failures) {
        const what = `the ${pending.cause} notification about ${pending.key} to ${pending.owner}`;
        if (await store.countRejection(pending, MAX_ATTEMPTS, new Date())) {
          outcome.pending--;
          outcome.givenUp++;
          logger.warn(
            `Mesh readiness gave up ${what} after ${MAX_ATTEMPTS} rejected sends: ${messageOf(
              error,
            )}. It is not tried again until the service's state for ${
              pending.cause
            } changes.`,
          );
        } else {
          logger.warn(
            `Mesh readiness could not send ${what}: ${messageOf(
              error,
            )}. It waits for the next snapshot.`,
          );
        }
      }
    }
    if (outcome.sent > 0) {
      logger.info(
        `Mesh readiness snapshot ${record.id}: ${outcome.sent} notification(s) sent to owners`,
      );
    }
    return outcome;
  }

  return {
    async afterSnapshot(record, results) {
      if (!settings.enabled) {
        return NOTHING;
      }
      try {
        return await notify(record, results);
      } catch (error) {
        logger.error(
          `Mesh readiness owner notifications of snapshot ${
            record.id
          } failed: ${messageOf(error)}`,
        );
        return NOTHING;
      }
    },
  };
}
