import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import type {
  EntityResult,
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
import { FakeGithub, startFakeGithub } from './__testUtils__/fakeGithub';
import {
  billingManifests,
  catalogFile,
  component,
  ordersDeployment,
  ordersService,
  simpleDeployment,
  teamA,
  writeTree,
} from './__testUtils__/manifests';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';

async function get<T>(server: any, route: string): Promise<T> {
  const res = await request(server)
    .get(`${API}${route}`)
    .set('Authorization', userHeader());
  expect({ route, status: res.status }).toEqual({ route, status: 200 });
  return res.body;
}

async function refresh(server: any) {
  const res = await request(server)
    .post(`${API}/refresh`)
    .set('Authorization', serviceHeader());
  expect(res.status).toBe(200);
}

async function inspectedByName(server: any) {
  const page = await get<ServicesPage>(server, '/services?pageSize=50');
  return Object.fromEntries(page.items.map(i => [i.name, i.inspected]));
}

/** Every evidence line of a result, as `fact: value — label`. */
function evidenceOf(result: EntityResult): string[] {
  return result.checks.flatMap(c =>
    (c.evidence ?? []).map(e => `${e.fact}: ${e.value} — ${e.source.label}`),
  );
}

/*
 * Components that link their Kubernetes manifests, on the real catalog
 * backend: the entity result carries what was matched, `/services` says
 * which rows were inspected, and a manifest that cannot be read is a
 * problem on its entity alone.
 */
describe('manifests next to a catalog file on disk', () => {
  let server: any;
  let stop: () => Promise<void>;
  let root: string;

  beforeAll(async () => {
    root = writeTree({
      'catalog-info.yaml': catalogFile(
        teamA,
        component('orders', { 'mesh-readiness.io/manifests': './deploy/' }),
        component('billing', {
          'mesh-readiness.io/manifests': './billing.yaml',
        }),
        component('ghost', {
          'mesh-readiness.io/manifests': './missing.yaml',
          'mesh-readiness.io/ports': '8080/http',
        }),
        component('plain', { 'mesh-readiness.io/ports': '8080/http' }),
      ),
      'deploy/deployment.yaml': ordersDeployment,
      'deploy/service.yaml': ordersService,
      'deploy/README.md': '# not a manifest\n',
      'billing.yaml': billingManifests,
    });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...catalogConfig(path.join(root, 'catalog-info.yaml')),
            // Snapshots only on POST /refresh, so reads can be counted.
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
    await waitForComponents(server, 4);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    await stop?.();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('marks the rows whose manifests matched a workload as inspected, live and in a snapshot', async () => {
    const expected = {
      billing: true,
      ghost: false,
      orders: true,
      plain: false,
    };
    // Before the first snapshot, the caller's live report.
    expect(await inspectedByName(server)).toEqual(expected);
    await refresh(server);
    expect(await inspectedByName(server)).toEqual(expected);

    const summary = await get<SummaryResponse>(server, '/summary');
    expect(summary.snapshot.source).toBe('snapshot');
    expect(summary.org.inspected).toBe(2);
    // A summary recomputed over a subset of rows counts them too.
    const team = await get<SummaryResponse>(server, '/summary?owner=team-a');
    expect(team.org.inspected).toBe(2);
  });

  it('shows on the entity what its manifests say, with file and line', async () => {
    const orders = await get<EntityResult>(
      server,
      '/entities/component/default/orders',
    );
    expect(orders.manifests).toMatchObject({
      locations: ['./deploy/'],
      files: 2,
      workloads: [
        {
          kind: 'Deployment',
          name: 'orders',
          matchedBy: 'name',
          source: {
            kind: 'manifest',
            label: 'Deployment orders, deploy/deployment.yaml:1',
          },
        },
      ],
      problems: [],
    });
    const evidence = evidenceOf(orders);
    expect(evidence).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /1000 — Deployment orders, deploy\/deployment\.yaml:\d+$/,
        ),
        expect.stringMatching(/— Service orders, deploy\/service\.yaml:\d+$/),
      ]),
    );

    const billing = await get<EntityResult>(
      server,
      '/entities/component/default/billing',
    );
    expect(billing.manifests?.workloads).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'billing' }),
    ]);
    expect(evidenceOf(billing).join('\n')).toContain('billing.yaml:');
  });

  it('reports a missing manifest on its entity and scores it from what it declares', async () => {
    const ghost = await get<EntityResult>(
      server,
      '/entities/component/default/ghost',
    );
    expect(ghost.manifests?.workloads).toEqual([]);
    expect(ghost.manifests?.problems).toEqual([
      expect.objectContaining({
        file: 'missing.yaml',
        message: expect.stringMatching(
          /^missing\.yaml: no such file or folder .*"\.\/missing\.yaml".*fix the path/,
        ),
      }),
    ]);
    expect(ghost.score).not.toBeNull();
    const protocols = ghost.checks.find(c => c.id === 'protocols');
    expect(protocols?.status).not.toBe('unknown');

    const plain = await get<EntityResult>(
      server,
      '/entities/component/default/plain',
    );
    expect(plain.manifests).toBeUndefined();
  });

  it('exports inspected in the CSV', async () => {
    const res = await request(server)
      .get(`${API}/services?format=csv&sort=name`)
      .set('Authorization', userHeader());
    expect(res.status).toBe(200);
    const lines = res.text.trim().split('\r\n');
    const header = lines[0].split(',');
    expect(header[header.length - 1]).toBe('inspected');
    const byName = Object.fromEntries(
      lines.slice(1).map(line => {
        const cells = line.split(',');
        return [cells[1], cells[cells.length - 1]];
      }),
    );
    expect(byName).toEqual({
      billing: 'true',
      ghost: 'false',
      orders: 'true',
      plain: 'false',
    });
  });
});

