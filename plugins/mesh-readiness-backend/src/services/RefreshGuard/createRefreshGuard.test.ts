import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createRefreshGuard,
  TooManyRefreshesError,
} from './createRefreshGuard';

describe('createRefreshGuard', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  function guard(clock: { now: number }) {
    return createRefreshGuard({
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      limits: { maxPerCaller: 2, windowSeconds: 60 },
      now: () => clock.now,
    });
  }

  it('lets a caller refresh again once their oldest refresh leaves the window', async () => {
    const clock = { now: 1_000_000 };
    const refreshes = guard(clock);
    await refreshes.admit(alice);
    clock.now += 20_000;
    await refreshes.admit(alice);
    clock.now += 10_000;
    const refused = await refreshes.admit(alice).catch(e => e);
    expect(refused).toBeInstanceOf(TooManyRefreshesError);
    // The first refresh leaves the window 30 s from now.
    expect(refused.retryAfterSeconds).toBe(30);
    expect(refused.message).toContain('Try again in 30 seconds.');

    // Another caller has a count of their own.
    await expect(refreshes.admit(bob)).resolves.toBeUndefined();

    clock.now += 30_000;
    await expect(refreshes.admit(alice)).resolves.toBeUndefined();
    // The second one is still in the window: it leaves it in 20 s.
    const again = await refreshes.admit(alice).catch(e => e);
    expect(again.retryAfterSeconds).toBe(20);
  });

  it('answers NotAllowedError when the policy denies, without counting it', async () => {
    const clock = { now: 0 };
    let allow = false;
    const refreshes = createRefreshGuard({
      permissions: {
        async authorize(requests) {
          return requests.map(() => ({
            result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          }));
        },
        async authorizeConditional() {
          throw new Error('not used');
        },
      },
      limits: { maxPerCaller: 1, windowSeconds: 60 },
      now: () => clock.now,
    });
    await expect(refreshes.admit(alice)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    allow = true;
    await expect(refreshes.admit(alice)).resolves.toBeUndefined();
  });
});
