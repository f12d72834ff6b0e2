// The running cluster as a fact source: the demo backend reads the demo
// cluster (scripts/demo-cluster.mjs, cluster demo-local in app-config.yaml)
// through Backstage's Kubernetes backend, and inventory-service, which
// declares nothing but backstage.io/kubernetes-id, is scored on what runs.
// Then the cluster stops answering: the snapshot still completes, /summary
// still answers, and the last facts stand in, marked stale.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  apiJson,
  backendUrl,
  gotoSignedIn,
  keepEvidence,
  openBrowser,
  outputDir,
  signInAsGuest,
} from '../browser.mjs';

const clusterUrl = process.env.E2E_CLUSTER_URL ?? 'http://127.0.0.1:7071';
const CLUSTER = 'demo-local';
const ENTITY = '/entities/component/default/inventory-service';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

let session;
before(async () => {
  session = await openBrowser();
  await signInAsGuest(session.page);
  // A snapshot taken now, with the demo cluster answering.
  const refresh = await call('POST', '/api/mesh-readiness/refresh');
  assert.equal(refresh.status, 200, `refresh answered ${refresh.text}`);
});
after(async () => session?.browser.close());
afterEach(async t => {
  if (!t.passed) await keepEvidence(t, session.page, session.consoleLines);
});