describe('manifests in a repository read through the UrlReader', () => {
  let server: any;
  let stop: () => Promise<void>;
  let github: FakeGithub;
  let root: string;

  beforeAll(async () => {
    root = writeTree({
      'catalog-info.yaml': catalogFile(
        teamA,
        component('orders', { 'mesh-readiness.io/manifests': './deploy/' }),
        component('shipping', { 'mesh-readiness.io/manifests': './deploy/' }),
        component('billing', {
          'mesh-readiness.io/manifests': './rendered/billing.yaml',
        }),
        component('legacy', { 'mesh-readiness.io/manifests': './legacy' }),
        component('ghost', {
          'mesh-readiness.io/manifests': './missing.yaml, ./deploy/',
        }),
      ),
      'deploy/deployment.yaml': ordersDeployment,
      'deploy/service.yaml': ordersService,
      'deploy/shipping.yaml': simpleDeployment('shipping'),
      'deploy/notes.txt': 'not read\n',
      'rendered/billing.yaml': billingManifests,
      'legacy/legacy.yaml': simpleDeployment('legacy'),
    });
    github = await startFakeGithub(root);
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        mockServices.rootConfig.factory({
          data: {
            meshReadiness: {
              schedule: {
                frequency: { trigger: 'manual' },
                timeout: { minutes: 5 },
              },
            },
            integrations: { github: [github.integration] },
            catalog: {
              ...catalogConfig().catalog,
              locations: [
                {
                  type: 'url',
                  target: github.blobUrl('catalog-info.yaml'),
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForComponents(server, 5);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    await stop?.();
    await github?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads folders with readTree and files with readUrl, each location once per snapshot', async () => {
    await refresh(server); // a first snapshot, then one counted alone
    github.requests.length = 0;
    await refresh(server);
    expect(await inspectedByName(server)).toEqual({
      billing: true,
      ghost: false,
      legacy: true,
      orders: true,
      shipping: true,
    });
    const tarballs = github.requests.filter(r => r.includes('/tarball/'));
    // ./deploy/ for orders, shipping and ghost; ./legacy, a folder without its slash.
    expect(tarballs).toHaveLength(2);
    const reads = github.requests.filter(r =>
      r.includes('/contents/rendered/billing.yaml'),
    );
    expect(reads).toHaveLength(1);
  });

  it('links every fact to the file in the repository', async () => {
    const orders = await get<EntityResult>(
      server,
      '/entities/component/default/orders',
    );
    const [workload] = orders.manifests!.workloads;
    // Paths resolve against the catalog file as the catalog names it
    // (which spells GitHub's file URLs with /tree/ once it has read them).
    const entity = await request(server)
      .get('/api/catalog/entities/by-name/component/default/orders')
      .set('Authorization', userHeader());
    const catalogFileUrl = entity.body.metadata.annotations[
      'backstage.io/managed-by-location'
    ].replace(/^url:/, '');
    const file = new URL('./deploy/deployment.yaml', catalogFileUrl).toString();
    expect(file).toMatch(
      /\/acme\/shop\/(tree|blob)\/main\/deploy\/deployment\.yaml$/,
    );
    expect(workload.source).toEqual({
      kind: 'manifest',
      label: `Deployment orders, ${file}:1`,
      url: `${file}#L1`,
    });
    const billing = await get<EntityResult>(
      server,
      '/entities/component/default/billing',
    );
    expect(billing.manifests?.workloads[0].source.url).toBe(
      `${new URL('./rendered/billing.yaml', catalogFileUrl)}#L1`,
    );
  });

  it('reports a location the host does not have, and reads the entity’s other ones', async () => {
    const ghost = await get<EntityResult>(
      server,
      '/entities/component/default/ghost',
    );
    expect(ghost.manifests?.locations).toEqual(['./missing.yaml', './deploy/']);
    expect(ghost.manifests?.files).toBe(3);
    expect(ghost.manifests?.workloads).toEqual([]);
    expect(ghost.manifests?.problems).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(
          /\/acme\/shop\/(tree|blob)\/main\/missing\.yaml$/,
        ),
        message: expect.stringMatching(
          /missing\.yaml: not found \(mesh-readiness\.io\/manifests lists "\.\/missing\.yaml"/,
        ),
      }),
    ]);
    expect(ghost.score).not.toBeNull();
  });
});
