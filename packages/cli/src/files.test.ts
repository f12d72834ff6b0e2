import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScoreReport } from '@mesh-readiness/plugin-mesh-readiness-common';
import { loadCatalogFiles, readBounded } from './files';
import { analyzeLoadedApis } from './program';
import { cli, ordersOpenApi } from './__testUtils__/cli';

const dirs: string[] = [];
/** A temporary folder with the given files (folders made as needed). */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-readiness-files-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const component = (
  name: string,
  extra = '',
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    mesh-readiness.io/tracing: "full"
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
${extra}`;

const api = (name: string, text: string) => `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ${name}
spec:
  type: openapi
  lifecycle: production
  owner: group:default/team-a
  definition:
    $text: ${text}
`;

const SECRET = 'TOP-SECRET-VALUE-42';
const openapi = ordersOpenApi;

describe('lint on a real repository', () => {
  const repo = () =>
    tree({
      'catalog-info.yaml': component('orders'),
      'openapi.yaml': openapi,
      'mkdocs.yml': 'site_name: Orders\nnav:\n  - Home: index.md\n',
      '.github/workflows/ci.yaml':
        'name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
      'chart/templates/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
      'skeleton/catalog-info.yaml': component('${{ values.name }}'),
      'cookiecutter/{{cookiecutter.name}}/catalog-info.yaml': component(
        '{{ cookiecutter.name }}',
      ),
    });

  it('reads only catalog entities, counts the other YAML in one line and notes templates; exit 0', async () => {
    const { code, stdout } = await cli('lint', repo());
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Skipped 4 YAML files that are not catalog entities/,
    );
    expect(stdout.match(/note: a template/g)).toHaveLength(2);
    expect(stdout).toMatch(/No problems in 1 entities/);
  });

  it('expands glob Location targets, lists URL targets as not followed, and flags duplicate refs', async () => {
    const dir = tree({
      'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: all
spec:
  targets:
    - ./services/*.yaml
    - https://example.com/catalog-info.yaml
`,
      'services/a.yaml': component('a'),
      'services/b.yaml': component('b'),
      'services/c.yaml': component('a'),
    });
    const load = loadCatalogFiles([path.join(dir, 'catalog-info.yaml')]);
    expect(load.entities.map(e => e.entity.metadata.name)).toEqual(['a', 'b']);
    const { code, stdout } = await cli(
      'lint',
      path.join(dir, 'catalog-info.yaml'),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /catalog-info\.yaml: note: Location target https:\/\/example\.com\/catalog-info\.yaml not followed/,
    );
    expect(stdout).toMatch(
      /services\/c\.yaml:1: duplicate entity component:default\/a: also defined at \S*services\/a\.yaml:1/,
    );
  });

  it('prints GitHub workflow annotations with --format github', async () => {
    const dir = tree({
      'catalog-info.yaml': component('orders').replace('"full"', '"always"'),
    });
    const { code, stdout } = await cli('lint', '--format', 'github', dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^::error file=\S+catalog-info\.yaml,line=6,title=mesh-readiness annotation::mesh-readiness\.io\/tracing: 'always'/m,
    );
  });

  it('prints SARIF 2.1.0 with --format sarif', async () => {
    const dir = tree({
      'catalog-info.yaml': component('orders').replace('"full"', '"always"'),
    });
    const { code, stdout } = await cli('lint', '--format', 'sarif', dir);
    expect(code).toBe(1);
    const log = JSON.parse(stdout);
    expect(log.version).toBe('2.1.0');
    const [result] = log.runs[0].results;
    expect(result).toMatchObject({ ruleId: 'annotation', level: 'error' });
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(
      /catalog-info\.yaml$/,
    );
    expect(result.locations[0].physicalLocation.region.startLine).toBe(6);
    expect(log.runs[0].tool.driver.rules.map((r: any) => r.id)).toEqual([
      'annotation',
    ]);
  });

  it('names an unparsable catalog file without quoting it', async () => {
    const dir = tree({
      'broken.yaml': `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: [${SECRET}\n`,
    });
    const { code, stdout } = await cli('lint', dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/broken\.yaml:\d+: not valid YAML/);
    expect(stdout).not.toContain(SECRET);
  });
});

