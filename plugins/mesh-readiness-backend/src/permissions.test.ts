import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import type {
  ServicesPage,
  SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';
import {
  hidingFromUsers,
  permissionsDecidedBy,
} from './__testUtils__/permissions';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';
const HIDDEN = 'payment-gateway';
const HIDDEN_REF = `component:default/${HIDDEN}`;

const permissionsWithPolicy = permissionsDecidedBy(hidingFromUsers(HIDDEN));

describe('permissions: a user never sees a row the catalog hides', () => {
  let server: any;
  let stop: () => Promise<void>;
  const user = () => mockCredentials.user.header('user:default/guest');
  const service = () => mockCredentials.service.header();

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        permissionsWithPolicy,
        mockServices.rootConfig.factory({ data: catalogConfig() }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    // The user sees 46 of the 47 demo components once processing is done.
    await waitForComponents(server, 46);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    await stop?.();
  });

  it('the catalog itself hides the entity from the user', async () => {
    const asUser = await request(server)
      .get(`/api/catalog/entities/by-name/component/default/${HIDDEN}`)
      .set('Authorization', user());
    expect(asUser.status).toBe(404);
    const asService = await request(server)
      .get(`/api/catalog/entities/by-name/component/default/${HIDDEN}`)
      .set('Authorization', service());
    expect(asService.status).toBe(200);
  });

  it('live mode (before a snapshot) leaves it out', async () => {
    const page: ServicesPage = (
      await request(server)
        .get(`${API}/services?pageSize=500`)
        .set('Authorization', user())
    ).body;
    expect(page.snapshot.source).toBe('live');
    expect(page.total).toBe(46);
    expect(page.items.map(i => i.entityRef)).not.toContain(HIDDEN_REF);
  });

  it('answers 404 for the hidden entity and 200 for its neighbours', async () => {
    const hidden = await request(server)
      .get(`${API}/entities/component/default/${HIDDEN}`)
      .set('Authorization', user());
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('"score"');

    const asService = await request(server)
      .get(`${API}/entities/component/default/${HIDDEN}`)
      .set('Authorization', service());
    expect(asService.status).toBe(200);

    const neighbour = await request(server)
      .get(`${API}/entities/component/default/ledger`)
      .set('Authorization', user());
    expect(neighbour.status).toBe(200);
  });

  it('excludes it from snapshot rows, counts and rollups', async () => {
    const refresh = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', service());
    expect(refresh.status).toBe(200);

    const full: SummaryResponse = (
      await request(server)
        .get(`${API}/summary`)
        .set('Authorization', service())
    ).body;
    const seen: SummaryResponse = (
      await request(server).get(`${API}/summary`).set('Authorization', user())
    ).body;
    expect(full.snapshot.source).toBe('snapshot');
    expect(seen.snapshot.source).toBe('snapshot');
    expect(seen.org.counts.entities).toBe(full.org.counts.entities - 1);
    expect(seen.org.counts.inScope).toBe(full.org.counts.inScope - 1);
    const levelTotal = (s: SummaryResponse) =>
      Object.values(s.org.levels).reduce((a, b) => a + b, 0);
    expect(levelTotal(seen)).toBe(levelTotal(full) - 1);

    const ownerRow = (s: SummaryResponse) =>
      s.org.rollups.owner.find(r => r.key === 'group:default/payments');
    expect(ownerRow(seen)!.services).toBe(ownerRow(full)!.services - 1);

    const teamSeen: SummaryResponse = (
      await request(server)
        .get(`${API}/summary?owner=payments`)
        .set('Authorization', user())
    ).body;
    const teamFull: SummaryResponse = (
      await request(server)
        .get(`${API}/summary?owner=payments`)
        .set('Authorization', service())
    ).body;
    expect(teamSeen.org.counts.inScope).toBe(teamFull.org.counts.inScope - 1);

    const rows: ServicesPage = (
      await request(server)
        .get(`${API}/services?pageSize=500`)
        .set('Authorization', user())
    ).body;
    expect(rows.snapshot.source).toBe('snapshot');
    expect(rows.total).toBe(46);
    expect(rows.items.map(i => i.entityRef)).not.toContain(HIDDEN_REF);
    const allRows: ServicesPage = (
      await request(server)
        .get(`${API}/services?pageSize=500`)
        .set('Authorization', service())
    ).body;
    expect(allRows.total).toBe(47);
    expect(allRows.items.map(i => i.entityRef)).toContain(HIDDEN_REF);

    const search: ServicesPage = (
      await request(server)
        .get(`${API}/services?q=${HIDDEN}`)
        .set('Authorization', user())
    ).body;
    expect(search.total).toBe(0);

    const csv = await request(server)
      .get(`${API}/services?format=csv`)
      .set('Authorization', user());
    expect(csv.text).not.toContain(HIDDEN_REF);
    expect(csv.text.trim().split('\r\n')).toHaveLength(47);
  });
});