/** Calls the backend as the signed-in guest (any plugin, any method). */
async function call(method, pathname, body) {
  return session.page.evaluate(
    async ({ backend, method, pathname, body }) => {
      const refresh = await fetch(`${backend}/api/auth/guest/refresh`, {
        credentials: 'include',
      });
      const { backstageIdentity } = await refresh.json();
      const started = performance.now();
      const res = await fetch(`${backend}${pathname}`, {
        method,
        headers: {
          Authorization: `Bearer ${backstageIdentity.token}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, text, ms: performance.now() - started };
    },
    { backend: backendUrl, method, pathname, body },
  );
}

/** Tells the demo cluster to stop or start answering. */
async function demoCluster(action) {
  const res = await fetch(`${clusterUrl}/__demo/${action}`, { method: 'POST' });
  assert.equal(res.status, 200, `POST /__demo/${action}`);
}

function evidenceOf(result) {
  return result.checks.flatMap(c => c.evidence ?? []);
}

function fromCluster(e) {
  return e.source.cluster === CLUSTER && ISO.test(e.source.observedAt ?? '');
}

test('inventory-service: ports, run-as UID, probes and replicas read from cluster demo-local, with the time they were seen', async () => {
  const result = await apiJson(session.page, ENTITY);
  assert.ok(result.manifests, 'inventory-service has observed facts');
  assert.deepEqual(result.manifests.locations, [`cluster ${CLUSTER}`]);
  const [workload, ...others] = result.manifests.workloads;
  assert.equal(others.length, 0, 'one workload');
  assert.deepEqual(
    {
      kind: workload.kind,
      name: workload.name,
      namespace: workload.namespace,
      matchedBy: workload.matchedBy,
      cluster: workload.source.cluster,
    },
    {
      kind: 'Deployment',
      name: 'inventory-service',
      namespace: 'shop',
      matchedBy: 'backstage.io/kubernetes-id',
      cluster: CLUSTER,
    },
  );
  assert.match(workload.source.observedAt, ISO);

  const evidence = evidenceOf(result);
  const observed = evidence.filter(fromCluster);
  assert.ok(observed.length > 0, 'facts observed in the cluster');
  const find = (fact, value) =>
    observed.find(e => e.fact === fact && e.value.startsWith(value));
  const service = `Service shop/inventory-service, cluster ${CLUSTER}`;
  const deployment = `Deployment shop/inventory-service, cluster ${CLUSTER}`;
  assert.equal(find('port 8080', 'http')?.source.label, service, 'port 8080');
  assert.equal(find('port 9090', 'grpc')?.source.label, service, 'port 9090');
  assert.equal(
    find('runAsUser of server', '10001')?.source.label,
    deployment,
    'runAsUser 10001',
  );
  assert.equal(
    find('readiness probe of server', 'http')?.source.label,
    deployment,
    'readiness probe',
  );
  // The autoscaler owns the count: its minimum.
  const replicas = observed.find(e => e.fact === 'replicas');
  assert.equal(replicas?.value, '3', 'replicas');
  assert.equal(
    replicas.source.label,
    `HorizontalPodAutoscaler shop/inventory-service, cluster ${CLUSTER}`,
  );
  // Nothing is declared: no fact of inventory-service comes from an annotation.
  assert.deepEqual(
    evidence.filter(e => e.source.kind === 'annotation'),
    [],
    'no declared fact',
  );
  const drift = result.checks.find(c => c.id === 'drift');
  assert.match(drift.message, /running cluster/);
});

test('inventory-service: the Kubernetes backend answers 3 replicas (HPA minimum 3) and 3 running pods from the demo cluster', async () => {
  // What the module reads: the Kubernetes backend's answer, objects as the
  // demo cluster serves them.
  const res = await call('POST', '/api/kubernetes/resources/workloads/query', {
    entityRef: 'component:default/inventory-service',
    auth: {},
  });
  assert.equal(res.status, 200, res.text);
  const { items } = JSON.parse(res.text);
  const cluster = items.find(i => i.cluster.name === CLUSTER);
  assert.ok(cluster, `an answer from ${CLUSTER}`);
  assert.deepEqual(cluster.errors, []);
  const of = type =>
    cluster.resources.find(r => r.type === type)?.resources ?? [];
  const [deployment] = of('deployments');
  assert.equal(deployment.spec.replicas, 3);
  assert.equal(of('horizontalpodautoscalers')[0].spec.minReplicas, 3);
  const pods = of('pods');
  assert.equal(pods.length, 3);
  assert.ok(pods.every(p => p.status.phase === 'Running'));
});

test('the summary lists demo-local with its version and nodes as the cluster answered them', async () => {
  const { org } = await apiJson(session.page, '/summary');
  const cluster = (org.observedClusters ?? []).find(c => c.name === CLUSTER);
  assert.ok(cluster, `observedClusters names ${CLUSTER}`);
  assert.equal(cluster.kubernetesVersion, '1.33');
  assert.equal(cluster.nodes, 3);
  assert.deepEqual(cluster.meshes, []);
});

test('the Mesh Readiness tab of inventory-service names cluster demo-local and when each fact was seen', async () => {
  const { page } = session;
  await gotoSignedIn(
    page,
    '/catalog/default/component/inventory-service/mesh-readiness',
  );
  await page
    .getByRole('heading', { name: 'Checks' })
    .waitFor({ timeout: 60_000 });

  const bar = page.getByRole('region', { name: 'Where the facts come from' });
  const barText = (await bar.innerText()).replace(/\s+/g, ' ');
  assert.match(barText, new RegExp(`Observed in cluster ${CLUSTER}`));
  assert.ok(barText.includes('Deployment shop/inventory-service'), barText);

  const rows = page
    .locator('section[data-check="proxy-uid"]')
    .getByRole('table', { name: /^Evidence: / })
    .locator('tbody tr');
  await rows.first().waitFor();
  const cells = (await rows.first().locator('td').allInnerTexts()).map(t =>
    t.replace(/\s+/g, ' ').trim(),
  );
  assert.equal(cells[0], 'runAsUser of server');
  assert.equal(cells[1], '10001');
  assert.match(
    cells[2],
    new RegExp(
      `^Observed Deployment shop/inventory-service, cluster ${CLUSTER}, seen \\S.*\\d{1,2}:\\d\\d`,
    ),
  );
  const chip = rows.first().locator('[data-source="manifest"]');
  assert.equal(
    await chip.getAttribute('title'),
    `Read from the running cluster ${CLUSTER}`,
  );
  await page.screenshot({
    path: path.join(outputDir, 'cluster-inventory-service.png'),
    fullPage: true,
  });
});

test('a cluster that stops answering: the snapshot completes, /summary answers, and inventory-service keeps its facts, stale', async t => {
  await demoCluster('stop');
  t.after(async () => {
    // Whatever happened, the cluster answers again and a fresh snapshot is
    // taken for the tests that follow.
    await demoCluster('start');
    await call('POST', '/api/mesh-readiness/refresh');
  });

  const refresh = await call('POST', '/api/mesh-readiness/refresh');
  assert.equal(refresh.status, 200, `refresh answered ${refresh.text}`);
  // Each entity's request gives up after meshReadiness.kubernetes.timeoutMs.
  assert.ok(refresh.ms < 60_000, `the snapshot took ${refresh.ms} ms`);

  const summary = await call('GET', '/api/mesh-readiness/summary');
  assert.equal(summary.status, 200, summary.text);
  assert.ok(summary.ms < 5_000, `/summary took ${summary.ms} ms`);

  const result = await apiJson(session.page, ENTITY);
  const manifests = result.manifests;
  assert.ok(manifests, 'inventory-service still has observed facts');
  assert.equal(manifests.workloads.length, 1, 'its workload stands in');
  assert.equal(manifests.workloads[0].source.cluster, CLUSTER);
  const problems = manifests.problems.map(p => p.message).join('\n');
  assert.match(
    problems,
    /could not be read .*did not answer in time/,
    'a problem says the cluster did not answer',
  );
  assert.match(problems, /used, stale/, 'a problem says the facts are stale');
  const uid = evidenceOf(result).find(e => e.fact === 'runAsUser of server');
  assert.equal(uid?.value, '10001', 'the stale facts are still scored');
  assert.ok(fromCluster(uid), 'with their cluster and the time they were seen');
  assert.ok(
    new Date(uid.source.observedAt).getTime() < Date.now() - 1000,
    'seen before the cluster stopped',
  );
});
