import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { CatalogClient } from '@backstage/catalog-client';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import type { SummaryResponse } from '@mesh-readiness/plugin-mesh-readiness-common';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';

/** Flip to true and the catalog is unreachable for the plugin. */
const outage = { on: false };

/*
 * The plugin's catalog client, talking HTTP to the real catalog as the
 * default one does, except that during an "outage" it is pointed at a port
 * where nothing listens: a real connection failure.
 */
const switchableCatalog = createServiceFactory({
  service: catalogServiceRef,
  deps: { auth: coreServices.auth, discovery: coreServices.discovery },
  async factory({ auth, discovery }) {
    const client = new CatalogClient({
      discoveryApi: {
        async getBaseUrl(pluginId: string) {
          return outage.on
            ? 'http://127.0.0.1:1/api/catalog'
            : discovery.getBaseUrl(pluginId);
        },
      },
    });
    const token = async (credentials: BackstageCredentials) =>
      (
        await auth.getPluginRequestToken({
          onBehalfOf: credentials,
          targetPluginId: 'catalog',
        })
      ).token;
    const service: Partial<CatalogService> = {
      async queryEntities(req, { credentials }) {
        return client.queryEntities(req, { token: await token(credentials) });
      },
      async getEntityByRef(ref, { credentials }) {
        return client.getEntityByRef(ref, { token: await token(credentials) });
      },
      async getEntitiesByRefs(req, { credentials }) {
        return client.getEntitiesByRefs(req, {
          token: await token(credentials),
        });
      },
    };
    return service as CatalogService;
  },
});

describe('catalog outage', () => {
  let server: any;
  let stop: () => Promise<void>;
  const alice = () => mockCredentials.user.header('user:default/alice');
  const bob = () => mockCredentials.user.header('user:default/bob');

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        switchableCatalog,
        mockServices.rootConfig.factory({ data: catalogConfig() }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForComponents(server, 47);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    outage.on = false;
    await stop?.();
  });

  it('answers 503 where the catalog is needed and keeps the last snapshot readable, marked stale', async () => {
    const refresh = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', alice());
    expect(refresh.status).toBe(200);
    const before: SummaryResponse = (
      await request(server).get(`${API}/summary`).set('Authorization', alice())
    ).body;
    expect(before.snapshot).toMatchObject({ source: 'snapshot', stale: false });

    outage.on = true;

    const entity = await request(server)
      .get(`${API}/entities/component/default/ledger`)
      .set('Authorization', alice());
    expect(entity.status).toBe(503);
    expect(entity.body.error.name).toBe('ServiceUnavailableError');
    expect(entity.body.error.message).toMatch(/The catalog could not be read/);

    const failed = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', alice());
    expect(failed.status).toBe(503);
    expect(failed.body.error.message).toMatch(/The catalog could not be read/);

    const during = await request(server)
      .get(`${API}/summary`)
      .set('Authorization', alice());
    expect(during.status).toBe(200);
    const stale: SummaryResponse = during.body;
    expect(stale.snapshot.source).toBe('snapshot');
    expect(stale.snapshot.stale).toBe(true);
    expect(stale.snapshot.takenAt).toBe(before.snapshot.takenAt);
    expect(stale.snapshot.staleReason).toMatch(
      /failed \(The catalog could not be read.*\); this is the last good snapshot/,
    );
    expect(stale.org).toEqual(before.org);

    const services = await request(server)
      .get(`${API}/services`)
      .set('Authorization', alice());
    expect(services.status).toBe(200);
    expect(services.body.snapshot.stale).toBe(true);
    expect(services.body.total).toBe(47);

    const history = await request(server)
      .get(`${API}/history`)
      .set('Authorization', alice());
    expect(history.status).toBe(200);
    expect(history.body.items).toHaveLength(1);

    // Someone whose visibility was never read cannot be shown rows safely.
    const stranger = await request(server)
      .get(`${API}/summary`)
      .set('Authorization', bob());
    expect(stranger.status).toBe(503);
    expect(stranger.body.error.message).toMatch(/cannot be checked/);

    outage.on = false;

    const recovered = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', alice());
    expect(recovered.status).toBe(200);
    const after: SummaryResponse = (
      await request(server).get(`${API}/summary`).set('Authorization', alice())
    ).body;
    expect(after.snapshot.stale).toBe(false);
    expect(after.snapshot.staleReason).toBeUndefined();
    expect(after.snapshot.takenAt).toBe(recovered.body.takenAt);
    const bobAfter = await request(server)
      .get(`${API}/summary`)
      .set('Authorization', bob());
    expect(bobAfter.status).toBe(200);
  });
});
