import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import type { CatalogReader } from '../CatalogReader/types';
import { createVisibilityService } from './createVisibilityService';

/** A reader whose answers the test controls: the catalog is the outside here. */
function fakeReader() {
  const state = { refs: ['component:default/a'], down: false, calls: 0 };
  const reader: CatalogReader = {
    readAll: jest.fn(),
    readEntity: jest.fn(),
    readOwnedBy: jest.fn(),
    async readVisibleRefs() {
      state.calls++;
      if (state.down) {
        throw new ServiceUnavailableError(
          'The catalog could not be read: down',
        );
      }
      return new Set(state.refs);
    },
  };
  return { reader, state };
}

describe('createVisibilityService', () => {
  it('reuses an answer per principal until it expires', async () => {
    const { reader, state } = fakeReader();
    let now = 1_000;
    const service = createVisibilityService({
      reader,
      logger: mockServices.logger.mock(),
      ttlMs: 100,
      now: () => now,
    });
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');

    const [a1, a2] = await Promise.all([
      service.forCaller(alice),
      service.forCaller(alice),
    ]);
    expect(a1).toBe(a2);
    expect(state.calls).toBe(1);
    await service.forCaller(bob);
    expect(state.calls).toBe(2);

    state.refs = ['component:default/b'];
    expect([...(await service.forCaller(alice)).refs]).toEqual([
      'component:default/a',
    ]);
    now += 101;
    expect([...(await service.forCaller(alice)).refs]).toEqual([
      'component:default/b',
    ]);
  });

  it('falls back to the last answer, marked stale, when the catalog is down', async () => {
    const { reader, state } = fakeReader();
    let now = 0;
    const service = createVisibilityService({
      reader,
      logger: mockServices.logger.mock(),
      ttlMs: 100,
      now: () => now,
    });
    const alice = mockCredentials.user('user:default/alice');
    const first = await service.forCaller(alice);
    expect(first.staleReason).toBeUndefined();

    state.down = true;
    now += 200;
    const stale = await service.forCaller(alice);
    expect(stale.refs).toBe(first.refs);
    expect(stale.staleReason).toMatch(
      /could not be read.*Showing what you could see at/,
    );

    // Unknown principals get no rows at all.
    await expect(
      service.forCaller(mockCredentials.user('user:default/bob')),
    ).rejects.toThrow(/cannot be checked/);

    state.down = false;
    now += 200;
    expect((await service.forCaller(alice)).staleReason).toBeUndefined();
  });

  it('passes on errors that are not outages', async () => {
    const reader: CatalogReader = {
      readAll: jest.fn(),
      readEntity: jest.fn(),
      readOwnedBy: jest.fn(),
      readVisibleRefs: async () => {
        throw new Error('boom');
      },
    };
    const service = createVisibilityService({
      reader,
      logger: mockServices.logger.mock(),
    });
    await expect(
      service.forCaller(mockCredentials.service('plugin:x')),
    ).rejects.toThrow('boom');
  });
});
