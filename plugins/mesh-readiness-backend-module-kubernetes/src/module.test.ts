import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
// The real plugin the module extends, as a backend would install both.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import meshReadinessPlugin from '@mesh-readiness/plugin-mesh-readiness-backend';
import type {
  EntityResult,
  ServicesPage,
  SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { meshReadinessModuleKubernetes } from './module';
import { CARTSERVICE_LISTS } from './__testUtils__/cartservice';
import { FakeCluster, startFakeCluster } from './__testUtils__/fakeCluster';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';
const TIMEOUT_MS = 1500;

function component(name: string, annotations: Record<string, string> = {}) {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
`;
}

const catalog = [
  `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
`,
  component('cartservice', { 'backstage.io/kubernetes-id': 'cartservice' }),
  component('locked', { 'backstage.io/kubernetes-id': 'locked' }),
  component('slow', { 'backstage.io/kubernetes-id': 'slow' }),
  component('emailservice', { 'mesh-readiness.io/ports': '8080/grpc' }),
].join('---\n');

async function get<T>(server: any, route: string): Promise<T> {
  const res = await request(server)
    .get(`${API}${route}`)
    .set('Authorization', mockCredentials.user.header());
  expect({ route, status: res.status }).toEqual({ route, status: 200 });
  return res.body;
}

/** Every evidence line of a result, as `fact: value — label`. */
function evidenceOf(result: EntityResult): string[] {
  return result.checks.flatMap(c =>
    (c.evidence ?? []).map(e => `${e.fact}: ${e.value} — ${e.source.label}`),
  );
}

async function snapshot(server: any) {
  const res = await request(server)
    .post(`${API}/refresh`)
    .set('Authorization', mockCredentials.service.header());
  expect(res.status).toBe(200);
}

async function waitForEntities(server: any, count: number) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=component&limit=1')
      .set('Authorization', mockCredentials.user.header());
    if ((res.body?.totalItems ?? 0) >= count) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error('the catalog did not serve the components');
}

/*
 * The real Kubernetes backend, configured with one cluster whose API is a
 * local server answering from Online Boutique-shaped fixtures; the real
 * catalog; the Mesh Readiness backend and this module.
 */
describe('meshReadinessModuleKubernetes', () => {
  let cluster: FakeCluster;
  let server: any;
  let stop: () => Promise<void>;
  let root: string;

  beforeAll(async () => {
    cluster = await startFakeCluster(CARTSERVICE_LISTS, {
      locked: 'forbidden',
      slow: 'hang',
    });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-readiness-k8s-'));
    fs.writeFileSync(path.join(root, 'catalog-info.yaml'), catalog);
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        kubernetesPlugin,
        meshReadinessPlugin,
        meshReadinessModuleKubernetes,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Group'] }],
              locations: [
                { type: 'file', target: path.join(root, 'catalog-info.yaml') },
              ],
            },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'local',
                      url: cluster.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'x',
                      skipTLSVerify: true,
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
            meshReadiness: {
              schedule: {
                frequency: { trigger: 'manual' },
                timeout: { minutes: 5 },
              },
              kubernetes: { timeoutMs: TIMEOUT_MS, concurrency: 2 },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForEntities(server, 4);
    // The Kubernetes backend's first request loads its client (transformed
    // by Jest, seconds): make it before the timed ones.
    await request(server)
      .post('/api/kubernetes/resources/workloads/query')
      .set('Authorization', mockCredentials.service.header())
      .send({ entityRef: 'component:default/cartservice', auth: {} });
    // Clusters are asked during snapshots only; requests read what was stored.
    await snapshot(server);
  });

  afterAll(async () => {
    await stop?.();
    await cluster?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('observes the running workload: ports, probes and UID with the cluster as their source', async () => {
    const result = await get<EntityResult>(
      server,
      '/entities/component/default/cartservice',
    );
    expect(result.manifests?.workloads).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'cartservice',
        namespace: 'shop',
        matchedBy: 'backstage.io/kubernetes-id',
        source: expect.objectContaining({
          kind: 'manifest',
          label: 'Deployment shop/cartservice, cluster local',
          cluster: 'local',
          observedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        }),
      }),
    ]);
    expect(result.manifests?.locations).toEqual(['cluster local']);
    const evidence = evidenceOf(result);
    expect(evidence).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^port 7070: grpc .*— Service shop\/cartservice, cluster local$/,
        ),
        'runAsUser of server: 1000 — Deployment shop/cartservice, cluster local',
        'readiness probe of server: grpc — Deployment shop/cartservice, cluster local',
        'liveness probe of server: grpc — Deployment shop/cartservice, cluster local',
      ]),
    );
    expect(result.manifests?.observedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(result.manifests?.stale).toBeUndefined();
    // The Kubernetes plugin asked the cluster with the entity's label.
    expect(cluster.requests).toContain(
      '/api/v1/pods?backstage.io/kubernetes-id=cartservice',
    );
  });

  it('finds the mesh resources labelled for the entity where the mesh is installed', async () => {
    const result = await get<EntityResult>(
      server,
      '/entities/component/default/cartservice',
    );
    expect(result.manifests?.meshResources).toEqual([
      expect.objectContaining({
        mesh: 'linkerd',
        kind: 'Server',
        name: 'cartservice-grpc',
        namespace: 'shop',
        source: expect.objectContaining({
          label: 'Server shop/cartservice-grpc, cluster local',
          cluster: 'local',
        }),
      }),
    ]);
    // Asked through the Kubernetes backend's custom resource query.
    expect(cluster.requests).toContain(
      '/apis/policy.linkerd.io/v1beta3/servers?backstage.io/kubernetes-id=cartservice',
    );
  });

  it('reads the stored observation on an entity request instead of asking the cluster', async () => {
    const asked = cluster.requests.length;
    await get<EntityResult>(server, '/entities/component/default/cartservice');
    expect(cluster.requests.length).toBe(asked);
  });

  it("reads each cluster's version, node count and mesh API groups, which feed the org checks and cost", async () => {
    const summary = await get<SummaryResponse>(server, '/summary');
    expect(summary.org.observedClusters).toEqual([
      expect.objectContaining({
        name: 'local',
        kubernetesVersion: '1.33',
        nodes: 3,
        meshes: ['linkerd'],
        problems: [],
        source: expect.objectContaining({
          cluster: 'local',
          observedAt: expect.stringMatching(/^\d{4}-/),
        }),
      }),
    ]);
    const version = summary.org.orgChecks?.find(
      c => c.id === 'kubernetes-version',
    );
    // No cluster Resource in this catalog: without the cluster it was unknown.
    expect(version?.status).not.toBe('unknown');
    expect(version?.message).not.toContain('No kubernetes-cluster Resource');
    // The node list was asked for one item; the count came from the rest.
    expect(cluster.requests).toContain('/api/v1/nodes?');
  });

  it('marks the rows inspected in a snapshot, and /summary counts them', async () => {
    const page = await get<ServicesPage>(server, '/services?pageSize=50');
    expect(
      Object.fromEntries(page.items.map(i => [i.name, i.inspected])),
    ).toEqual({
      cartservice: true,
      emailservice: false,
      locked: false,
      slow: false,
    });
    const summary = await get<SummaryResponse>(server, '/summary');
    expect(summary.org.inspected).toBe(1);
  });

  it('leaves the facts of an entity whose cluster answers 403 unknown, with the reason', async () => {
    const result = await get<EntityResult>(
      server,
      '/entities/component/default/locked',
    );
    expect(result.manifests?.workloads ?? []).toEqual([]);
    const problems = (result.manifests?.problems ?? []).map(p => p.message);
    expect(problems).toEqual([
      expect.stringMatching(
        /^cluster local: its workloads could not be read .*403 on \/api\/v1\/pods/,
      ),
    ]);
  });

  it('gives up on a cluster that does not answer after the timeout, without failing the result', async () => {
    const started = Date.now();
    await snapshot(server);
    // Entities are asked two at a time: the hanging one costs one timeout.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 5000);
    const result = await get<EntityResult>(
      server,
      '/entities/component/default/slow',
    );
    expect(result.manifests?.workloads ?? []).toEqual([]);
    expect(result.manifests?.problems.map(p => p.message)).toEqual([
      expect.stringContaining('did not answer in time'),
    ]);
    expect(result.score).not.toBeUndefined();
  });

  it('does not ask about an entity without backstage.io/kubernetes-id', async () => {
    const result = await get<EntityResult>(
      server,
      '/entities/component/default/emailservice',
    );
    expect(result.manifests).toBeUndefined();
    expect(cluster.requests.some(r => r.includes('emailservice'))).toBe(false);
    expect(evidenceOf(result)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/annotation mesh-readiness.io\/ports$/),
      ]),
    );
  });

  it('keeps the last observed facts, marked stale with their age, when the cluster stops answering', async () => {
    const before = await get<EntityResult>(
      server,
      '/entities/component/default/cartservice',
    );
    cluster.behave('cartservice', 'hang');
    await snapshot(server);
    const result = await get<EntityResult>(
      server,
      '/entities/component/default/cartservice',
    );
    expect(result.manifests?.workloads).toEqual([
      expect.objectContaining({ name: 'cartservice' }),
    ]);
    expect(result.manifests?.stale).toBe(true);
    // Seen when the cluster last answered, not now.
    expect(result.manifests?.observedAt).toBe(before.manifests?.observedAt);
    expect(result.manifests?.problems.map(p => p.message)).toEqual([
      expect.stringContaining('did not answer in time'),
      expect.stringMatching(
        /^The facts observed \d+ minute\(s\) ago .* are used, stale/,
      ),
    ]);
    // /summary keeps answering from the stored snapshot.
    await get<SummaryResponse>(server, '/summary');
    cluster.behave('cartservice', 'serve');
  });
});
