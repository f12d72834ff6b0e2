import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { meshReadinessFactSourcesExtensionPoint } from '@mesh-readiness/plugin-mesh-readiness-node';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';
import { permissionsDecidedBy } from './__testUtils__/permissions';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';
const REFRESH = 'mesh-readiness.snapshot.refresh';
const GUEST = 'user:default/guest';

/** The policy under test: the guest may not refresh; everything else is allowed. */
const permissionsWithPolicy = permissionsDecidedBy(
  (permission, credentials) => {
    const principal = credentials.principal as { userEntityRef?: string };
    if (permission.name === REFRESH && principal.userEntityRef === GUEST) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  },
);

/**
 * A fact source that knows nothing, asked once per snapshot: it counts the
 * snapshots taken and can hold one in progress until it is let go.
 */
const snapshotProbe = {
  snapshots: 0,
  hold: undefined as Promise<void> | undefined,
};
const probeModule = createBackendModule({
  pluginId: 'mesh-readiness',
  moduleId: 'snapshot-probe',
  register(env) {
    env.registerInit({
      deps: { sources: meshReadinessFactSourcesExtensionPoint },
      async init({ sources }) {
        sources.addFactSource({
          id: 'snapshot-probe',
          async observe() {
            return new Map();
          },
          async observeClusters() {
            snapshotProbe.snapshots++;
            await snapshotProbe.hold;
            return [];
          },
        });
      },
    });
  },
});

const as = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

describe('POST /refresh: a permission of its own, shared snapshots, a limit per caller', () => {
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        probeModule,
        permissionsWithPolicy,
        mockServices.rootConfig.factory({
          data: {
            ...catalogConfig(),
            meshReadiness: {
              // Snapshots only on POST /refresh, so they can be counted.
              schedule: {
                frequency: { trigger: 'manual' },
                timeout: { minutes: 5 },
              },
              refresh: { maxPerCaller: 3, windowSeconds: 600 },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForComponents(server, 46);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    await stop?.();
  });

  async function historyPoints(): Promise<number> {
    const res = await request(server)
      .get(`${API}/history`)
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    return res.body.items.length;
  }

  it('declares the permission, so the permission framework lists it', async () => {
    const res = await request(server)
      .get(`${API}/.well-known/backstage/permissions/metadata`)
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.permissions).toContainEqual({
      type: 'basic',
      name: REFRESH,
      attributes: { action: 'update' },
    });
  });

  it('answers 403 with a clear message to a caller the policy denies, and takes no snapshot', async () => {
    const before = snapshotProbe.snapshots;
    const res = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', as(GUEST));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        `You are not allowed to take a Mesh Readiness snapshot: the permission policy denies ${REFRESH}`,
      ),
    });
    expect(snapshotProbe.snapshots).toBe(before);
  });

  it('takes a snapshot for a caller the policy allows', async () => {
    const before = snapshotProbe.snapshots;
    const res = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', as('user:default/admin'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'snapshot', stale: false });
    expect(snapshotProbe.snapshots).toBe(before + 1);
    const summary = await request(server)
      .get(`${API}/summary`)
      .set('Authorization', as('user:default/admin'));
    expect(summary.body.snapshot.takenAt).toBe(res.body.takenAt);
  });

  it('lets concurrent refreshes share the snapshot being taken', async () => {
    const before = snapshotProbe.snapshots;
    const points = await historyPoints();
    let release!: () => void;
    snapshotProbe.hold = new Promise(resolve => {
      release = resolve;
    });
    try {
      const first = request(server)
        .post(`${API}/refresh`)
        .set('Authorization', as('user:default/alice'))
        .then(r => r);
      // The first snapshot is under way (and held) before the second asks.
      while (snapshotProbe.snapshots === before) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      // Bob asks four times while it runs, more than the limit of three:
      // joining costs nothing, so none is refused.
      const joins = [1, 2, 3, 4].map(() =>
        request(server)
          .post(`${API}/refresh`)
          .set('Authorization', as('user:default/bob'))
          .then(r => r),
      );
      await new Promise(resolve => setTimeout(resolve, 500));
      release();
      const [a, ...b] = await Promise.all([first, ...joins]);
      expect([a, ...b].map(r => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(b.map(r => r.body.takenAt))).toEqual(
        new Set([a.body.takenAt]),
      );
    } finally {
      release();
      snapshotProbe.hold = undefined;
    }
    expect(snapshotProbe.snapshots).toBe(before + 1);
    expect(await historyPoints()).toBe(points + 1);
  });

  it('answers 429 with Retry-After past the limit per caller, naming the limit and its keys', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await request(server)
        .post(`${API}/refresh`)
        .set('Authorization', as('user:default/carol'));
      expect(ok.status).toBe(200);
    }
    const before = snapshotProbe.snapshots;
    const over = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', as('user:default/carol'));
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(over.body.error.message).toBe(
      `Too many refreshes: at most 3 per 600 seconds for each caller (meshReadiness.refresh.maxPerCaller and meshReadiness.refresh.windowSeconds). Try again in ${retryAfter} seconds.`,
    );
    expect(snapshotProbe.snapshots).toBe(before);

    // The limit is per caller: another one still refreshes.
    const other = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', as('user:default/dave'));
    expect(other.status).toBe(200);
  });
});
