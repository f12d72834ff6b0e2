import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { Knex } from 'knex';
import { statusesOf } from '../../database/rows';
import type { NotificationCause, PreviousRow } from './causes';

/** A notification as recorded: about which service, why, in which state. */
export interface NotificationMark {
  /** The lower-cased entity ref. */
  key: string;
  cause: NotificationCause;
  fingerprint: string;
}

/** A recorded notification that waits to be sent. */
export interface PendingNotification extends NotificationMark {
  owner: string;
  payload: NotificationSendOptions['payload'];
}

/** Rows per statement: below SQLite's and PostgreSQL's bind limits. */
const BATCH_SIZE = 250;

function where(mark: NotificationMark) {
  return {
    entity_ref: mark.key,
    cause: mark.cause,
    fingerprint: mark.fingerprint,
  };
}

/**
 * What the owner notifications read and write in the plugin's database:
 * the rows of the snapshot before a new one, and `owner_notifications`,
 * the record of every notification, pending, sent or given up (see the
 * migrations `20261216_ownerNotifications.js` and
 * `20261224_ownerNotificationAttempts.js`).
 */
export class NotificationStore {
  constructor(private readonly db: Knex) {}

  /** The newest snapshot taken before `snapshotId`, not a live report. */
  private async snapshotBefore(
    snapshotId: number,
  ): Promise<number | undefined> {
    const head = await this.db('snapshots')
      .select('id')
      .whereNull('live_for')
      .where('id', '<', snapshotId)
      .orderBy('id', 'desc')
      .first();
    return head ? Number(head.id) : undefined;
  }

  /**
   * The level and unsafe operations of each in-scope Component row of the
   * newest snapshot taken before `snapshotId` (live reports are not
   * snapshots), by lower-cased ref; empty when there is none. The
   * operations are those {@link keepUnsafeOperations} kept of that
   * snapshot; none when its row counts none; null when the row counts some
   * and they were not kept (notifications were off, or the snapshot was
   * taken before they were kept).
   */
  async previousRows(snapshotId: number): Promise<Map<string, PreviousRow>> {
    const out = new Map<string, PreviousRow>();
    const head = await this.snapshotBefore(snapshotId);
    if (head === undefined) {
      return out;
    }
    const rows = await this.db('snapshot_rows')
      .select('entity_ref', 'level', 'retry_operations', 'statuses')
      .where('snapshot_id', head)
      .where('entity_ref', 'like', 'component:%')
      .where('in_scope', true);
    const kept = new Map<string, string[]>();
    for (const row of await this.db('owner_notification_operations')
      .select('entity_ref', 'operations')
      .where('snapshot_id', head)) {
      kept.set(row.entity_ref, JSON.parse(row.operations));
    }
    for (const row of rows) {
      const key = String(row.entity_ref).toLocaleLowerCase('en-US');
      out.set(key, {
        level: row.level ?? null,
        unsafeOperations: Number(row.retry_operations ?? 0)
          ? kept.get(key) ?? null
          : [],
        statuses: statusesOf(row.statuses),
      });
    }
    return out;
  }

  /**
   * Keeps the unsafe operations of a snapshot's services (lower-cased ref →
   * operations, services with none left out), for the next snapshot to
   * compare with, and forgets those of the snapshots before the one before
   * it.
   */
  async keepUnsafeOperations(
    snapshotId: number,
    operations: ReadonlyMap<string, readonly string[]>,
  ): Promise<void> {
    const rows = [...operations].map(([key, list]) => ({
      snapshot_id: snapshotId,
      entity_ref: key,
      operations: JSON.stringify(list),
    }));
    for (let i = 0; i < rows.length; i += BATCH_SIZE) {
      await this.db('owner_notification_operations')
        .insert(rows.slice(i, i + BATCH_SIZE))
        .onConflict(['snapshot_id', 'entity_ref'])
        .ignore();
    }
    const head = await this.snapshotBefore(snapshotId);
    await this.db('owner_notification_operations')
      .where('snapshot_id', '<', head ?? snapshotId)
      .delete();
  }

  /** Every recorded notification, pending, sent or given up. */
  async listMarks(): Promise<NotificationMark[]> {
    const rows = await this.db('owner_notifications').select(
      'entity_ref',
      'cause',
      'fingerprint',
    );
    return rows.map(row => ({
      key: row.entity_ref,
      cause: row.cause,
      fingerprint: row.fingerprint,
    }));
  }

  /**
   * Records a notification, pending, unless it is recorded already: true
   * when this call inserted it, false when an earlier snapshot or another
   * replica did.
   */
  async record(notification: PendingNotification, at: Date): Promise<boolean> {
    const inserted = await this.db('owner_notifications')
      .insert({
        ...where(notification),
        owner: notification.owner,
        payload: JSON.stringify(notification.payload),
        created_at: at,
        sent_at: null,
      })
      .onConflict(['entity_ref', 'cause', 'fingerprint'])
      .ignore()
      .returning('entity_ref');
    return inserted.length > 0;
  }

  /**
   * The recorded notifications no one has sent yet nor given up, oldest
   * first.
   */
  async listPending(): Promise<PendingNotification[]> {
    const rows = await this.db('owner_notifications')
      .select('entity_ref', 'cause', 'fingerprint', 'owner', 'payload')
      .whereNull('sent_at')
      .whereNull('given_up_at')
      .orderBy('created_at')
      .orderBy('entity_ref')
      .orderBy('cause')
      .orderBy('fingerprint');
    return rows.map(row => ({
      key: row.entity_ref,
      cause: row.cause,
      fingerprint: row.fingerprint,
      owner: row.owner,
      payload: JSON.parse(row.payload),
    }));
  }

  /**
   * Takes a pending notification to send it: true for the one caller, on
   * any replica, that finds it pending.
   */
  async take(mark: NotificationMark, at: Date): Promise<boolean> {
    const updated = await this.db('owner_notifications')
      .where(where(mark))
      .whereNull('sent_at')
      .whereNull('given_up_at')
      .update({ sent_at: at });
    return Number(updated) === 1;
  }

  /** Puts back a notification that was taken and could not be sent. */
  async putBack(mark: NotificationMark): Promise<void> {
    await this.db('owner_notifications')
      .where(where(mark))
      .update({ sent_at: null });
  }

  /**
   * Counts a failed send of a notification the notifications backend
   * rejected, put back pending, and gives it up at `maxAttempts`: true
   * when this call gave it up. A given-up notification is no longer pending, and stays recorded
   * until its state moves on, so that it is not recorded and tried again.
   */
  async countRejection(
    mark: NotificationMark,
    maxAttempts: number,
    at: Date,
  ): Promise<boolean> {
    await this.db('owner_notifications')
      .where(where(mark))
      .whereNull('sent_at')
      .whereNull('given_up_at')
      .increment('attempts', 1);
    const givenUp = await this.db('owner_notifications')
      .where(where(mark))
      .whereNull('sent_at')
      .whereNull('given_up_at')
      .where('attempts', '>=', maxAttempts)
      .update({ given_up_at: at });
    return Number(givenUp) === 1;
  }

  /** Forgets notifications, sent, pending or given up, whose state moved on. */
  async forget(marks: readonly NotificationMark[]): Promise<void> {
    for (let i = 0; i < marks.length; i += BATCH_SIZE) {
      const chunk = marks.slice(i, i + BATCH_SIZE);
      await this.db('owner_notifications')
        .where(builder => {
          for (const mark of chunk) {
            builder.orWhere(where(mark));
          }
        })
        .delete();
    }
  }
}