describe('$text of API definitions', () => {
  it('leaves a URL unknown ("not read: a URL"), a note for lint, not a problem', async () => {
    const dir = tree({
      'catalog-info.yaml': `${component(
        'orders',
        '  providesApis: [orders-api]',
      )}\n---\n${api('orders-api', 'https://example.com/openapi.yaml')}`,
    });
    const lint = await cli('lint', dir);
    expect(lint.code).toBe(0);
    expect(lint.stdout).toMatch(
      /note: api:default\/orders-api: .*not read: a URL; the backend reads it through the catalog/,
    );

    const score = await cli('score', '--json', dir);
    expect(score.code).toBe(0);
    const report: ScoreReport = JSON.parse(score.stdout);
    const retry = report.entities
      .find(e => e.entityRef === 'component:default/orders')!
      .checks.find(c => c.id === 'retry-safety')!;
    expect(retry.status).not.toBe('invalid');
    const analyses = await analyzeLoadedApis(loadCatalogFiles([dir]).entities);
    expect(analyses.get('api:default/orders-api')).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/not read: a URL/),
    });
  });

  it('reads a local file inside the given folder', async () => {
    const dir = tree({
      'openapi.yaml': openapi,
      'catalog-info.yaml': api('orders-api', './openapi.yaml'),
    });
    const load = loadCatalogFiles([dir]);
    expect(load.entities[0].definitionNotRead).toBeUndefined();
    expect((load.entities[0].entity.spec as any).definition).toBe(openapi);
  });

  it.each([
    ['a ../ escape', '../secret.yaml'],
    ['an absolute path elsewhere', '<outside>'],
    ['a symbolic link out of the folder', './link.yaml'],
  ])('does not read %s, and never prints its content', async (_, target) => {
    const outside = tree({ 'secret.yaml': `token: ${SECRET}\n` });
    const dir = tree({});
    const inner = path.join(dir, 'catalog');
    fs.mkdirSync(inner);
    fs.copyFileSync(
      path.join(outside, 'secret.yaml'),
      path.join(dir, 'secret.yaml'),
    );
    fs.symlinkSync(
      path.join(outside, 'secret.yaml'),
      path.join(inner, 'link.yaml'),
    );
    fs.writeFileSync(
      path.join(inner, 'catalog-info.yaml'),
      api(
        'orders-api',
        target === '<outside>' ? path.join(outside, 'secret.yaml') : target,
      ),
    );
    const load = loadCatalogFiles([inner]);
    const entity = load.entities.find(e => e.entity.kind === 'API')!;
    expect(entity.definitionNotRead).toMatch(
      /is outside the given folders; not read/,
    );
    const { all } = await cli('score', inner);
    expect(all).not.toContain(SECRET);
  });

  it('does not read a FIFO or a device', () => {
    const dir = tree({
      'catalog-info.yaml': `${api('a', './pipe')}---\n${api('b', './zero')}`,
    });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero'));
    const load = loadCatalogFiles([dir]); // returns: nothing blocks on the FIFO
    const [a, b] = load.entities;
    expect(a.definitionNotRead).toMatch(/not a regular file/);
    expect(b.definitionNotRead).toMatch(/outside the given folders/);
    expect(readBounded('/dev/zero', 1024)).toEqual({
      ok: false,
      reason: 'not-a-file',
    });
    expect(load.findings).toContainEqual(
      expect.objectContaining({
        file: expect.stringMatching(/fifo\.yaml$/),
        message: expect.stringMatching(/not a regular file/),
      }),
    );
  });

  it('checks the size before reading', () => {
    const dir = tree({ 'catalog-info.yaml': api('a', './big.yaml') });
    fs.writeFileSync(path.join(dir, 'big.yaml'), '');
    fs.truncateSync(path.join(dir, 'big.yaml'), 5 * 1024 * 1024);
    const load = loadCatalogFiles([dir], { maxDefinitionBytes: 1024 * 1024 });
    expect(load.entities[0].definitionNotRead).toMatch(
      /is 5\.0 MiB, over the 1\.0 MiB limit/,
    );
  });
});

describe('folder walks and large files', () => {
  it('does not follow symlinked folders out of the tree or in loops', () => {
    const outside = tree({ 'other.yaml': component('elsewhere') });
    const dir = tree({ 'sub/catalog-info.yaml': component('here') });
    fs.symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    fs.symlinkSync(outside, path.join(dir, 'out'));
    const load = loadCatalogFiles([dir]);
    expect(load.entities.map(e => e.entity.metadata.name)).toEqual(['here']);
    expect(load.findings).toContainEqual(
      expect.objectContaining({
        rule: 'outside-folders',
        file: expect.stringMatching(/out$/),
      }),
    );
  });

  it('gives a 200 MB YAML a clear error without reading it', async () => {
    const dir = tree({
      'huge.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
      'openapi-huge.yaml': 'openapi: 3.0.0\n',
    });
    for (const name of ['huge.yaml', 'openapi-huge.yaml']) {
      fs.truncateSync(path.join(dir, name), 200 * 1024 * 1024); // sparse
    }
    const { code, stdout } = await cli('lint', dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /huge\.yaml: 200\.0 MiB, over the 10\.0 MiB a catalog file may be; not read/,
    );
    // a large file that is not a catalog file is skipped like any other
    expect(stdout).not.toMatch(/openapi-huge\.yaml:/);
    expect(stdout).toMatch(/Skipped 1 YAML file /);
  });
});
