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
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  serviceHeader,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';
import { writeTree } from './__testUtils__/manifests';

jest.setTimeout(180_000);

const API = '/api/mesh-readiness';
const DAY_MS = 86_400_000;
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

/** A date `days` from now, as a waiver writes it. */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

/** What the test changes between snapshots. */
interface CatalogState {
  /** mesh-readiness.io/tracing of orders: `none` drops it to pilot-ready. */
  ordersTracing: 'full' | 'none';
  /** mesh-readiness.io/tracing of payments. */
  paymentsTracing: 'full' | 'none';
  /** The billing routes kept from mesh retries; the others are unsafe. */
  billingNoRetry: string[];
  /** The last day of ledger's tracing waiver. */
  waiverUntil: string;
  /** metadata.title of billing, if any. */
  billingTitle?: string;
}

/** The annotations of a service that is production-ready under Istio. */
function readyAnnotations(tracing: string, noRetry: string[]) {
  return {
    'mesh-readiness.io/ports': '8080/http',
    'mesh-readiness.io/tracing': tracing,
    'mesh-readiness.io/mtls-requirement': 'workload-identity',
    'mesh-readiness.io/needs': 'mtls, canary',
    'mesh-readiness.io/replicas': '3',
    'mesh-readiness.io/peak-rps': '100',
    'mesh-readiness.io/run-as-uid': '10001',
    'mesh-readiness.io/probes': 'http',
    'mesh-readiness.io/pod-security': 'restricted',
    'mesh-readiness.io/bind-address': '0.0.0.0',
    'mesh-readiness.io/headless': 'false',
    'mesh-readiness.io/timeouts': 'true',
    'mesh-readiness.io/retries': 'idempotent-only',
    'mesh-readiness.io/no-retry-routes': noRetry.join(', '),
  };
}

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
  provides: string,
  title?: string,
): string {
  const lines = Object.entries(annotations)
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}${title ? `\n  title: ${JSON.stringify(title)}` : ''}
  annotations:
${lines}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
  providesApis: [${provides}]
  dependsOn: [resource:default/prod]
`;
}

/** An OpenAPI API: a read, and two POSTs that are not idempotent. */
function apiEntity(name: string, owner: string, base: string): string {
  return `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ${name}
spec:
  type: openapi
  lifecycle: production
  owner: ${owner}
  definition: |
    openapi: 3.0.3
    info: { title: ${name}, version: 1.0.0 }
    paths:
      /${base}/{id}:
        get:
          responses: { '200': { description: ok } }
      /${base}:
        post:
          responses: { '201': { description: created } }
      /${base}/{id}/cancel:
        post:
          responses: { '200': { description: ok } }
`;
}

/**
 * Two teams with one member each, a cluster, and four services. Linkerd
 * is configured out of the cluster's version (see `meshConfig`), so the
 * planned mesh is Istio, which retries by default: a POST that is not in
 * mesh-readiness.io/no-retry-routes is an operation it would retry.
 */
function catalogYaml(state: CatalogState): string {
  const all = ['POST /orders', 'POST /orders/{id}/cancel'];
  return [
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
`,
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-b
spec:
  type: team
  children: []
`,
    `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
spec:
  memberOf: [team-a]
`,
    `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: bob
spec:
  memberOf: [team-b]
`,
    `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: prod
  annotations:
    mesh-readiness.io/kubernetes-version: "1.33"
    mesh-readiness.io/nodes: "6"
    mesh-readiness.io/cni: "calico"
spec:
  type: kubernetes-cluster
  owner: group:default/team-b
