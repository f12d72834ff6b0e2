import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import type {
  ChecksResponse,
  EntityResult,
  HistoryResponse,
  ServicesPage,
  SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  userHeader,
  serviceHeader,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';

/*
 * The plugin on the real catalog backend, reading the demo organisation in
 * examples/: every route, live mode before the first snapshot, snapshot
 * mode after POST /refresh, and input validation.
 */
describe('mesh-readiness backend on the demo catalog', () => {
  let server: any;
  let stop: () => Promise<void>;
  let live: SummaryResponse;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        mockServices.rootConfig.factory({ data: catalogConfig() }),
        // A request without a token is anonymous, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForComponents(server, 47);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    await stop?.();
  });

  it('serves /health without credentials and refuses the rest without them', async () => {
    const health = await request(server).get(`${API}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });

    for (const [method, path] of [
      ['get', '/checks'],
      ['get', '/summary'],
      ['get', '/services'],
      ['get', '/history'],
      ['get', '/entities/component/default/payment-gateway'],
      ['post', '/refresh'],
    ] as const) {
      const res = await request(server)[method](`${API}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
  });

  it('computes live before the first snapshot', async () => {
    const res = await request(server)
      .get(`${API}/summary`)
      .set('Authorization', userHeader());
    expect(res.status).toBe(200);
    live = res.body;
    expect(live.snapshot.source).toBe('live');
    expect(live.snapshot.stale).toBe(false);
    expect(live.org.counts.entities).toBeGreaterThanOrEqual(47);
    expect(live.org.counts.inScope).toBeGreaterThan(30);
    expect(['not-needed', 'not-ready', 'ready']).toContain(live.org.verdict);

    const services = await request(server)
      .get(`${API}/services?pageSize=5`)
      .set('Authorization', userHeader());
    expect(services.status).toBe(200);
    expect(services.body.snapshot.source).toBe('live');
    expect(services.body.total).toBe(47);
    expect(services.body.items).toHaveLength(5);

    const history = await request(server)
      .get(`${API}/history`)
      .set('Authorization', userHeader());
    expect(history.status).toBe(200);
    expect(history.body.items).toHaveLength(1);
  });

  it('takes a snapshot on POST /refresh and serves it', async () => {
    const refresh = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', serviceHeader());
    expect(refresh.status).toBe(200);
    expect(refresh.body).toMatchObject({ source: 'snapshot', stale: false });

    const res = await request(server)
      .get(`${API}/summary`)
      .set('Authorization', userHeader());
    expect(res.status).toBe(200);
    const summary: SummaryResponse = res.body;
    expect(summary.snapshot).toEqual({
      takenAt: refresh.body.takenAt,
      source: 'snapshot',
      stale: false,
    });
    // The stored org is the one the live computation gave.
    expect(summary.org.counts).toEqual(live.org.counts);
    expect(summary.org.score).toBe(live.org.score);
    expect(summary.org.verdict).toBe(live.org.verdict);
    expect(summary.org.levels).toEqual(live.org.levels);

    const history = await request(server)
      .get(`${API}/history`)
      .set('Authorization', userHeader());
    const points: HistoryResponse = history.body;
    expect(points.items).toHaveLength(1);
    expect(points.items[0]).toEqual({
      takenAt: refresh.body.takenAt,
      score: summary.org.score,
      verdict: summary.org.verdict,
      inScope: summary.org.counts.inScope,
      levels: summary.org.levels,
    });

    const teamHistory = await request(server)
      .get(`${API}/history?owner=payments&from=2000-01-01`)
      .set('Authorization', userHeader());
    expect(teamHistory.status).toBe(200);
    expect(teamHistory.body.items).toHaveLength(1);
    expect(teamHistory.body.items[0].inScope).toBeGreaterThan(0);
    const teamHistoryCapitalised = await request(server)
      .get(`${API}/history?owner=PAYMENTS&from=2000-01-01`)
      .set('Authorization', userHeader());
    expect(teamHistoryCapitalised.body).toEqual(teamHistory.body);
    const none = await request(server)
      .get(`${API}/history?to=2000-01-01T00:00:00Z`)
      .set('Authorization', userHeader());
    expect(none.body.items).toEqual([]);
  });

  it('filters the summary by owner, system and domain', async () => {
    const all: SummaryResponse = (
      await request(server)
        .get(`${API}/summary`)
        .set('Authorization', userHeader())
    ).body;
    const payments = await request(server)
      .get(`${API}/summary?owner=group:default/payments`)
      .set('Authorization', userHeader());
    expect(payments.status).toBe(200);
    const paymentsRollup = all.org.rollups.owner.find(
      r => r.key === 'group:default/payments',
    );
    expect(paymentsRollup).toBeDefined();
    // Rollups count the workloads in scope.
    expect(payments.body.org.counts.inScope).toBe(paymentsRollup!.services);
    expect(payments.body.org.score).toBe(paymentsRollup!.score);
    // Entity refs are case-insensitive: an owner written as in its YAML,
    // with capitals, finds the same services.
    const capitalised = await request(server)
      .get(`${API}/summary?owner=Group:default/Payments`)
      .set('Authorization', userHeader());
    expect(capitalised.body.org.counts).toEqual(payments.body.org.counts);
    expect(capitalised.body.org.score).toBe(payments.body.org.score);

    const system = all.org.rollups.system[0];
    const bySystem = await request(server)
      .get(`${API}/summary?system=${encodeURIComponent(system.key)}`)
      .set('Authorization', userHeader());
    expect(bySystem.body.org.counts.inScope).toBe(system.services);
    const bySystemUpper = await request(server)
      .get(
        `${API}/summary?system=${encodeURIComponent(system.key.toUpperCase())}`,
      )
      .set('Authorization', userHeader());
    expect(bySystemUpper.body.org.counts).toEqual(bySystem.body.org.counts);

    const domain = all.org.rollups.domain[0];
    const byDomain = await request(server)
      .get(`${API}/summary?domain=${encodeURIComponent(domain.key)}`)
      .set('Authorization', userHeader());
    expect(byDomain.body.org.levels).toEqual(domain.levels);
  });

  it('pages, sorts and filters /services', async () => {
    const first: ServicesPage = (
      await request(server)
        .get(`${API}/services?pageSize=10&sort=-score`)
        .set('Authorization', userHeader())
    ).body;
    expect(first.snapshot.source).toBe('snapshot');
    expect(first.total).toBe(47);
    expect(first.page).toBe(1);
    expect(first.items).toHaveLength(10);
    const scores = first.items.map(i => i.score ?? -1);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    const last: ServicesPage = (
      await request(server)
        .get(`${API}/services?pageSize=10&page=5&sort=-score`)
        .set('Authorization', userHeader())
    ).body;
    expect(last.items).toHaveLength(7);
    // Out-of-scope components have no score and come last.
    expect(last.items[last.items.length - 1].score).toBeNull();

    const row = (
      await request(server)
        .get(`${API}/services?q=payment-gateway`)
        .set('Authorization', userHeader())
    ).body.items;
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({
      entityRef: 'component:default/payment-gateway',
      name: 'payment-gateway',
      title: 'Payment Gateway',
      owner: 'group:default/payments',
      system: 'system:default/payments-core',
      // The demo catalog links no manifests: its facts are declared only.
      inspected: false,
    });
    expect(Object.keys(row[0]).sort()).toEqual(
      [
        'entityRef',
        'name',
        'title',
        'type',
        'lifecycle',
        'owner',
        'system',
        'domain',
        'score',
        'coverage',
        'level',
        'failing',
        'unknown',
        'problems',
        'retryRisk',
        'inspected',
      ].sort(),
    );

    const payments: ServicesPage = (
      await request(server)
        .get(`${API}/services?owner=payments&pageSize=100`)
        .set('Authorization', userHeader())
    ).body;
    expect(payments.total).toBeGreaterThan(0);
    expect(
      payments.items.every(i => i.owner === 'group:default/payments'),
    ).toBe(true);
    const paymentsCapitalised: ServicesPage = (
      await request(server)
        .get(`${API}/services?owner=Payments&pageSize=100`)
        .set('Authorization', userHeader())
    ).body;
    expect(paymentsCapitalised.items.map(i => i.entityRef)).toEqual(
      payments.items.map(i => i.entityRef),
    );

    const tracingFails: ServicesPage = (
      await request(server)
        .get(`${API}/services?check=tracing&pageSize=100`)
        .set('Authorization', userHeader())
    ).body;
    expect(tracingFails.total).toBeGreaterThan(0);
    expect(tracingFails.items.every(i => i.failing.includes('tracing'))).toBe(
      true,
    );
    const names = tracingFails.items.map(i => i.name);
    expect(names).toContain('search-indexer');
    expect(names).not.toContain('payment-gateway');

    for (const level of ['not-assessed', 'not-ready', 'pilot-ready'] as const) {
      const byLevel: ServicesPage = (
        await request(server)
          .get(`${API}/services?level=${level}&pageSize=100`)
          .set('Authorization', userHeader())
      ).body;
      expect(byLevel.items.every(i => i.level === level)).toBe(true);
    }
  });

  it('exports /services as CSV with formula cells neutralised', async () => {
    const res = await request(server)
      .get(`${API}/services?format=csv&sort=name`)
      .set('Authorization', userHeader());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'entityRef,name,title,type,lifecycle,owner,system,domain,score,coverage,level,failing,unknown,problems,retryRisk,inspected',
    );
    expect(lines).toHaveLength(48);
    expect(lines[1].startsWith('component:default/')).toBe(true);
  });

  it('scores one entity live with what it relates to', async () => {
    const res = await request(server)
      .get(`${API}/entities/component/default/payment-gateway`)
      .set('Authorization', userHeader());
    expect(res.status).toBe(200);
    const result: EntityResult = res.body;
    expect(result).toMatchObject({
      entityRef: 'component:default/payment-gateway',
      owner: 'group:default/payments',
      system: 'system:default/payments-core',
      inScope: true,
    });
    const byId = new Map(result.checks.map(c => [c.id, c]));
    // The owner group was read: its members are known.
    expect(byId.get('owner')?.status).toBe('pass');
    // The cluster it depends on was read.
    expect(byId.get('cluster-known')?.status).toBe('pass');
    // Its API was read and analysed.
    const retry = byId.get('retry-safety');
    expect(retry?.status).not.toBe('unknown');
    expect(retry?.operations?.length).toBeGreaterThan(0);
    expect(result.domain).toBeDefined();

    // The same result as in the snapshot.
    const row = (
      await request(server)
        .get(`${API}/services?q=payment-gateway`)
        .set('Authorization', userHeader())
    ).body.items[0];
    expect(row.score).toBe(result.score);
    expect(row.coverage).toBe(result.coverage ?? null);
    expect(row.level).toBe(result.level);

    const malformed = await request(server)
      .get(`${API}/entities/component/default/recommendations`)
      .set('Authorization', userHeader());
    expect(malformed.status).toBe(200);
    expect(malformed.body.problems[0].message).toMatch(/grcp/);

    const missing = await request(server)
      .get(`${API}/entities/component/default/no-such-thing`)
      .set('Authorization', userHeader());
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
  });

  it('serves the check catalogue', async () => {
    const res = await request(server)
      .get(`${API}/checks`)
      .set('Authorization', userHeader());
    expect(res.status).toBe(200);
    const body: ChecksResponse = res.body;
    const ids = body.items.map(c => c.id);
    for (const id of [
      'owner',
      'tracing',
      'protocols',
      'server-first-protocols',
      'proxy-uid',
      'retry-safety',
      'genuine-need',
      'platform-capacity',
      'observability',
    ]) {
      expect(ids).toContain(id);
    }
    expect(body.items[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        title: expect.any(String),
        category: expect.any(String),
        weight: expect.any(Number),
        gate: expect.any(Boolean),
        rationale: expect.any(String),
        remediation: expect.any(String),
        sources: expect.any(Array),
      }),
    );
  });

  describe('input validation', () => {
    it.each([
      ['/services?page=0', 'page'],
      ['/services?page=abc', 'page'],
      ['/services?pageSize=9999', 'pageSize'],
      ['/services?level=bogus', 'level'],
      ['/services?sort=bogus', 'sort'],
      ['/services?status=fail', 'status'],
      ['/services?check=no-such-check', 'check'],
      ['/services?owner=a&owner=b', 'owner'],
      ['/services?format=xml', 'format'],
      ['/services?colour=red', 'colour'],
      ['/history?from=not-a-date', 'from'],
      ['/history?to=2025-02-30T25:00:00Z', 'to'],
      ['/history?from=2025-02-01&to=2025-01-01', 'from'],
      ['/summary?owner=a/b/c', 'owner'],
      ['/entities/component/default/bad%20name', 'name'],
    ])('GET %s answers 400 naming %s', async (path, parameter) => {
      const res = await request(server)
        .get(`${API}${path}`)
        .set('Authorization', userHeader());
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(`"${parameter}"`);
    });

    it('never reflects a query back as HTML', async () => {
      const q = '<script>alert(1)</script>';
      const res = await request(server)
        .get(`${API}/services?q=${encodeURIComponent(q)}`)
        .set('Authorization', userHeader());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.text).not.toContain('<script>');
      expect(res.body.items).toEqual([]);

      const bad = await request(server)
        .get(`${API}/services?${encodeURIComponent(q)}=1`)
        .set('Authorization', userHeader());
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/json/);
      expect(bad.body.error.message).toBe(
        'Unknown query parameter "?script?alert?1???script?"',
      );
    });

    it('accepts service credentials as well as user credentials', async () => {
      const res = await request(server)
        .get(`${API}/checks`)
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
    });
  });
});
