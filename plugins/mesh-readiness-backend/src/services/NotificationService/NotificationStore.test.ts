import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import type { EntityResult } from '@mesh-readiness/plugin-mesh-readiness-common';
import knexFactory, { Knex } from 'knex';
import { DatabaseSnapshotStore } from '../../database/DatabaseSnapshotStore';
import { entityResult, orgResult } from '../../__testUtils__/fixtures';
import { createOwnerNotifier } from './createOwnerNotifier';
import { DEFAULT_NOTIFICATION_OPTIONS } from './notificationOptions';
import { NotificationStore, PendingNotification } from './NotificationStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

/** Where the notifications go: the boundary to the notifications backend. */
function outbox(): NotificationService & { sent: NotificationSendOptions[] } {
  const sent: NotificationSendOptions[] = [];
  return {
    sent,
    async send(options) {
      sent.push(options);
    },
  };
}

describe.each(databases.eachSupportedId())('NotificationStore (%s)', id => {
  const pools: Knex[] = [];

  /** The database migrated, and a second connection pool to it where there can be one. */
  async function setUp() {
    const knex = await databases.init(id);
    const snapshots = await DatabaseSnapshotStore.create({
      database: mockServices.database({ knex }),
    });
    // In-memory SQLite is one connection; PostgreSQL gets a second pool,
    // as a second replica would have.
    const other =
      id === 'POSTGRES_15'
        ? knexFactory({
            client: knex.client.config.client,
            connection: knex.client.config.connection,
            pool: { min: 0, max: 5 },
          })
        : knex;
    if (other !== knex) {
      pools.push(other);
    }
    return { knex, other, snapshots };
  }

  afterAll(async () => {
    await Promise.all(pools.map(pool => pool.destroy()));
  });

  async function write(
    snapshots: DatabaseSnapshotStore,
    takenAt: string,
    results: EntityResult[],
  ) {
    return snapshots.writeSnapshot({
      takenAt: new Date(takenAt),
      durationMs: 1,
      org: orgResult({
        recommendation: {
          mesh: 'istio-sidecar',
          reasons: [],
          caveats: [],
          sources: [],
          alternatives: [],
        },
      }),
      context: [],
      results,
      entities: new Map(),
      ownerHistory: [],
    });
  }

  it('reads the rows of the newest snapshot before the one given, not of live reports', async () => {
    const { knex, snapshots } = await setUp();
    const store = new NotificationStore(knex);
    const first = await write(snapshots, '2026-12-01T00:00:00Z', [
      entityResult('orders', { level: 'optimal' }),
    ]);
    const second = await write(snapshots, '2026-12-02T00:00:00Z', [
      entityResult('orders', {
        level: 'production-ready',
        checks: [
          {
            id: 'retry-safety',
            status: 'fail',
            message: '',
            operations: [
              {
                api: 'api:default/orders',
                operation: 'POST /orders',
                idempotent: false,
                retrySafe: false,
                reason: '',
              },
            ],
          },
        ],
      }),
      entityResult('batch', { inScope: false, level: null }),
      {
        ...entityResult('orders-api', { level: 'pilot-ready' }),
        entityRef: 'api:default/orders-api',
        kind: 'API',
      },
    ]);
    await snapshots.writeLiveReport({
      principal: 'user:default/alice',
      takenAt: new Date('2026-12-02T12:00:00Z'),
      org: orgResult(),
      results: [entityResult('orders', { level: 'not-ready' })],
    });
    const third = await write(snapshots, '2026-12-03T00:00:00Z', []);

    // Each check's status as the row stored it (entityResult's checks).
    const statuses = new Map([
      ['owner', 'pass'],
      ['tracing', 'fail'],
      ['protocols', 'unknown'],
    ]);
    expect(await store.previousRows(first.id)).toEqual(new Map());
    expect(await store.previousRows(second.id)).toEqual(
      new Map([
        [
          'component:default/orders',
          { level: 'optimal', unsafeOperations: [], statuses },
        ],
      ]),
    );
    // In-scope components only, and the live report taken since is skipped.
    // The row counts one unsafe operation, and which was not kept.
    expect(await store.previousRows(third.id)).toEqual(
      new Map([
        [
          'component:default/orders',
          {
            level: 'production-ready',
            unsafeOperations: null,
            statuses: new Map([['retry-safety', 'fail']]),
          },
        ],
      ]),
    );

    // Kept, they are read back; those of older snapshots are forgotten.
    const kept = ['POST /orders (api:default/orders)'];
    await store.keepUnsafeOperations(
      second.id,
      new Map([['component:default/orders', kept]]),
    );
    expect(await store.previousRows(third.id)).toEqual(
      new Map([
        [
          'component:default/orders',
          {
            level: 'production-ready',
            unsafeOperations: kept,
            statuses: new Map([['retry-safety', 'fail']]),
          },
        ],
      ]),
    );
    await store.keepUnsafeOperations(third.id, new Map());
    const fourth = await write(snapshots, '2026-12-04T00:00:00Z', []);
    await store.keepUnsafeOperations(fourth.id, new Map());
    expect(await knex('owner_notification_operations')).toEqual([]);
  });

  it('tells of an unsafe operation that replaced a fixed one after the snapshot that kept them', async () => {
    const { knex, snapshots } = await setUp();
    const sent = outbox();
    const notifier = createOwnerNotifier({
      store: new NotificationStore(knex),
      notifications: sent,
      settings: DEFAULT_NOTIFICATION_OPTIONS,
      logger: mockServices.logger.mock(),
    });
    const orders = (unsafe: string[]) => [
      entityResult('orders', {
        checks: [
          {
            id: 'retry-safety',
            status: 'fail',
            message: '',
            operations: unsafe.map(operation => ({
              api: 'api:default/orders',
              operation,
              idempotent: false,
              retrySafe: false,
              reason: '',
            })),
          },
        ],
      }),
    ];
    const step = async (takenAt: string, unsafe: string[]) => {
      const record = await write(snapshots, takenAt, orders(unsafe));
      await notifier.afterSnapshot(record, orders(unsafe));
      return sent.sent.map(s => s.payload.title);
    };
    expect(await step('2026-12-01T00:00:00Z', ['POST /orders'])).toEqual([]);
    // One fixed, another added: as many as before, and news.
    expect(await step('2026-12-02T00:00:00Z', ['POST /refunds'])).toEqual([
      'orders: Istio (sidecars) would retry POST /refunds (api:default/orders), which is not idempotent',
    ]);
    // Told once while nothing changes.
    expect(await step('2026-12-03T00:00:00Z', ['POST /refunds'])).toHaveLength(
      1,
    );
  });

  it('records a notification once, and lets one of many concurrent takes win', async () => {
    const { knex, other } = await setUp();
    const stores = [new NotificationStore(knex), new NotificationStore(other)];
    const pending: PendingNotification = {
      key: 'component:default/orders',
      cause: 'level-dropped',
      fingerprint: 'a'.repeat(64),
      owner: 'group:default/team-a',
      payload: { title: 'orders dropped', topic: 'Mesh readiness' },
    };
    const at = new Date();
    const recorded = await Promise.all(
      Array.from({ length: 8 }, (_, i) => stores[i % 2].record(pending, at)),
    );
    expect(recorded.filter(Boolean)).toHaveLength(1);
    // Another cause or state of the same service is another notification.
    expect(
      await stores[0].record({ ...pending, cause: 'unsafe-operation' }, at),
    ).toBe(true);
    expect(
      await stores[1].record({ ...pending, fingerprint: 'b'.repeat(64) }, at),
    ).toBe(true);
    expect(await stores[1].listPending()).toEqual([
      pending,
      { ...pending, fingerprint: 'b'.repeat(64) },
      { ...pending, cause: 'unsafe-operation' },
    ]);

    const taken = await Promise.all(
      Array.from({ length: 8 }, (_, i) => stores[i % 2].take(pending, at)),
    );
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await stores[0].listPending()).toHaveLength(2);
    // Put back after a failed send, it can be taken again.
    await stores[1].putBack(pending);
    expect(await stores[0].take(pending, at)).toBe(true);
    // Forgotten, it can be recorded again.
    await stores[0].forget([pending]);
    expect(await stores[0].listMarks()).toHaveLength(2);
    expect(await stores[1].record(pending, at)).toBe(true);
  });

  it('sends a change once when two replicas notify of the same snapshot at once, and again once it came back', async () => {
    const { knex, other, snapshots } = await setUp();
    const sent = outbox();
    const logger = mockServices.logger.mock();
    const notifiers = [knex, other].map(db =>
      createOwnerNotifier({
        store: new NotificationStore(db),
        notifications: sent,
        settings: DEFAULT_NOTIFICATION_OPTIONS,
        logger,
      }),
    );
    const orders = (level: EntityResult['level']) => [
      entityResult('orders', { level }),
    ];
    await write(snapshots, '2026-12-01T00:00:00Z', orders('optimal'));
    const dropped = await write(
      snapshots,
      '2026-12-02T00:00:00Z',
      orders('pilot-ready'),
    );
    const outcomes = await Promise.all(
      notifiers.map(n => n.afterSnapshot(dropped, orders('pilot-ready'))),
    );
    expect(outcomes.map(o => o.sent).sort()).toEqual([0, 1]);
    expect(sent.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: ['group:default/team-a'] },
        payload: expect.objectContaining({
          title: 'orders: mesh readiness dropped from optimal to pilot-ready',
          link: '/catalog/default/component/orders/mesh-readiness',
          topic: 'Mesh readiness',
          scope: 'mesh-readiness:level-dropped:component:default/orders',
        }),
      },
    ]);

    // Back up, then down to the same level: a new drop, told again.
    const up = await write(
      snapshots,
      '2026-12-03T00:00:00Z',
      orders('optimal'),
    );
    await notifiers[0].afterSnapshot(up, orders('optimal'));
    const again = await write(
      snapshots,
      '2026-12-04T00:00:00Z',
      orders('pilot-ready'),
    );
    await notifiers[1].afterSnapshot(again, orders('pilot-ready'));
    expect(sent.sent).toHaveLength(2);
  });

  it('keeps what it could not send, stops trying for the snapshot, and sends it after the next one', async () => {
    const { knex, snapshots } = await setUp();
    const store = new NotificationStore(knex);
    const sent = outbox();
    let down = true;
    const logger = mockServices.logger.mock();
    const notifier = createOwnerNotifier({
      store,
      notifications: {
        async send(options) {
          if (down) {
            throw new Error('Failed to send notifications: 404');
          }
          await sent.send(options);
        },
      },
      settings: DEFAULT_NOTIFICATION_OPTIONS,
      logger,
    });
    const results = (level: EntityResult['level']) => [
      entityResult('a', { level }),
      entityResult('b', { level }),
    ];
    await write(snapshots, '2026-12-01T00:00:00Z', results('optimal'));
    const dropped = await write(
      snapshots,
      '2026-12-02T00:00:00Z',
      results('not-ready'),
    );
    expect(await notifier.afterSnapshot(dropped, results('not-ready'))).toEqual(
      { sent: 0, unchanged: 0, pending: 2, givenUp: 0 },
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Mesh readiness could not notify owners: Failed to send notifications: 404. 2 notification(s) wait for the next snapshot',
      ),
    );
    expect(await store.listPending()).toHaveLength(2);

    // The next snapshot finds no change, and sends what waited.
    down = false;
    const next = await write(
      snapshots,
      '2026-12-02T01:00:00Z',
      results('not-ready'),
    );
    expect(await notifier.afterSnapshot(next, results('not-ready'))).toEqual({
      sent: 2,
      unchanged: 0,
      pending: 0,
      givenUp: 0,
    });
    expect(sent.sent.map(s => s.payload.title).sort()).toEqual([
      'a: mesh readiness dropped from optimal to not-ready',
      'b: mesh readiness dropped from optimal to not-ready',
    ]);
    expect(await store.listPending()).toEqual([]);
  });

  it('sends the others when the notifications backend rejects one, names the one in the log, and tries it again after the next snapshot', async () => {
    const { knex, snapshots } = await setUp();
    const store = new NotificationStore(knex);
    const sent = outbox();
    const logger = mockServices.logger.mock();
    const notifier = createOwnerNotifier({
      store,
      notifications: {
        async send(options) {
          const recipients = options.recipients;
          if (
            recipients.type === 'entity' &&
            recipients.entityRef.includes('group:default/gone')
          ) {
            throw new Error('Request failed with 400 Bad Request');
          }
          await sent.send(options);
        },
      },
      settings: DEFAULT_NOTIFICATION_OPTIONS,
      logger,
    });
    // `a` is sent first (oldest, then by ref), and rejected.
    const results = (level: EntityResult['level']) => [
      entityResult('a', { level, owner: 'group:default/gone' }),
      ...['b', 'c', 'd', 'e', 'f'].map(name => entityResult(name, { level })),
    ];
    await write(snapshots, '2026-12-01T00:00:00Z', results('optimal'));
    const dropped = await write(
      snapshots,
      '2026-12-02T00:00:00Z',
      results('not-ready'),
    );
    expect(await notifier.afterSnapshot(dropped, results('not-ready'))).toEqual(
      { sent: 5, unchanged: 0, pending: 1, givenUp: 0 },
    );
    expect(sent.sent.map(s => s.payload.title).sort()).toEqual(
      ['b', 'c', 'd', 'e', 'f'].map(
        name => `${name}: mesh readiness dropped from optimal to not-ready`,
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Mesh readiness could not send the level-dropped notification about component:default/a to group:default/gone: Request failed with 400 Bad Request. It waits for the next snapshot.',
    );

    // Tried again, alone: the others are not sent twice.
    const next = await write(
      snapshots,
      '2026-12-02T01:00:00Z',
      results('not-ready'),
    );
    expect(await notifier.afterSnapshot(next, results('not-ready'))).toEqual({
      sent: 0,
      unchanged: 0,
      pending: 1,
      givenUp: 0,
    });
    expect(sent.sent).toHaveLength(5);
    expect((await store.listPending()).map(p => p.key)).toEqual([
      'component:default/a',
    ]);
  });

  it('gives up a notification the notifications backend rejected 3 times while it took others, logs that once, and tries it again only once its state changes', async () => {
    const { knex, snapshots } = await setUp();
    const store = new NotificationStore(knex);
    const sent = outbox();
    const logger = mockServices.logger.mock();
    let down = false;
    let rejected = 0;
    const notifier = createOwnerNotifier({
      store,
      notifications: {
        async send(options) {
          if (down) {
            throw new Error('Failed to send notifications: 503');
          }
          const recipients = options.recipients;
          if (
            recipients.type === 'entity' &&
            recipients.entityRef.includes('group:default/gone')
          ) {
            rejected++;
            throw new Error('Request failed with 400 Bad Request');
          }
          await sent.send(options);
        },
      },
      settings: DEFAULT_NOTIFICATION_OPTIONS,
      logger,
    });
    // `a` goes to an owner the notifications backend rejects; the others
    // drop one per snapshot, so that each snapshot has something to send.
    const levels: Record<string, EntityResult['level']> = {
      a: 'optimal',
      b: 'optimal',
      c: 'optimal',
      d: 'optimal',
      e: 'optimal',
    };
    const results = () =>
      Object.entries(levels).map(([name, level]) =>
        entityResult(name, {
          level,
          ...(name === 'a' && { owner: 'group:default/gone' }),
        }),
      );
    let hour = 0;
    const step = async (changes: Record<string, EntityResult['level']>) => {
      Object.assign(levels, changes);
      hour++;
      const record = await write(
        snapshots,
        `2026-12-02T${String(hour).padStart(2, '0')}:00:00Z`,
        results(),
      );
      return notifier.afterSnapshot(record, results());
    };
    const titles = () => sent.sent.map(s => s.payload.title.slice(0, 1));
    const givenUpLine =
      "Mesh readiness gave up the level-dropped notification about component:default/a to group:default/gone after 3 rejected sends: Request failed with 400 Bad Request. It is not tried again until the service's state for level-dropped changes.";
    const pendingKeys = async () => (await store.listPending()).map(p => p.key);
    await write(snapshots, '2026-12-02T00:00:00Z', results());

    // Rejected once while b is sent.
    expect(await step({ a: 'not-ready', b: 'not-ready' })).toMatchObject({
      sent: 1,
      pending: 1,
      givenUp: 0,
    });
    // The backend is down: nothing is sent, and nothing is counted.
    down = true;
    expect(await step({ c: 'not-ready' })).toMatchObject({
      sent: 0,
      pending: 2,
      givenUp: 0,
    });
    down = false;
    // Rejected a second time while c and d are sent.
    expect(await step({ d: 'not-ready' })).toMatchObject({
      sent: 2,
      pending: 1,
      givenUp: 0,
    });
    expect(await pendingKeys()).toEqual(['component:default/a']);
    expect(logger.warn).not.toHaveBeenCalledWith(givenUpLine);

    // The third rejection while e is sent: given up, and said so once.
    expect(await step({ e: 'not-ready' })).toEqual({
      sent: 1,
      unchanged: 0,
      pending: 0,
      givenUp: 1,
    });
    expect(rejected).toBe(3);
    expect(titles()).toEqual(['b', 'c', 'd', 'e']);
    expect(logger.warn).toHaveBeenLastCalledWith(givenUpLine);
    expect(await pendingKeys()).toEqual([]);
    // Kept, so that the same state is not recorded and sent again.
    expect((await store.listMarks()).map(m => m.key)).toContain(
      'component:default/a',
    );

    // Later snapshots do not try it, nor log it, while a stays not-ready,
    // and still send the others.
    logger.warn.mockClear();
    expect(await step({ b: 'optimal' })).toMatchObject({
      sent: 0,
      pending: 0,
      givenUp: 0,
    });
    expect(await step({ b: 'not-ready' })).toMatchObject({
      sent: 1,
      pending: 0,
      givenUp: 0,
    });
    expect(rejected).toBe(3);
    expect(logger.warn).not.toHaveBeenCalled();

    // Once a's state moves on and it drops again, that is news: tried anew.
    await step({ a: 'optimal' });
    expect(await step({ a: 'not-ready' })).toMatchObject({
      sent: 0,
      pending: 1,
      givenUp: 0,
    });
    expect(rejected).toBe(4);
    expect(await pendingKeys()).toEqual(['component:default/a']);
  });

  it('cuts titles to 200 characters and descriptions to 2000, which the notifications backend takes', async () => {
    const { knex, snapshots } = await setUp();
    const sent = outbox();
    const notifier = createOwnerNotifier({
      store: new NotificationStore(knex),
      notifications: {
        async send(options) {
          // As on PostgreSQL: notification.title is a varchar(255).
          if (options.payload.title.length > 255) {
            throw new Error('value too long for type character varying(255)');
          }
          await sent.send(options);
        },
      },
      settings: DEFAULT_NOTIFICATION_OPTIONS,
      logger: mockServices.logger.mock(),
    });
    const title = `Orders ${'and fulfilment '.repeat(30)}`.trim();
    const orders = (level: EntityResult['level']) => [
      entityResult('orders', {
        level,
        title,
        topMissing: Array.from({ length: 5 }, () => 'x'.repeat(600)),
      }),
    ];
    await write(snapshots, '2026-12-01T00:00:00Z', orders('optimal'));
    const dropped = await write(
      snapshots,
      '2026-12-02T00:00:00Z',
      orders('not-ready'),
    );
    await notifier.afterSnapshot(dropped, orders('not-ready'));
    expect(sent.sent).toHaveLength(1);
    const { payload } = sent.sent[0];
    expect(payload.title).toHaveLength(200);
    expect(payload.title).toBe(`${title.slice(0, 199)}…`);
    expect(payload.description).toHaveLength(2000);
    expect(payload.description).toMatch(
      /^component:default\/orders was optimal in the previous snapshot and is not-ready now .*…$/,
    );
  });
});