`,
    apiEntity('orders-api', 'group:default/team-a', 'orders'),
    apiEntity('payments-api', 'group:default/team-a', 'payments'),
    apiEntity('invoices-api', 'group:default/team-b', 'invoices'),
    apiEntity('ledger-api', 'group:default/team-b', 'entries'),
    component(
      'orders',
      'group:default/team-a',
      readyAnnotations(state.ordersTracing, all),
      'orders-api',
    ),
    component(
      'payments',
      'group:default/team-a',
      readyAnnotations(state.paymentsTracing, [
        'POST /payments',
        'POST /payments/{id}/cancel',
      ]),
      'payments-api',
    ),
    component(
      'billing',
      'group:default/team-b',
      readyAnnotations('full', state.billingNoRetry),
      'invoices-api',
      state.billingTitle,
    ),
    component(
      'ledger',
      'group:default/team-b',
      {
        ...readyAnnotations('none', [
          'POST /entries',
          'POST /entries/{id}/cancel',
        ]),
        'mesh-readiness.io/waive.tracing': `${state.waiverUntil} the ledger SDK has no trace propagation yet`,
      },
      'ledger-api',
    ),
  ].join('---\n');
}

const INITIAL: CatalogState = {
  ordersTracing: 'full',
  paymentsTracing: 'full',
  billingNoRetry: ['POST /invoices'],
  waiverUntil: dayFromNow(5),
};

/** The planned mesh is Istio: Linkerd's window leaves the cluster out. */
function meshConfig(extra: object = {}) {
  return {
    // Snapshots on POST /refresh only.
    schedule: { frequency: { trigger: 'manual' }, timeout: { minutes: 5 } },
    // More than the default 5 a minute.
    refresh: { maxPerCaller: 100 },
    versions: { linkerd: { min: '1.20', max: '1.21' } },
    ...extra,
  };
}

/**
 * The database service: the Mesh Readiness plugin on `meshKnex` (SQLite or
 * PostgreSQL, shared by replicas), every other plugin on its own SQLite.
 */
function databaseFactory(meshKnex: Knex, other: () => Promise<Knex>) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      const knex =
        plugin.getId() === 'mesh-readiness' ? meshKnex : await other();
      return { getClient: async () => knex };
    },
  });
}

interface Received {
  title: string;
  description?: string;
  link?: string;
  severity?: string;
  topic?: string;
  scope?: string;
  id: string;
  read: boolean;
  /** Whether a later send replaced it (same scope): a repeat. */
  updated: boolean;
}

/** The Mesh readiness notifications a user sees, through the REST API. */
async function notificationsOf(server: any, user: string): Promise<Received[]> {
  const res = await request(server)
    .get('/api/notifications/notifications')
    .query({ topic: 'Mesh readiness', limit: 100 })
    .set('Authorization', mockCredentials.user.header(user));
  expect(res.status).toBe(200);
  return res.body.notifications.map((n: any) => ({
    ...n.payload,
    id: n.id,
    read: Boolean(n.read),
    updated: Boolean(n.updated),
  }));
}

function byScope(list: Received[], cause: string, name: string) {
  return list.filter(
    n => n.scope === `mesh-readiness:${cause}:component:default/${name}`,
  );
}

async function snapshot(server: any) {
  const res = await request(server)
    .post(`${API}/refresh`)
    .set('Authorization', serviceHeader());
  expect(res.status).toBe(200);
}

/**
 * Rewrites the catalog file and has the catalog read it again, then waits
 * until it serves the changed annotation.
 */
async function changeCatalog(
  server: any,
  file: string,
  state: CatalogState,
  changed: { name: string; annotation: string; value: string },
) {
  fs.writeFileSync(file, catalogYaml(state));
  const ref = `component:default/${changed.name}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await request(server)
      .post('/api/catalog/refresh')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRef: ref });
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/component/default/${changed.name}`)
      .set('Authorization', mockCredentials.user.header());
    if (
      res.body?.metadata?.annotations?.[changed.annotation] === changed.value
    ) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 300));
  }
  throw new Error(`The catalog did not pick up the change of ${ref}`);
}

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});
const others = TestDatabases.create({ ids: ['SQLITE_3'], disableDocker: true });

/*
 * Snapshots on the real catalog (a file location) and the real
 * notifications backend: each owner hears once of each change to their
 * services, through the notifications REST API as a member of the team.
 */
describe.each(databases.eachSupportedId())(
  'notifications to owners (%s)',
  databaseId => {
    let server: any;
    let meshKnex: Knex;
    let root: string;
    let file: string;
    let state: CatalogState;
    const backends: Array<{ stop(): Promise<void> }> = [];

    beforeAll(async () => {
      meshKnex = await databases.init(databaseId);
      state = { ...INITIAL };
      root = writeTree({ 'catalog-info.yaml': catalogYaml(state) });
      file = path.join(root, 'catalog-info.yaml');
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          notificationsPlugin,
          meshReadinessPlugin,
          databaseFactory(meshKnex, () => others.init('SQLITE_3')),
          mockServices.rootConfig.factory({
            data: {
              ...catalogConfig(file),
              app: { baseUrl: 'http://localhost:3000' },
              meshReadiness: meshConfig(),
            },
          }),
        ],
      });
      backends.push(backend);
      server = backend.server;
      await waitForComponents(server, 4);
      await waitForStableCatalog(server);
    });

    afterAll(async () => {
      for (const backend of backends.reverse()) {
        await backend.stop();
      }
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('tells the owners of a waiver that ends within 14 days, and nothing else, on the first snapshot', async () => {
      await snapshot(server);

      expect(await notificationsOf(server, ALICE)).toEqual([]);
      const bob = await notificationsOf(server, BOB);
      expect(bob).toEqual([
        expect.objectContaining({
          title: `ledger: the waiver for tracing ends on ${state.waiverUntil}`,
          link: '/catalog/default/component/ledger/mesh-readiness',
          topic: 'Mesh readiness',
          severity: 'normal',
          scope: 'mesh-readiness:waiver-expiring:component:default/ledger',
        }),
      ]);
      expect(bob[0].description).toContain('(in 5 days)');
      expect(bob[0].description).toContain(
        'the ledger SDK has no trace propagation yet',
      );
    });

    it('sends one notification per service and cause after annotations change', async () => {
      // orders drops to pilot-ready; billing leaves one more POST to retries.
      state = { ...state, ordersTracing: 'none', billingNoRetry: [] };
      await changeCatalog(server, file, state, {
        name: 'orders',
        annotation: 'mesh-readiness.io/tracing',
        value: 'none',
      });
      await changeCatalog(server, file, state, {
        name: 'billing',
        annotation: 'mesh-readiness.io/no-retry-routes',
        value: '',
      });
      await snapshot(server);

      const alice = await notificationsOf(server, ALICE);
      expect(alice).toEqual([
        expect.objectContaining({
          title:
            'orders: mesh readiness dropped from production-ready to pilot-ready',
          link: '/catalog/default/component/orders/mesh-readiness',
          severity: 'normal',
          read: false,
        }),
      ]);
      expect(alice[0].description).toContain(
        'What changed: Trace context propagated (pass → fail).',
      );

      const bob = await notificationsOf(server, BOB);
      expect(bob).toHaveLength(2);
      const [unsafe] = byScope(bob, 'unsafe-operation', 'billing');
      expect(unsafe).toMatchObject({
        title:
          'billing: Istio ambient would retry POST /invoices (api:default/invoices-api), which is not idempotent',
        link: '/catalog/default/component/billing/mesh-readiness',
        severity: 'high',
      });
      expect(unsafe.description).toContain(
        'POST /invoices (api:default/invoices-api)',
      );
      expect(unsafe.description).toContain(
        'POST /invoices/{id}/cancel (api:default/invoices-api)',
      );
      // The waiver, told once.
      expect(byScope(bob, 'waiver-expiring', 'ledger')).toHaveLength(1);
    });

    it('sends nothing more while nothing changes', async () => {
      // Alice reads hers: a repeat would make it unread again.
      const [read] = await notificationsOf(server, ALICE);
      const marked = await request(server)
        .post('/api/notifications/notifications/update')
        .set('Authorization', mockCredentials.user.header(ALICE))
        .send({ ids: [read.id], read: true });
      expect(marked.status).toBe(200);

      await snapshot(server);

      expect(await notificationsOf(server, ALICE)).toEqual([
        expect.objectContaining({ id: read.id, read: true, updated: false }),
      ]);
      const bob = await notificationsOf(server, BOB);
      expect(bob).toHaveLength(2);
      expect(bob.map(n => n.updated)).toEqual([false, false]);
    });

    it('sends once when a second replica on the same database snapshots the same change', async () => {
      // A replica of the Mesh Readiness backend alone: the same database,
      // and the catalog and notifications of the first instance.
      const replica = await startTestBackend({
        features: [
          meshReadinessPlugin,
          mockServices.database.factory({ knex: meshKnex }),
          createServiceFactory({
            service: coreServices.discovery,
            deps: {},
            factory: () => ({
              getBaseUrl: async (id: string) =>
                `http://localhost:${server.port()}/api/${id}`,
              getExternalBaseUrl: async (id: string) =>
                `http://localhost:${server.port()}/api/${id}`,
            }),
          }),
          mockServices.rootConfig.factory({
            data: { meshReadiness: meshConfig() },
          }),
        ],
      });
      backends.push(replica);

      state = { ...state, paymentsTracing: 'none' };
      await changeCatalog(server, file, state, {
        name: 'payments',
        annotation: 'mesh-readiness.io/tracing',
        value: 'none',
      });
      // Both replicas snapshot the change at once.
      await Promise.all([snapshot(server), snapshot(replica.server)]);

      const alice = await notificationsOf(server, ALICE);
      expect(byScope(alice, 'level-dropped', 'payments')).toEqual([
        expect.objectContaining({
          title:
            'payments: mesh readiness dropped from production-ready to pilot-ready',
          // Sent once: a second send would have replaced it.
          updated: false,
        }),
      ]);
      expect(alice).toHaveLength(2);
      // The waiver both replicas find is not told again either.
      const bob = await notificationsOf(server, BOB);
      expect(bob.map(n => n.updated)).toEqual([false, false]);
    });

    it('tells of an unsafe operation that replaced a fixed one, with the title cut to 200 characters', async () => {
      // billing keeps POST /invoices from retries: one unsafe operation
      // left, fewer than before, nothing to tell.
      state = { ...state, billingNoRetry: ['POST /invoices'] };
      await changeCatalog(server, file, state, {
        name: 'billing',
        annotation: 'mesh-readiness.io/no-retry-routes',
        value: 'POST /invoices',
      });
      await snapshot(server);
      expect(
        byScope(
          await notificationsOf(server, BOB),
          'unsafe-operation',
          'billing',
        ),
      ).toEqual([expect.objectContaining({ updated: false })]);

      // Then the cancel route is kept from retries and POST /invoices is
      // not: one fixed, one added, as many as before. And billing has a
      // title longer than the notifications backend stores on PostgreSQL.
      const title = `Billing ${'and invoicing '.repeat(25)}`.trim();
      state = {
        ...state,
        billingNoRetry: ['POST /invoices/{id}/cancel'],
        billingTitle: title,
      };
      await changeCatalog(server, file, state, {
        name: 'billing',
        annotation: 'mesh-readiness.io/no-retry-routes',
        value: 'POST /invoices/{id}/cancel',
      });
      await snapshot(server);

      const bob = await notificationsOf(server, BOB);
      const [unsafe] = byScope(bob, 'unsafe-operation', 'billing');
      // Sent: it replaced the earlier one of the same scope.
      expect(unsafe).toMatchObject({ updated: true, read: false });
      expect(unsafe.title).toHaveLength(200);
      expect(unsafe.title).toBe(`${title.slice(0, 199)}…`);
      expect(unsafe.description).toContain(
        'new since the previous snapshot: POST /invoices (api:default/invoices-api).',
      );
      expect(unsafe.description).not.toContain('cancel');
      // Nothing else is news: the waiver was told already.
      expect(bob).toHaveLength(2);
    });
  },
);

