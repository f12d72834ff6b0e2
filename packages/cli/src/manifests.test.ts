import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  EntityResult,
  ManifestObservation,
  ScoreReport,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { cli } from './__testUtils__/cli';

/** Writes files (relative path → text) under a new temporary folder. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-readiness-cli-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

function component(
  name: string,
  annotations: Record<string, string> = {},
): string {
  const lines = Object.entries(annotations).map(
    ([k, v]) => `    ${k}: ${JSON.stringify(v)}`,
  );
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
${lines.length > 0 ? `  annotations:\n${lines.join('\n')}\n` : ''}spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
`;
}

function deployment(name: string, uid = 1000, replicas = 3): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      securityContext:
        runAsUser: ${uid}
      containers:
        - name: app
          image: acme/${name}:1.0
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;
}

type Report = ScoreReport & {
  observations?: Record<string, ManifestObservation>;
};

function entity(report: Report, name: string): EntityResult {
  return report.entities.find(e => e.name === name)!;
}

describe('score and lint with --manifests', () => {
  const dir = tree({
    'catalog-info.yaml': [
      component('orders'),
      component('billing', { 'backstage.io/kubernetes-id': 'billing-api' }),
      component('stranger'),
    ].join('---\n'),
    'k8s/orders.yaml': deployment('orders'),
    'k8s/billing.yaml': deployment('billing-v2', 2102).replace(
      /labels: \{ app: billing-v2 \}/,
      'labels: { app: billing-v2, backstage.io/kubernetes-id: billing-api }',
    ),
    'k8s/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [orders.yaml]\n',
    'k8s/broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata: [oops\n',
  });
  const catalog = path.join(dir, 'catalog-info.yaml');
  const k8s = path.join(dir, 'k8s');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('matches every Component to its workloads and keeps every fact with its file and line in --json', async () => {
    const { code, stdout } = await cli(
      'score',
      '--json',
      catalog,
      '--manifests',
      k8s,
    );
    expect(code).toBe(0);
    const report: Report = JSON.parse(stdout);
    expect(entity(report, 'orders').manifests?.workloads).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'orders',
        matchedBy: 'name',
        source: {
          kind: 'manifest',
          label: `Deployment orders, ${k8s}/orders.yaml:1`,
        },
      }),
    ]);
    expect(entity(report, 'billing').manifests?.workloads).toEqual([
      expect.objectContaining({
        name: 'billing-v2',
        matchedBy: 'backstage.io/kubernetes-id',
      }),
    ]);
    expect(entity(report, 'stranger').manifests?.workloads).toEqual([]);
    expect(report.org.inspected).toBe(2);
    // The observed UID 2102 is Linkerd's proxy UID: the check says so, with the line.
    const uid = entity(report, 'billing').checks.find(
      c => c.id === 'proxy-uid',
    )!;
    expect(uid.status).not.toBe('pass');
    expect(uid.evidence).toEqual([
      expect.objectContaining({
        value: '2102',
        source: expect.objectContaining({
          label: expect.stringMatching(
            /^Deployment billing-v2, .*k8s\/billing\.yaml:\d+$/,
          ),
        }),
      }),
    ]);
    // Everything the manifests say, by entity ref.
    const observed = report.observations!['component:default/orders'];
    expect(observed.workloads[0].replicas).toMatchObject({
      value: 3,
      from: 'spec.replicas',
    });
    expect(observed.workloads[0].servicePorts).toEqual([
      expect.objectContaining({
        service: 'orders',
        port: 80,
        containerPort: 8080,
        protocol: 'http',
        protocolFrom: 'port name',
      }),
    ]);
  });

  it('prints where each service’s facts come from, and the evidence of each check', async () => {
    const { code, stdout, stderr } = await cli(
      'score',
      '--details',
      catalog,
      '--manifests',
      k8s,
    );
    expect(code).toBe(0);
    expect(stdout).toContain('inspected: 1 workload (Deployment orders)');
    expect(stdout).toMatch(
      /replicas of Deployment orders: 3 \(spec\.replicas\) — Deployment orders,\s+\S*k8s\/orders\.yaml:\d+/,
    );
    expect(stdout).toMatch(
      /declared only \(no workload in 4 manifest files matches\)/,
    );
    // A passing check shows the facts it rests on.
    expect(stdout).toMatch(
      /PASS\s+probes[^\n]*\n\s+readiness probe of app: http — Deployment orders,/,
    );
    expect(stdout).toMatch(
      /port 8080: http \(from the port name 'http' of Service orders\) — Service\s+orders,/,
    );
    // A file that does not parse is named once, with its line, whatever the
    // number of entities that read it.
    const broken = stderr.split('\n').filter(l => l.includes('broken.yaml'));
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatch(/k8s\/broken\.yaml:\d+: manifest: /);
  });

  it('lints manifest problems and unmatched services as warnings, exit 0', async () => {
    const { code, stdout } = await cli('lint', catalog, '--manifests', k8s);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /catalog-info\.yaml:\d+: warning: component:default\/stranger: no workload in its manifests matches the name stranger/,
    );
    expect(stdout).toMatch(/k8s\/broken\.yaml:\d+: warning: /);
    expect(stdout).toMatch(/No problems in 3 entities \(2 warnings\)/);
  });

  it('stops at --max-manifest-files with a problem naming the limit', async () => {
    const { code, stdout, stderr } = await cli(
      'score',
      '--json',
      catalog,
      '--manifests',
      k8s,
      '--max-manifest-files',
      '2',
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /k8s\/kustomization\.yaml: manifest: Over the limit of 2 manifest files \(--max-manifest-files, meshReadiness\.manifests\.maxFiles in --config\)/,
    );
    // billing.yaml and broken.yaml come first by name; orders.yaml is not read.
    const report: Report = JSON.parse(stdout);
    expect(entity(report, 'orders').manifests?.workloads).toEqual([]);
    expect(entity(report, 'billing').manifests?.workloads).toHaveLength(1);
  });

  it('takes the limits from the meshReadiness block of an app-config, backend settings and all', async () => {
    const config = path.join(dir, 'app-config.yaml');
    fs.writeFileSync(
      config,
      [
        'meshReadiness:',
        '  schedule: { frequency: { minutes: 5 } }',
        '  retention: { days: 7 }',
        '  maxDefinitionBytes: 4096',
        '  manifests: { maxFiles: 1 }',
        '  weights: { tracing: 20 }',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await cli(
      'score',
      catalog,
      '--config',
      config,
      '--manifests',
      k8s,
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/Over the limit of 1 manifest files/);
  });

  it('exits 2 when --manifests names nothing', async () => {
    const { code, stderr } = await cli(
      'score',
      catalog,
      '--manifests',
      path.join(dir, 'nowhere'),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/--manifests .*nowhere: no such file or folder/);
  });
});

describe('mesh-readiness.io/manifests in a catalog file', () => {
  const dir = tree({
    'repo/catalog-info.yaml': [
      component('orders', { 'mesh-readiness.io/manifests': './deploy/' }),
      component('billing', {
        'mesh-readiness.io/manifests':
          './rendered.yaml, ./missing.yaml, https://example.com/x.yaml',
      }),
      component('sneaky', {
        'mesh-readiness.io/manifests': '../outside/',
      }),
    ].join('---\n'),
    'repo/deploy/orders.yaml': deployment('orders'),
    'repo/rendered.yaml': deployment('billing'),
    'outside/sneaky.yaml': deployment('sneaky'),
  });
  const catalog = path.join(dir, 'repo/catalog-info.yaml');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the manifests relative to the catalog file, inside the given folders only', async () => {
    const { code, stdout, stderr } = await cli('score', '--json', catalog);
    expect(code).toBe(0);
    const report: Report = JSON.parse(stdout);
    expect(entity(report, 'orders').manifests).toMatchObject({
      locations: ['./deploy/'],
      files: 1,
      workloads: [{ kind: 'Deployment', name: 'orders' }],
    });
    expect(entity(report, 'billing').manifests?.workloads).toHaveLength(1);
    expect(entity(report, 'sneaky').manifests?.workloads).toEqual([]);
    expect(stderr).toMatch(
      /repo\/catalog-info\.yaml:\d+: manifest: mesh-readiness\.io\/manifests: \.\/missing\.yaml does not exist \(relative to \S+\); fix the path/,
    );
    expect(stderr).toMatch(
      /mesh-readiness\.io\/manifests: \.\.\/outside\/ is outside the given folders; not read/,
    );
    expect(stderr).toMatch(
      /mesh-readiness\.io\/manifests https:\/\/example\.com\/x\.yaml not read: a URL/,
    );

    // Given the folder that holds both, the outside manifests are read too.
    const wider: Report = JSON.parse(
      (
        await cli(
          'score',
          '--json',
          path.join(dir, 'repo'),
          path.join(dir, 'outside'),
        )
      ).stdout,
    );
    expect(entity(wider, 'sneaky').manifests?.workloads).toHaveLength(1);
  });

  it('counts services inspected through their own manifests as declaring something', async () => {
    const { stdout } = await cli('score', catalog);
    expect(stdout).toMatch(
      /component:default\/orders\n\s+inspected: 1 workload/,
    );
    expect(stdout).not.toMatch(/declare nothing[^\n]*orders/);
  });
});
