import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import type { EntityHistoryResponse } from '@mesh-readiness/plugin-mesh-readiness-common';
import type { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import { catalogConfig, waitForComponents } from './__testUtils__/backend';
import { writeTree } from './__testUtils__/manifests';
import {
  hidingFromUsers,
  permissionsDecidedBy,
} from './__testUtils__/permissions';

jest.setTimeout(180_000);

const API = '/api/mesh-readiness';
const HIDDEN = 'vault-keeper';
const user = () => mockCredentials.user.header('user:default/guest');
const service = () => mockCredentials.service.header();

/** A small organisation: one team, the service under test, a hidden one. */
function catalogYaml(ordersTracing: string): string {
  const component = (name: string, tracing: string) => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    mesh-readiness.io/ports: "8080/http"
    mesh-readiness.io/tracing: "${tracing}"
    mesh-readiness.io/run-as-uid: "10001"
    mesh-readiness.io/probes: "http"
    mesh-readiness.io/replicas: "3"
spec:
  type: service
  lifecycle: production
  owner: group:default/shop
`;
  return `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: shop
spec:
  type: team
  children: []
${component('orders', ordersTracing)}${component(HIDDEN, 'full')}`;
}

const permissionsWithPolicy = permissionsDecidedBy(hidingFromUsers(HIDDEN));

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});
const catalogDatabases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

/** The database under test for Mesh Readiness; SQLite for the catalog. */
function databasesFor(meshKnex: Knex) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      const client =
        plugin.getId() === 'mesh-readiness'
          ? meshKnex
          : await catalogDatabases.init('SQLITE_3');
      return { getClient: async () => client };
    },
  });
}

describe.each(databases.eachSupportedId())(
  'GET /entities/:kind/:namespace/:name/history (%s)',
  databaseId => {
    let server: any;
    let stop: () => Promise<void>;
    let file: string;
    let firstTakenAt: string;
    let secondTakenAt: string;

    async function refreshSnapshot(): Promise<string> {
      const res = await request(server)
        .post(`${API}/refresh`)
        .set('Authorization', service());
      expect(res.status).toBe(200);
      return res.body.takenAt;
    }

    /** Rewrites the catalog file and waits until the catalog serves it. */
    async function setTracing(value: string) {
      fs.writeFileSync(file, catalogYaml(value));
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        await request(server)
          .post('/api/catalog/refresh')
          .set('Authorization', service())
          .send({ entityRef: 'component:default/orders' });
        const res = await request(server)
          .get('/api/catalog/entities/by-name/component/default/orders')
          .set('Authorization', service());
        if (
          res.body?.metadata?.annotations?.['mesh-readiness.io/tracing'] ===
          value
        ) {
          return;
        }
        await new Promise(resolve => setTimeout(resolve, 300));
      }
      throw new Error('The catalog did not pick up the new annotation');
    }

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const root = writeTree({ 'catalog-info.yaml': catalogYaml('none') });
      file = path.join(root, 'catalog-info.yaml');
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          meshReadinessPlugin,
          permissionsWithPolicy,
          databasesFor(knex),
          // A request without a token is anonymous, as in production.
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          mockServices.rootConfig.factory({
            data: {
              ...catalogConfig(file),
              meshReadiness: {
                schedule: {
                  frequency: { trigger: 'manual' },
                  timeout: { minutes: 5 },
                },
              },
            },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
      // The users' view lacks the hidden service: wait for it as a service.
      await waitForComponents(server, 1);
      const deadline = Date.now() + 60_000;
      while (
        (
          await request(server)
            .get(`/api/catalog/entities/by-name/component/default/${HIDDEN}`)
            .set('Authorization', service())
        ).status !== 200
      ) {
        if (Date.now() > deadline) {
          throw new Error(`The catalog did not serve ${HIDDEN}`);
        }
        await new Promise(resolve => setTimeout(resolve, 250));
      }

      firstTakenAt = await refreshSnapshot();
      await setTracing('full');
      secondTakenAt = await refreshSnapshot();
    });

    afterAll(async () => {
      await stop?.();
    });

    it('lists the entity in each snapshot, oldest first, and says which check changed and why', async () => {
      const res = await request(server)
        .get(`${API}/entities/component/default/orders/history`)
        .set('Authorization', user());
      expect(res.status).toBe(200);
      const body: EntityHistoryResponse = res.body;
      expect(body.items.map(i => i.takenAt)).toEqual([
        firstTakenAt,
        secondTakenAt,
      ]);
      const [before, after] = body.items;
      for (const point of body.items) {
        expect(point.score).toEqual(expect.any(Number));
        expect(point.coverage).toEqual(expect.any(Number));
        expect(point.level).toEqual(expect.any(String));
      }
      expect(after.score!).toBeGreaterThan(before.score!);

      expect(body.changes).toEqual({
        from: firstTakenAt,
        to: secondTakenAt,
        checks: [
          {
            checkId: 'tracing',
            title: expect.any(String),
            from: 'fail',
            to: 'pass',
            reasons: [
              {
                kind: 'annotations',
                message:
                  'Annotations it reads changed: mesh-readiness.io/tracing: "none" → "full".',
                keys: ['mesh-readiness.io/tracing'],
              },
            ],
          },
        ],
      });
    });

    it('keeps to the from and to of the query, like /history', async () => {
      const onlyFirst = await request(server)
        .get(`${API}/entities/component/default/orders/history`)
        .query({ to: firstTakenAt })
        .set('Authorization', user());
      expect(onlyFirst.status).toBe(200);
      expect(onlyFirst.body.items.map((i: any) => i.takenAt)).toEqual([
        firstTakenAt,
      ]);
      expect(onlyFirst.body.changes).toBeUndefined();

      const none = await request(server)
        .get(`${API}/entities/component/default/orders/history`)
        .query({ from: '2000-01-01', to: '2000-01-02' })
        .set('Authorization', user());
      expect(none.body).toEqual({ items: [] });
    });

    it('answers 404 for an entity the caller may not see, as GET /entities does', async () => {
      const hidden = await request(server)
        .get(`${API}/entities/component/default/${HIDDEN}/history`)
        .set('Authorization', user());
      expect(hidden.status).toBe(404);
      expect(hidden.text).not.toContain('"score"');

      const missing = await request(server)
        .get(`${API}/entities/component/default/no-such-service/history`)
        .set('Authorization', user());
      expect(missing.status).toBe(404);

      const asService = await request(server)
        .get(`${API}/entities/component/default/${HIDDEN}/history`)
        .set('Authorization', service());
      expect(asService.status).toBe(200);
      expect(asService.body.items).toHaveLength(2);
      // Nothing it reads changed.
      expect(asService.body.changes.checks).toEqual([]);
    });

    it('answers 400 naming the parameter', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [
          { from: 'yesterday' },
          'Invalid query parameter "from": must be an ISO 8601 date such as 2025-01-31 or 2025-01-31T12:00:00Z',
        ],
        [
          { from: '2026-02-01', to: '2026-01-01' },
          'Invalid query parameter "from": must not be after "to"',
        ],
        [{ owner: 'shop' }, 'Unknown query parameter "owner"'],
      ];
      for (const [query, message] of cases) {
        const res = await request(server)
          .get(`${API}/entities/component/default/orders/history`)
          .query(query)
          .set('Authorization', user());
        expect({
          query,
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ query, status: 400, message });
      }
      const unauthenticated = await request(server).get(
        `${API}/entities/component/default/orders/history`,
      );
      expect(unauthenticated.status).toBe(401);
    });
  },
);
