import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseSnapshotStore } from './DatabaseSnapshotStore';
import {
  aggregateOrg,
  buildCatalogContext,
  ServicesSort,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { entityResult, levels, orgResult } from '../__testUtils__/fixtures';
import type { RowFilter } from './types';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

describe.each(databases.eachSupportedId())('DatabaseSnapshotStore (%s)', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const store = await DatabaseSnapshotStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  /** Every component row matching the filter, sorted (no page). */
  async function listRows(
    store: DatabaseSnapshotStore,
    snapshotId: number,
    filter: RowFilter,
    sort: ServicesSort,
  ) {
    return (await store.listServices(snapshotId, { filter, sort })).rows;
  }

  const results = [
    entityResult('checkout', { score: 40, title: 'Checkout <Service>' }),
    entityResult('payments', {
      score: 92,
      coverage: 1,
      level: 'production-ready',
      owner: 'group:default/team-b',
      checks: [
        { id: 'owner', status: 'pass', message: 'ok' },
        { id: 'tracing', status: 'pass', message: 'ok' },
        {
          id: 'retry-safety',
          status: 'fail',
          message: 'POST /pay',
          operations: [
            {
              api: 'api:default/pay',
              operation: 'POST /pay',
              idempotent: false,
              retrySafe: false,
              reason: 'POST without an idempotency key',
            },
            {
              api: 'api:default/pay',
              operation: 'PUT /pay',
              idempotent: 'unknown',
              retrySafe: 'unknown',
              reason: 'No definition',
            },
          ],
        },
      ],
      problems: [
        {
          key: 'mesh-readiness.io/ports',
          value: '80/htp',
          message: "'htp' is not a known protocol; did you mean 'http'?",
        },
      ],
    }),
    entityResult('batch_100%', {
      score: null,
      coverage: null,
      level: null,
      inScope: false,
      scopeReason: 'Excluded: a batch job',
      system: undefined,
      domain: undefined,
      checks: [],
    }),
  ];

  it('writes a snapshot with its rows and reads it back', async () => {
    const { store, knex } = await createStore();
    expect(await store.getLatestSnapshot()).toBeUndefined();

    const takenAt = new Date('2025-03-01T10:00:00.000Z');
    const written = await store.writeSnapshot({
      takenAt,
      durationMs: 1234,
      org: orgResult(),
      context: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-a' },
          spec: { type: 'team', children: [] },
        },
      ],
      results,
      entities: new Map([
        [
          'component:default/checkout',
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'checkout' },
            spec: { type: 'service', owner: 'team-a' },
          },
        ],
      ]),
      ownerHistory: [],
    });
    expect(written.id).toBeGreaterThan(0);
    expect(await store.getLatestSnapshotId()).toEqual({
      id: written.id,
      takenAt,
    });
    expect((await store.listRefs(written.id)).sort()).toEqual([
      'component:default/batch_100%',
      'component:default/checkout',
      'component:default/payments',
    ]);
    const forOrg = await store.getRowsForAggregation(written.id, {
      owner: 'group:default/team-a',
    });
    expect(forOrg.map(r => r.result.name)).toEqual(['batch_100%', 'checkout']);
    expect(forOrg[0].entity).toBeUndefined();
    expect(forOrg[1].entity?.spec?.owner).toBe('team-a');

    const latest = await store.getLatestSnapshot();
    expect(latest).toMatchObject({
      id: written.id,
      durationMs: 1234,
      entities: 3,
      inScope: 3,
    });
    expect(latest!.takenAt.toISOString()).toBe(takenAt.toISOString());
    expect(latest!.org.verdict).toBe('not-ready');

    const context = await store.getContext(written.id);
    expect(context.map(e => e.metadata.name)).toEqual(['team-a']);

    const count = await knex('snapshot_rows')
      .where('snapshot_id', written.id)
      .count({ n: '*' });
    expect(Number(count[0].n)).toBe(3);

    // Rows read back with what the routes need: the /services columns,
    // and for the org model the statuses, problems and retry risk.
    const [payments] = await store.getRowsForAggregation(written.id, {
      owner: 'group:default/team-b',
    });
    expect(payments.result).toMatchObject({
      entityRef: 'component:default/payments',
      kind: 'component',
      namespace: 'default',
      name: 'payments',
      owner: 'group:default/team-b',
      system: results[1].system,
      domain: results[1].domain,
      inScope: true,
      score: 92,
      coverage: 1,
      level: 'production-ready',
    });
    expect(payments.result.checks.map(c => [c.id, c.status])).toEqual(
      results[1].checks.map(c => [c.id, c.status]),
    );
    expect(payments.result.problems).toHaveLength(1);
    const [listed] = await listRows(
      store,
      written.id,
      { owner: 'group:default/team-b' },
      'name',
    );
    expect(listed).toMatchObject({
      entityRef: 'component:default/payments',
      type: 'service',
      lifecycle: 'production',
      failing: ['retry-safety'],
      problems: 1,
      retryRisk: true,
    });
    expect(
      await store.getRowsForAggregation(written.id, { q: 'nope' }),
    ).toEqual([]);

    // The org model gives the same answer over the rows as read back as
    // over the full results.
    const all = await store.getRowsForAggregation(written.id, {});
    const orgContext = buildCatalogContext(
      all.flatMap(r => (r.entity ? [r.entity] : [])),
      { now: takenAt },
    );
    expect(
      aggregateOrg(
        all.map(r => r.result),
        orgContext,
        {},
        { now: takenAt },
      ),
    ).toEqual(aggregateOrg(results, orgContext, {}, { now: takenAt }));
  });

  it('filters, sorts and summarises rows', async () => {
    const { store } = await createStore();
    const { id: snapshotId } = await store.writeSnapshot({
      takenAt: new Date(),
      durationMs: 1,
      org: orgResult(),
      context: [],
      results,
      entities: new Map(),
      ownerHistory: [],
    });

    const byName = await listRows(store, snapshotId, {}, 'name');
    expect(byName.map(r => r.name)).toEqual([
      'batch_100%',
      'checkout',
      'payments',
    ]);
    expect(byName[2]).toEqual({
      entityRef: 'component:default/payments',
      name: 'payments',
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-b',
      system: 'system:default/shop',
      domain: 'domain:default/retail',
      score: 92,
      coverage: 1,
      level: 'production-ready',
      failing: ['retry-safety'],
      unknown: [],
      problems: 1,
      retryRisk: true,
      inScope: true,
      inspected: false,
    });
    expect(byName.map(r => r.coverage)).toEqual([null, 0.67, 1]);

    // Nulls sort last both ways.
    expect(
      (await listRows(store, snapshotId, {}, '-score')).map(r => r.score),
    ).toEqual([92, 40, null]);
    expect(
      (await listRows(store, snapshotId, {}, 'score')).map(r => r.score),
    ).toEqual([40, 92, null]);
    expect(
      (await listRows(store, snapshotId, {}, '-level')).map(r => r.name),
    ).toEqual(['payments', 'checkout', 'batch_100%']);

    const teamB = await listRows(
      store,
      snapshotId,
      { owner: 'group:default/team-b' },
      'name',
    );
    expect(teamB.map(r => r.name)).toEqual(['payments']);

    // Several owners at once, compared whatever their case; none, nothing.
    const owners = (list: string[]) =>
      listRows(store, snapshotId, { owners: list }, 'name').then(rows =>
        rows.map(r => r.name),
      );
    expect(
      await owners(['group:default/Team-A', 'group:default/team-b']),
    ).toEqual(['batch_100%', 'checkout', 'payments']);
    expect(await owners(['group:default/team-b', 'user:default/x'])).toEqual([
      'payments',
    ]);
    expect(await owners([])).toEqual([]);
    const aggregated = await store.getRowsForAggregation(snapshotId, {
      owners: ['group:default/team-b'],
    });
    expect(aggregated.map(r => r.result.name)).toEqual(['payments']);

    const failingTracing = await listRows(
      store,
      snapshotId,
      { check: 'tracing' },
      'name',
    );
    expect(failingTracing.map(r => r.name)).toEqual(['checkout']);
    const passingTracing = await listRows(
      store,
      snapshotId,
      { check: 'tracing', status: 'pass' },
      'name',
    );
    expect(passingTracing.map(r => r.name)).toEqual(['payments']);

    expect(
      (await listRows(store, snapshotId, { level: 'not-ready' }, 'name')).map(
        r => r.name,
      ),
    ).toEqual(['checkout']);

    // Free text is case-insensitive and LIKE wildcards are literal.
    expect(
      (await listRows(store, snapshotId, { q: '<SERVICE>' }, 'name')).map(
        r => r.name,
      ),
    ).toEqual(['checkout']);
    expect(
      (await listRows(store, snapshotId, { q: '100%' }, 'name')).map(
        r => r.name,
      ),
    ).toEqual(['batch_100%']);
    expect(await listRows(store, snapshotId, { q: '_' }, 'name')).toHaveLength(
      1,
    );
    expect(await listRows(store, snapshotId, { q: '%' }, 'name')).toHaveLength(
      1,
    );

    const shop = await store.getRowsForAggregation(snapshotId, {
      system: 'system:default/shop',
    });
    expect(shop.map(r => r.result.name)).toEqual(['checkout', 'payments']);
  });

  it('keeps coverage and the not-assessed level, first in level order', async () => {
    const { store } = await createStore();
    const { id: snapshotId } = await store.writeSnapshot({
      takenAt: new Date(),
      durationMs: 1,
      org: orgResult(),
      context: [],
      results: [
        entityResult('bare', {
          score: 11,
          coverage: 0.18,
          level: 'not-assessed',
          checks: [
            { id: 'owner', status: 'pass', message: 'ok' },
            { id: 'tracing', status: 'unknown', message: 'not set' },
            { id: 'protocols', status: 'unknown', message: 'not set' },
          ],
        }),
        entityResult('known', { score: 40, coverage: 0.9 }),
        // A result from a model that computes no coverage.
        entityResult('older', { score: 60, coverage: undefined }),
      ],
      entities: new Map(),
      ownerHistory: [],
    });
    const rows = await listRows(store, snapshotId, {}, 'level');
    expect(rows.map(r => [r.name, r.level, r.coverage])).toEqual([
      ['bare', 'not-assessed', 0.18],
      ['known', 'not-ready', 0.9],
      ['older', 'not-ready', null],
    ]);
    expect(
      (
        await listRows(store, snapshotId, { level: 'not-assessed' }, 'name')
      ).map(r => r.name),
    ).toEqual(['bare']);
    const forOrg = await store.getRowsForAggregation(snapshotId, {});
    expect(forOrg.map(r => [r.result.name, r.result.coverage])).toEqual([
      ['bare', 0.18],
      ['known', 0.9],
      ['older', null],
    ]);
  });

  it('pages, restricts and counts in SQL, components only', async () => {
    const { store } = await createStore();
    const many = Array.from({ length: 30 }, (_, i) =>
      entityResult(`svc-${String(i).padStart(2, '0')}`, {
        score: i % 3 === 0 ? null : i,
        owner: i % 2 === 0 ? 'group:default/even' : 'group:default/odd',
      }),
    );
    const system = {
      ...entityResult('shop'),
      entityRef: 'system:default/shop',
      kind: 'System',
    };
    const { id: snapshotId } = await store.writeSnapshot({
      takenAt: new Date(),
      durationMs: 1,
      org: orgResult(),
      context: [],
      results: [...many, system],
      entities: new Map(),
      ownerHistory: [],
    });
    const names = (rows: Array<{ name: string }>) => rows.map(r => r.name);

    const third = await store.listServices(snapshotId, {
      filter: {},
      sort: '-score',
      page: { offset: 10, limit: 5 },
    });
    expect(third.total).toBe(30);
    expect(third.rows.map(r => r.score)).toEqual([14, 13, 11, 10, 8]);

    // Scores are null for every third service: those come last, by ref.
    const last = await store.listServices(snapshotId, {
      filter: {},
      sort: '-score',
      page: { offset: 25, limit: 10 },
    });
    expect(names(last.rows)).toEqual([
      'svc-15',
      'svc-18',
      'svc-21',
      'svc-24',
      'svc-27',
    ]);
    expect(
      await store.listServices(snapshotId, {
        filter: {},
        sort: 'name',
        page: { offset: 30, limit: 10 },
      }),
    ).toEqual({ rows: [], total: 30 });

    const even = await store.listServices(snapshotId, {
      filter: { owner: 'group:default/even' },
      sort: 'name',
      page: { offset: 0, limit: 2 },
    });
    expect(even).toMatchObject({ total: 15 });
    expect(names(even.rows)).toEqual(['svc-00', 'svc-02']);

    const only = await store.listServices(snapshotId, {
      filter: {},
      sort: 'name',
      restriction: {
        only: ['component:default/svc-07', 'component:default/svc-03'],
      },
      page: { offset: 0, limit: 1 },
    });
    expect(only.total).toBe(2);
    expect(names(only.rows)).toEqual(['svc-03']);

    const except = await store.listServices(snapshotId, {
      filter: { owner: 'group:default/odd' },
      sort: 'name',
      restriction: {
        except: many.slice(0, 27).map(r => r.entityRef),
      },
    });
    expect(except.total).toBe(2);
    expect(names(except.rows)).toEqual(['svc-27', 'svc-29']);
    expect(
      (
        await store.listServices(snapshotId, {
          filter: {},
          sort: 'name',
          restriction: { only: [] },
        })
      ).total,
    ).toBe(0);
    expect(
      (
        await store.listServices(snapshotId, {
          filter: {},
          sort: 'name',
          restriction: { except: [] },
          page: { offset: 0, limit: 1 },
        })
      ).total,
    ).toBe(30);
  });

  it('keeps live reports apart from snapshots', async () => {
    const { store, knex } = await createStore();
    const takenAt = new Date('2025-03-01T10:00:00.000Z');
    const liveId = await store.writeLiveReport({
      principal: 'user:user:default/alice',
      takenAt,
      org: orgResult(),
      results,
    });
    expect(await store.getLatestSnapshotId()).toBeUndefined();
    expect(await store.countSnapshots()).toBe(0);
    expect(await store.getHistory({})).toEqual([]);

    const page = await store.listServices(liveId, {
      filter: { check: 'tracing' },
      sort: '-score',
      page: { offset: 0, limit: 25 },
    });
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({
      entityRef: 'component:default/checkout',
      title: 'Checkout <Service>',
      failing: ['tracing'],
    });

    // Retention is for snapshots; a snapshot write drops live reports
    // taken over a minute before it.
    expect(await store.deleteSnapshotsBefore(new Date(2030, 0, 1))).toBe(0);
    const liveRows = async () =>
      Number(
        (
          await knex('snapshot_rows')
            .where('snapshot_id', liveId)
            .count({ n: '*' })
        )[0].n,
      );
    const snapshotAfter = (ms: number) =>
      store.writeSnapshot({
        takenAt: new Date(takenAt.getTime() + ms),
        durationMs: 1,
        org: orgResult(),
        context: [],
        results,
        entities: new Map(),
        ownerHistory: [],
      });
    expect(await liveRows()).toBe(3);
    await snapshotAfter(30_000);
    expect(await liveRows()).toBe(3);
    const { id: snapshotId } = await snapshotAfter(61_000);
    expect(await liveRows()).toBe(0);
    expect(await store.getLatestSnapshotId()).toMatchObject({
      id: snapshotId,
    });
    expect(await store.countSnapshots()).toBe(2);
  });

  it('keeps history per owner and deletes old snapshots', async () => {
    const { store, knex } = await createStore();
    const days = [1, 2, 3].map(d => new Date(Date.UTC(2025, 0, d, 12)));
    for (const [i, takenAt] of days.entries()) {
      await store.writeSnapshot({
        takenAt,
        durationMs: 1,
        org: orgResult({ score: 50 + i }),
        context: [],
        results: results.slice(0, 1),
        entities: new Map(),
        ownerHistory: [
          {
            owner: 'group:default/team-a',
            point: {
              score: 10 + i,
              verdict: 'not-ready',
              inScope: 1,
              levels: levels({ 'not-ready': 1 }),
            },
          },
        ],
      });
    }
    const all = await store.getHistory({});
    expect(all.map(p => p.score)).toEqual([50, 51, 52]);
    expect(all[0]).toEqual({
      takenAt: days[0].toISOString(),
      score: 50,
      verdict: 'not-ready',
      inScope: 3,
      levels: levels({ 'not-ready': 2, 'pilot-ready': 1 }),
    });

    const teamA = await store.getHistory({
      owner: 'group:default/team-a',
      from: days[1],
    });
    expect(teamA.map(p => p.score)).toEqual([11, 12]);
    expect(
      (await store.getHistory({ to: days[1] })).map(p => p.takenAt),
    ).toEqual([days[0].toISOString(), days[1].toISOString()]);
    expect(await store.getHistory({ owner: 'group:default/none' })).toEqual([]);

    expect(await store.deleteSnapshotsBefore(days[2])).toBe(2);
    expect(await store.countSnapshots()).toBe(1);
    expect((await store.getHistory({})).map(p => p.score)).toEqual([52]);
    const leftRows = await knex('snapshot_rows').count({ n: '*' });
    expect(Number(leftRows[0].n)).toBe(1);
    expect(await store.deleteSnapshotsBefore(days[0])).toBe(0);
  });

  it('writes a large snapshot in batches', async () => {
    const { store } = await createStore();
    const many = Array.from({ length: 1203 }, (_, i) =>
      entityResult(`svc-${String(i).padStart(4, '0')}`, { score: i % 101 }),
    );
    const { id: snapshotId } = await store.writeSnapshot({
      takenAt: new Date(),
      durationMs: 1,
      org: orgResult(),
      context: [],
      results: many,
      entities: new Map(),
      ownerHistory: [],
    });
    const rows = await listRows(store, snapshotId, {}, 'name');
    expect(rows).toHaveLength(1203);
    expect(rows[1202].name).toBe('svc-1202');
  });

  it('rolls back a snapshot whose rows cannot be written', async () => {
    const { store } = await createStore();
    const duplicate = entityResult('dup');
    await expect(
      store.writeSnapshot({
        takenAt: new Date(),
        durationMs: 1,
        org: orgResult(),
        context: [],
        results: [duplicate, duplicate],
        entities: new Map(),
        ownerHistory: [],
      }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/unique|duplicate/i),
    });
    expect(await store.countSnapshots()).toBe(0);
    expect(await store.getLatestSnapshot()).toBeUndefined();
  });
  it('keeps whether a row was inspected, for /services and the org model', async () => {
    const { store, knex } = await createStore();
    const manifests = {
      locations: ['./deploy/'],
      files: 2,
      workloads: [
        {
          kind: 'Deployment',
          name: 'seen',
          matchedBy: 'name',
          source: {
            kind: 'manifest' as const,
            label: 'Deployment seen, deploy/seen.yaml:1',
          },
        },
      ],
      problems: [],
    };
    const inspectedResults = [
      entityResult('seen', { manifests }),
      // Manifests linked, but no workload in them matched.
      entityResult('unmatched', {
        manifests: { ...manifests, workloads: [] },
      }),
      entityResult('declared'),
    ];
    const { id: snapshotId } = await store.writeSnapshot({
      takenAt: new Date(),
      durationMs: 1,
      org: orgResult(),
      context: [],
      results: inspectedResults,
      entities: new Map(),
      ownerHistory: [],
    });
    const rows = await listRows(store, snapshotId, {}, 'name');
    expect(rows.map(r => [r.name, r.inspected])).toEqual([
      ['declared', false],
      ['seen', true],
      ['unmatched', false],
    ]);
    const forOrg = await store.getRowsForAggregation(snapshotId, {});
    const context = buildCatalogContext([], { now: new Date() });
    expect(
      aggregateOrg(
        forOrg.map(r => r.result),
        context,
      ).inspected,
    ).toBe(1);

    // Rows stored before rows kept it have no inspected at all.
    await knex('snapshot_rows').where('snapshot_id', snapshotId).update({
      inspected: null,
    });
    const older = await listRows(store, snapshotId, {}, 'name');
    expect(older.map(r => 'inspected' in r)).toEqual([false, false, false]);
  });
});
