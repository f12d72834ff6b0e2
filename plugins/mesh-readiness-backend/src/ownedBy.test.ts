import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import type {
  ServicesPage,
  SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  serviceHeader,
  userHeader,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';
import { catalogFile, writeTree } from './__testUtils__/manifests';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';

function group(
  name: string,
  relations: { parent?: string; children?: string[] },
) {
  return `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${name}
spec:
  type: team
${relations.parent ? `  parent: ${relations.parent}\n` : ''}  children: [${(
    relations.children ?? []
  ).join(', ')}]
`;
}

function user(name: string, memberOf: string[]) {
  return `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ${name}
spec:
  memberOf: [${memberOf.join(', ')}]
`;
}

function service(name: string, owner: string) {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    mesh-readiness.io/ports: "8080/http"
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;
}

/*
 * platform (jane is a member) → infra → infra-sre; sales beside it;
 * loop-a ⇄ loop-b name each other as children.
 */
const catalog = catalogFile(
  group('platform', { children: ['infra'] }),
  group('infra', { parent: 'platform', children: ['infra-sre'] }),
  group('infra-sre', { parent: 'infra' }),
  group('sales', {}),
  group('loop-a', { children: ['loop-b'] }),
  group('loop-b', { children: ['loop-a'] }),
  user('jane', ['platform']),
  user('bob', []),
  service('platform-portal', 'group:default/platform'),
  service('edge-proxy', 'group:default/infra'),
  service('pager', 'group:default/infra-sre'),
  service('janes-tool', 'user:default/jane'),
  service('billing', 'group:default/sales'),
  service('looped', 'group:default/loop-b'),
);

async function get<T>(server: any, route: string): Promise<T> {
  const res = await request(server)
    .get(`${API}${route}`)
    .set('Authorization', userHeader());
  expect({
    route,
    status: res.status,
    body: res.status === 200 ? undefined : res.body,
  }).toEqual({
    route,
    status: 200,
    body: undefined,
  });
  return res.body;
}

async function names(server: any, query: string): Promise<string[]> {
  const page = await get<ServicesPage>(
    server,
    `/services?pageSize=100&${query}`,
  );
  expect(page.total).toBe(page.items.length);
  return page.items.map(i => i.name).sort();
}

const JANES = ['edge-proxy', 'janes-tool', 'pager', 'platform-portal'];

/*
 * `ownedBy` on the real catalog backend: a User stands for their groups
 * and every group below them, before and after the first snapshot.
 */
describe("ownedBy: the services of a user's groups, nested", () => {
  let server: any;
  let stop: () => Promise<void>;
  let root: string;

  beforeAll(async () => {
    root = writeTree({ 'catalog-info.yaml': catalog });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...catalogConfig(path.join(root, 'catalog-info.yaml')),
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
    await waitForComponents(server, 6);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    await stop?.();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function expectScoping() {
    expect(await names(server, 'ownedBy=user:default/jane')).toEqual(JANES);
    // A bare name is a User's.
    expect(await names(server, 'ownedBy=jane')).toEqual(JANES);
    // A Group stands for itself and the groups below it.
    expect(await names(server, 'ownedBy=group:default/infra')).toEqual([
      'edge-proxy',
      'pager',
    ]);
    // Narrowed further with the exact owner filter.
    expect(
      await names(server, 'ownedBy=user:default/jane&owner=infra-sre'),
    ).toEqual(['pager']);
    expect(await names(server, 'ownedBy=user:default/bob')).toEqual([]);
    expect(await names(server, 'ownedBy=group:default/loop-a')).toEqual([
      'looped',
    ]);

    const summary = await get<SummaryResponse>(
      server,
      '/summary?ownedBy=user:default/jane',
    );
    expect(summary.org.counts.inScope).toBe(4);
    expect(summary.org.rollups.owner.map(r => r.key).sort()).toEqual([
      'group:default/infra',
      'group:default/infra-sre',
      'group:default/platform',
      'user:default/jane',
    ]);
    expect(summary.ownedBy).toEqual({
      entityRef: 'user:default/jane',
      found: true,
      groups: ['group:default/platform'],
      owners: [
        'user:default/jane',
        'group:default/platform',
        'group:default/infra',
        'group:default/infra-sre',
      ],
    });
    // The whole organisation is unchanged, and says nothing of ownedBy.
    const org = await get<SummaryResponse>(server, '/summary');
    expect(org.org.counts.inScope).toBe(6);
    expect(org.ownedBy).toBeUndefined();
  }

  it('scopes /services and /summary before the first snapshot (live)', async () => {
    const summary = await get<SummaryResponse>(server, '/summary');
    expect(summary.snapshot.source).toBe('live');
    await expectScoping();
  });

  it('scopes /services, /summary and the CSV export in a snapshot', async () => {
    const refresh = await request(server)
      .post(`${API}/refresh`)
      .set('Authorization', serviceHeader());
    expect(refresh.status).toBe(200);
    const summary = await get<SummaryResponse>(server, '/summary');
    expect(summary.snapshot.source).toBe('snapshot');
    await expectScoping();

    const csv = await request(server)
      .get(`${API}/services?format=csv&ownedBy=group:default/infra`)
      .set('Authorization', userHeader());
    expect(csv.status).toBe(200);
    const rows = csv.text.trim().split('\n').slice(1);
    expect(rows.map(r => r.split(',')[0]).sort()).toEqual([
      'component:default/edge-proxy',
      'component:default/pager',
    ]);
  });

  it('says when the catalog has no such user, and lists nothing', async () => {
    const summary = await get<SummaryResponse>(
      server,
      '/summary?ownedBy=user:development/guest',
    );
    expect(summary.ownedBy).toEqual({
      entityRef: 'user:development/guest',
      found: false,
      groups: [],
      owners: ['user:development/guest'],
    });
    expect(summary.org.counts.inScope).toBe(0);
    expect(await names(server, 'ownedBy=user:development/guest')).toEqual([]);
  });

  it.each([
    [
      '/services?ownedBy=component:default/billing',
      'must name a User or a Group',
    ],
    ['/summary?ownedBy=a/b/c', 'must be an entity ref'],
    ['/services?ownedBy=jane&ownedBy=bob', 'must be given once'],
  ])('GET %s answers 400 naming ownedBy', async (route, message) => {
    const res = await request(server)
      .get(`${API}${route}`)
      .set('Authorization', userHeader());
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain('"ownedBy"');
    expect(res.body.error.message).toContain(message);
  });

  it('keeps /history to one owner: ownedBy is not a history filter', async () => {
    const res = await request(server)
      .get(`${API}/history?ownedBy=user:default/jane`)
      .set('Authorization', userHeader());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Unknown query parameter "ownedBy"');
  });
});