describe('notifications switched off', () => {
  it('sends nothing, for a drop or a waiver, with meshReadiness.notifications.enabled false', async () => {
    let state = { ...INITIAL };
    const root = writeTree({ 'catalog-info.yaml': catalogYaml(state) });
    const file = path.join(root, 'catalog-info.yaml');
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        notificationsPlugin,
        meshReadinessPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...catalogConfig(file),
            app: { baseUrl: 'http://localhost:3000' },
            meshReadiness: meshConfig({ notifications: { enabled: false } }),
          },
        }),
      ],
    });
    try {
      const server = backend.server;
      await waitForComponents(server, 4);
      await waitForStableCatalog(server);
      await snapshot(server);
      state = { ...state, ordersTracing: 'none' };
      await changeCatalog(server, file, state, {
        name: 'orders',
        annotation: 'mesh-readiness.io/tracing',
        value: 'none',
      });
      await snapshot(server);

      // The drop is in the snapshot, and no one is told.
      const services = await request(server)
        .get(`${API}/services?q=orders`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(services.body.items[0]).toMatchObject({
        name: 'orders',
        level: 'pilot-ready',
      });
      expect(await notificationsOf(server, ALICE)).toEqual([]);
      expect(await notificationsOf(server, BOB)).toEqual([]);
    } finally {
      await backend.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('without the notifications backend', () => {
  it('starts, takes snapshots and serves them, and keeps the notification for a backend that takes it', async () => {
    const entities = parseAllDocuments(catalogYaml(INITIAL)).map(
      doc => doc.toJS() as Entity,
    );
    const knex = await others.init('SQLITE_3');
    const backend = await startTestBackend({
      features: [
        meshReadinessPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: { meshReadiness: meshConfig() },
        }),
      ],
    });
    try {
      // The ledger waiver calls for a notification that no backend takes.
      await snapshot(backend.server);
      await snapshot(backend.server);
      const summary = await request(backend.server)
        .get(`${API}/summary`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(summary.status).toBe(200);
      expect(summary.body.snapshot.source).toBe('snapshot');
      // Kept, not sent: a snapshot once a notifications backend takes it
      // sends it.
      expect(
        await knex('owner_notifications').select('entity_ref', 'sent_at'),
      ).toEqual([{ entity_ref: 'component:default/ledger', sent_at: null }]);
    } finally {
      await backend.stop();
    }
  });
});
