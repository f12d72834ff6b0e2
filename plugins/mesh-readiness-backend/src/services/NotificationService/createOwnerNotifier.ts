import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { EntityResult } from '@mesh-readiness/plugin-mesh-readiness-common';
import type { SnapshotRecord } from '../../database/types';
import { findOwnerNotifications, NOTIFICATION_TOPIC } from './causes';
import type { NotificationOptions } from './notificationOptions';
import type { NotificationStore } from './NotificationStore';

/** What one snapshot did about notifications. */
export interface OwnerNotifierOutcome {
  /** Notifications sent by this call, those of earlier snapshots included. */
  sent: number;
  /** Notifications the snapshot found that were recorded already. */
  unchanged: number;
  /** Notifications left pending: the notifications backend did not take them. */
  pending: number;
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

const NOTHING: OwnerNotifierOutcome = { sent: 0, unchanged: 0, pending: 0 };

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

    const outcome = { sent: 0, unchanged: 0, pending: 0 };
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

    // Every pending notification, this snapshot's and those a failed send
    // left: each is sent by the one replica whose take lands.
    let failure: unknown;
    for (const pending of await store.listPending()) {
      if (failure !== undefined) {
        outcome.pending++;
        continue;
      }
      if (!(await store.take(pending, new Date()))) {
        continue;
      }
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: [pending.owner] },
          payload: pending.payload,
        });
        outcome.sent++;
      } catch (error) {
        // Put back for the next snapshot; the rest of this one is not
        // tried: the notifications backend is down or not installed.
        await store.putBack(pending);
        failure = error;
        outcome.pending++;
      }
    }
    if (failure !== undefined) {
      logger.warn(
        `Mesh readiness could not notify owners: ${
          failure instanceof Error ? failure.message : String(failure)
        }. ${
          outcome.pending
        } notification(s) wait for the next snapshot; is @backstage/plugin-notifications-backend installed? meshReadiness.notifications.enabled: false stops them.`,
      );
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
          } failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return NOTHING;
      }
    },
  };
}
