import type { Config } from '@backstage/config';
import { wholeNumberIn } from '../../options';

/** `meshReadiness.notifications`: what is sent to the owners of services. */
export interface NotificationOptions {
  /** Off: nothing is sent and nothing is recorded. */
  enabled: boolean;
  /** A service's level fell below the one of the previous snapshot. */
  levelDropped: boolean;
  /** More operations that are not idempotent would be retried by the mesh. */
  unsafeOperations: boolean;
  /** A waiver ends within `waiverDays`. */
  waiverExpiring: boolean;
  /** How many days before a waiver ends its owners hear of it. */
  waiverDays: number;
}

export const DEFAULT_NOTIFICATION_OPTIONS: NotificationOptions = {
  enabled: true,
  levelDropped: true,
  unsafeOperations: true,
  waiverExpiring: true,
  waiverDays: 14,
};

/** Bounds of `meshReadiness.notifications.waiverDays`. */
export const WAIVER_DAYS_RANGE = { min: 1, max: 365 };

const SWITCHES = [
  'enabled',
  'levelDropped',
  'unsafeOperations',
  'waiverExpiring',
] as const;

const KEY = 'meshReadiness.notifications';

/**
 * Reads and checks `meshReadiness.notifications`; throws an Error that
 * names the offending key, so the backend refuses to start.
 */
export function readNotificationOptions(
  rootConfig: Config,
): NotificationOptions {
  const raw = rootConfig.getOptional(KEY);
  if (raw === undefined) {
    return DEFAULT_NOTIFICATION_OPTIONS;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      `Invalid configuration at ${KEY}: must be an object with ${SWITCHES.join(
        ', ',
      )} and waiverDays`,
    );
  }
  const options = { ...DEFAULT_NOTIFICATION_OPTIONS };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'waiverDays') {
      options.waiverDays = wholeNumberIn(
        `${KEY}.waiverDays`,
        value,
        WAIVER_DAYS_RANGE,
        DEFAULT_NOTIFICATION_OPTIONS.waiverDays,
        'days',
      );
    } else if ((SWITCHES as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') {
        throw new Error(
          `Invalid configuration at ${KEY}.${key}: must be true or false, got ${JSON.stringify(
            value,
          )}`,
        );
      }
      options[key as (typeof SWITCHES)[number]] = value;
    } else {
      throw new Error(
        `Invalid configuration at ${KEY}.${key}: unknown key (${SWITCHES.join(
          ', ',
        )} and waiverDays are known)`,
      );
    }
  }
  return options;
}
