import { ConfigReader } from '@backstage/config';
import { readNotificationOptions } from './notificationOptions';

function read(notifications: unknown) {
  return readNotificationOptions(
    new ConfigReader({ meshReadiness: { notifications } } as any),
  );
}

describe('readNotificationOptions', () => {
  it('turns every cause on, with a 14-day waiver window, by default', () => {
    expect(readNotificationOptions(new ConfigReader({}))).toEqual({
      enabled: true,
      levelDropped: true,
      unsafeOperations: true,
      waiverExpiring: true,
      waiverDays: 14,
    });
  });

  it('reads each switch and the window', () => {
    expect(
      read({ levelDropped: false, waiverExpiring: false, waiverDays: 30 }),
    ).toEqual({
      enabled: true,
      levelDropped: false,
      unsafeOperations: true,
      waiverExpiring: false,
      waiverDays: 30,
    });
    expect(read({ enabled: false }).enabled).toBe(false);
  });

  it.each([
    [
      { waiverDays: 0 },
      'Invalid configuration at meshReadiness.notifications.waiverDays: must be a whole number of days between 1 and 365 (default 14), got 0',
    ],
    [
      { waiverDays: 2.5 },
      'Invalid configuration at meshReadiness.notifications.waiverDays: must be a whole number of days between 1 and 365 (default 14), got 2.5',
    ],
    [
      { enabled: 'yes' },
      'Invalid configuration at meshReadiness.notifications.enabled: must be true or false, got "yes"',
    ],
    [
      { levelDrop: true },
      'Invalid configuration at meshReadiness.notifications.levelDrop: unknown key (enabled, levelDropped, unsafeOperations, waiverExpiring and waiverDays are known)',
    ],
    [
      true,
      'Invalid configuration at meshReadiness.notifications: must be an object with enabled, levelDropped, unsafeOperations, waiverExpiring and waiverDays',
    ],
  ])('refuses %j, naming the key', (value, message) => {
    expect(() => read(value)).toThrow(message);
  });
});
