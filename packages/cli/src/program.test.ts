import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScoreReport } from '@mesh-readiness/plugin-mesh-readiness-common';
import { cli, ordersOpenApi } from './__testUtils__/cli';

const examples = path.resolve(__dirname, '../../../examples');

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-readiness-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const cleanComponent = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: tidy-service
  annotations:
    mesh-readiness.io/ports: "8080/http"
    mesh-readiness.io/tracing: "full"
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
`;

/** A service providing an API with one operation that is not idempotent. */
const ordersFiles = {
  'orders.openapi.yaml': ordersOpenApi,
  'catalog-info.yaml': `${cleanComponent.replace(
    'owner: group:default/team-a',
    'owner: group:default/team-a\n  providesApis: [orders]',
  )}---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders
spec:
  type: openapi
  lifecycle: production
  owner: group:default/team-a
  definition:
    $text: ./orders.openapi.yaml
`,
};

describe('mesh-readiness score', () => {
  it('prints one JSON document with the entity and org shapes of the REST API', async () => {
    const { code, stdout } = await cli(
      'score',
      '--json',
      path.join(examples, 'all.yaml'),
    );
    expect(code).toBe(0);
    const report: ScoreReport = JSON.parse(stdout);
    const checkout = report.entities.find(
      e => e.entityRef === 'component:default/checkout-service',
    );
    expect(checkout).toMatchObject({ inScope: true });
    expect(checkout!.checks.map(c => c.id)).toEqual(
      expect.arrayContaining([
        'owner',
        'tracing',
        'protocols',
        'server-first-protocols',
        'proxy-uid',
        'retry-safety',
      ]),
    );
    expect(['not-needed', 'not-ready', 'ready']).toContain(report.org.verdict);
    expect(report.org.gates.map(g => g.id).sort()).toEqual([
      'genuine-need',
      'observability',
      'platform-capacity',
    ]);
  });

  it('flags the UID 1337 workload and honours the valid waiver on another', async () => {
    const { stdout } = await cli('score', '--json', examples);
    const report: ScoreReport = JSON.parse(stdout);
    const check = (name: string) =>
      report.entities
        .find(e => e.entityRef === `component:default/${name}`)!
        .checks.find(c => c.id === 'proxy-uid')!;
    expect(check('tax-calculator').status).not.toBe('pass');
    expect(check('tax-calculator').message).toMatch(/1337/);
    expect(check('card-vault').status).toBe('waived');
    expect(check('card-vault').waiver).toMatchObject({
      until: '2027-06-30',
      expired: false,
    });
  });

  it('lists each operation a mesh would retry unsafely, with the meshes, in the report and the summary', async () => {
    const dir = tempDir(ordersFiles);
    const report: ScoreReport = JSON.parse(
      (await cli('score', '--json', dir)).stdout,
    );
    const unsafe = report.entities.flatMap(e =>
      (e.checks.find(c => c.id === 'retry-safety')?.operations ?? []).filter(
        o => o.retrySafe === false,
      ),
    );
    expect(unsafe.map(o => o.operation)).toEqual(['POST /orders']);
    const details = await cli('score', '--details', dir);
    expect(details.code).toBe(0);
    expect(details.stdout).toMatch(
      /unsafe: POST \/orders \(api:default\/orders(, retried by [\w-]+(, [\w-]+)*)?\)/,
    );
    expect(details.stdout).toMatch(/Recommended mesh: /);
    const summary = await cli('score', '--summary-above', '0', dir);
    expect(summary.stdout).toMatch(
      /^Operations a mesh would retry unsafely \(1\):\n\s+POST \/orders \(api:default\/orders, component:default\/tidy-service\)/m,
    );
  });

  it('prints a summary above --summary-above services, and every service with --details', async () => {
    const summary = await cli('score', examples);
    expect(summary.stdout).toMatch(/^Levels: /m);
    expect(summary.stdout).toMatch(/^Worst services/m);
    expect(summary.stdout).toMatch(/--details prints each service/);
    expect(summary.stdout.split('\n').length).toBeLessThan(150);

    const details = await cli('score', '--details', examples);
    const report: ScoreReport = JSON.parse(
      (await cli('score', '--json', examples)).stdout,
    );
    for (const entity of report.entities) {
      expect(details.stdout).toContain(entity.entityRef);
    }
    const small = await cli('score', '--summary-above', '100', examples);
    expect(small.stdout).not.toMatch(/^Worst services/m);
  });

  it('prints each distinct explanation once, within 100 columns', async () => {
    const { stdout } = await cli('score', '--details', examples);
    const lines = stdout.split('\n');
    // only a single word longer than a line (a long ref) may overflow
    expect(lines.filter(l => l.length > 100 && /\s/.test(l.trim()))).toEqual(
      [],
    );
    const explanations = lines.filter(l => /^ {2}\[\d+\] /.test(l));
    expect(explanations.length).toBeGreaterThan(0);
    const texts = explanations.map(l => l.replace(/^ {2}\[\d+\] /, ''));
    expect(new Set(texts).size).toBe(texts.length);
    // a referenced explanation is not also printed in full elsewhere
    const [first] = texts;
    expect(stdout.split(first).length - 1).toBe(1);
  });

  it('summarises the services that declare nothing on one line with the keys to declare', async () => {
    const dir = tempDir({
      'a.yaml': cleanComponent
        .replace('tidy-service', 'bare-a')
        .replace(/ {2}annotations:\n(.*\n){2}/, ''),
      'b.yaml': cleanComponent
        .replace('tidy-service', 'bare-b')
        .replace(/ {2}annotations:\n(.*\n){2}/, ''),
      'c.yaml': cleanComponent,
    });
    const { stdout } = await cli('score', dir);
    expect(stdout).toMatch(
      /2 services declare nothing \(no mesh-readiness\.io annotation\):\s+component:default\/bare-a,\s+component:default\/bare-b/,
    );
    expect(stdout).toMatch(/declare: (.|\n)*mesh-readiness\.io\/ports/);
    expect(stdout).not.toMatch(/component:default\/bare-a\n {7}UNKNOWN/);
  });

  it('applies the meshReadiness block of --config and rejects a bad one naming the key', async () => {
    const good = tempDir({
      'app-config.yaml':
        'meshReadiness:\n  thresholds:\n    meshEngineers: 5\n',
    });
    const ok = await cli(
      'score',
      '--json',
      '--config',
      path.join(good, 'app-config.yaml'),
      examples,
    );
    expect(ok.code).toBe(0);
    const capacity = (JSON.parse(ok.stdout) as ScoreReport).org.gates.find(
      g => g.id === 'platform-capacity',
    )!;
    expect(capacity.status).toBe('fail');

    const bad = tempDir({
      'app-config.yaml':
        'meshReadiness:\n  thresholds:\n    tracingCoverage: 3\n',
    });
    const rejected = await cli(
      'score',
      '--config',
      path.join(bad, 'app-config.yaml'),
      examples,
    );
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/tracingCoverage/);
  });

  it('exits 2 when a path does not exist', async () => {
    const { code, stderr } = await cli('score', '/no/such/catalog.yaml');
    expect(code).toBe(2);
    expect(stderr).toMatch(/no such file or folder/);
  });
});

describe('mesh-readiness lint', () => {
  it('reports every malformed demo annotation as file:line: key: message and exits 1', async () => {
    const { code, stdout } = await cli('lint', examples);
    expect(code).toBe(1);
    const lines = stdout
      .trim()
      .split('\n')
      .filter(l => /^\S+:\d+: /.test(l));
    const found = lines.map(l => {
      const [, file, line, key] = /^(\S+):(\d+): (\S+): /.exec(l)!;
      return { file, line: Number(line), key, text: l };
    });
    // The deliberately malformed annotations of examples/README.md.
    for (const [key, value] of [
      ['mesh-readiness.io/ports', 'grcp'],
      ['mesh-readiness.io/tracing', "'yes'"],
      ['mesh-readiness.io/replicas', "'three'"],
      ['mesh-readiness.io/timeout', 'did you mean'],
      ['mesh-readiness.io/waive.tracing', '2026-02-30'],
      ['mesh-readiness.io/waive.tracing', 'is not a waiver'],
      ['mesh-readiness.io/waive.tracing', 'expired'],
    ]) {
      expect(found.some(f => f.key === key && f.text.includes(value))).toBe(
        true,
      );
    }
    expect(stdout).toMatch(
      /'grcp' is not a known protocol; did you mean 'grpc'\?/,
    );
    // Every line number points at the annotation it names.
    for (const f of found) {
      const source = fs.readFileSync(path.resolve(f.file), 'utf8').split('\n');
      expect(source[f.line - 1]).toContain(f.key);
    }
  });

  it('exits 0 on a clean file', async () => {
    const dir = tempDir({ 'catalog-info.yaml': cleanComponent });
    const { code, stdout } = await cli('lint', dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/No problems in 1 entities/);
  });

  it('names the file that is not valid YAML, and still lints the others', async () => {
    const dir = tempDir({
      'broken.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: [Component\n',
      'ok.yaml': cleanComponent.replace('"full"', '"always"'),
    });
    const { code, stdout } = await cli('lint', dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/broken\.yaml:\d+: not valid YAML/);
    expect(stdout).toMatch(
      /ok\.yaml:\d+: mesh-readiness\.io\/tracing: 'always'/,
    );
  });
});

describe('API definitions through $text', () => {
  it('reads a local definition file and finds its unsafe operation', async () => {
    const dir = tempDir(ordersFiles);
    const { code, stdout } = await cli('score', '--json', dir);
    expect(code).toBe(0);
    const report: ScoreReport = JSON.parse(stdout);
    const retry = report.entities
      .find(e => e.entityRef === 'component:default/tidy-service')!
      .checks.find(c => c.id === 'retry-safety')!;
    expect(retry.operations?.map(o => o.operation)).toContain('POST /orders');
  });
});
