import fc from 'fast-check';
import { parseManifests } from './parse';
import { ALL_FIXTURES, fixtureFile, inline, REPO } from './__fixtures__/files';

function summary(objects: ReturnType<typeof parseManifests>['objects']) {
  return objects.map(
    o =>
      `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} ${o.file}:${
        o.line
      }`,
  );
}

describe('parseManifests', () => {
  it('reads every document of a multi-document file, with its 1-based line', () => {
    const set = parseManifests([fixtureFile('shop/currency.yaml')]);
    expect(summary(set.objects)).toEqual([
      'Namespace shop deploy/shop/currency.yaml:2',
      'Deployment shop/currency deploy/shop/currency.yaml:10',
      'Service shop/currency deploy/shop/currency.yaml:59',
      'ServiceAccount shop/currency deploy/shop/currency.yaml:75',
    ]);
    expect(set.problems).toEqual([]);
    expect(set.files).toBe(1);
    const deployment = set.objects[1];
    expect(deployment).toMatchObject({
      apiVersion: 'apps/v1',
      url: `${REPO}/deploy/shop/currency.yaml`,
    });
    expect(deployment.body.spec.template.spec.serviceAccountName).toBe(
      'currency',
    );
  });

  it('gives the line of a nested node: the line of its key, or of a sequence item', () => {
    const [, deployment] = parseManifests([
      fixtureFile('shop/currency.yaml'),
    ]).objects;
    const pod = ['spec', 'template', 'spec'];
    expect(deployment.lineOf([...pod, 'securityContext', 'runAsUser'])).toBe(
      32,
    );
    // `readinessProbe:` itself, not the first line of its body.
    expect(deployment.lineOf([...pod, 'containers', 0, 'readinessProbe'])).toBe(
      48,
    );
    expect(deployment.lineOf([...pod, 'containers', 0, 'ports', 0])).toBe(43);
    expect(deployment.lineOf([])).toBe(10);
    // Absent: the object's own line.
    expect(deployment.lineOf(['spec', 'replicas'])).toBe(10);
    expect(deployment.lineOf([...pod, 'containers', 5, 'ports'])).toBe(10);
  });

  it('ignores kinds it does not read, silently (kustomization, Istio, ConfigMaps, Secrets)', () => {
    const set = parseManifests([
      fixtureFile('shop/kustomization.yaml'),
      fixtureFile('shop/istio.yaml'),
      fixtureFile('bookinfo/mysql.yaml'),
    ]);
    expect(summary(set.objects)).toEqual([
      'Service mysqldb deploy/bookinfo/mysql.yaml:10',
      'Deployment mysqldb-v1 deploy/bookinfo/mysql.yaml:24',
    ]);
    expect(set.problems).toEqual([]);
    expect(set.files).toBe(3);
  });

  it('tells a Kubernetes Service from a look-alike of another API group', () => {
    const set = parseManifests([
      inline(
        'knative.yaml',
        [
          'apiVersion: serving.knative.dev/v1',
          'kind: Service',
          'metadata:',
          '  name: hello',
          '---',
          'kind: Service',
          'metadata:',
          '  name: no-api-version',
        ].join('\n'),
      ),
    ]);
    expect(summary(set.objects)).toEqual([
      'Service no-api-version knative.yaml:6',
    ]);
  });

  it('expands kind: List, each item with its own line', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata:',
      '      name: web',
      '    spec:',
      '      ports:',
      '        - port: 80',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata:',
      '      name: ignored',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata:',
      '      name: web',
      '      namespace: site',
    ].join('\n');
    const set = parseManifests([inline('list.yaml', text)]);
    expect(summary(set.objects)).toEqual([
      'Service web list.yaml:4',
      'Deployment site/web list.yaml:15',
    ]);
    expect(set.objects[0].lineOf(['spec', 'ports', 0])).toBe(10);
    expect(set.objects[1].lineOf(['metadata', 'namespace'])).toBe(19);
  });

  it('does not read a Helm template, and says to link the rendered output', () => {
    const set = parseManifests([
      fixtureFile('helm/templates/deployment.yaml'),
      fixtureFile('broken/good.yaml'),
    ]);
    expect(set.problems).toEqual([
      {
        file: 'deploy/helm/templates/deployment.yaml',
        line: 4,
        message: expect.stringContaining(
          'deploy/helm/templates/deployment.yaml is a template',
        ),
      },
    ]);
    expect(set.problems[0].message).toContain('helm template');
    expect(set.problems[0].message).toContain('kustomize build');
    expect(summary(set.objects)).toEqual([
      'Service payments deploy/broken/good.yaml:1',
    ]);
  });

  it('treats a template whose every action is quoted (so it parses) as a template too', () => {
    const text = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: "{{ .Release.Name }}-web"',
    ].join('\n');
    const set = parseManifests([inline('chart/templates/service.yaml', text)]);
    expect(set.objects).toEqual([]);
    expect(set.problems).toMatchObject([
      { line: 4, message: expect.stringContaining('is a template') },
    ]);
  });

  it('reads rendered output whose {{ }} sit only in kinds it ignores (alert templates)', () => {
    const text = [
      'apiVersion: monitoring.coreos.com/v1',
      'kind: PrometheusRule',
      'metadata:',
      '  name: web-alerts',
      'spec:',
      '  groups:',
      '    - name: web',
      '      rules:',
      '        - alert: WebDown',
      '          annotations:',
      '            summary: "{{ $labels.pod }} is down"',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
    ].join('\n');
    const set = parseManifests([inline('rendered.yaml', text)]);
    expect(set.problems).toEqual([]);
    expect(summary(set.objects)).toEqual(['Deployment web rendered.yaml:13']);
  });

  it('reports a file that does not parse once, with its line, and still reads the others', () => {
    const set = parseManifests([
      fixtureFile('broken/bad.yaml'),
      fixtureFile('broken/good.yaml'),
    ]);
    expect(set.problems).toHaveLength(1);
    expect(set.problems[0]).toMatchObject({
      file: 'deploy/broken/bad.yaml',
      line: 11,
    });
    expect(set.problems[0].message).toMatch(
      /^deploy\/broken\/bad\.yaml is not valid YAML \(line 11: .+\), so it is not read\. Fix the YAML there/,
    );
    expect(summary(set.objects)).toEqual([
      'Service payments deploy/broken/good.yaml:1',
    ]);
    expect(set.files).toBe(2);
  });

  it('skips objects that cannot be read, with a problem only when they look like Kubernetes objects', () => {
    const text = [
      '# values.yaml-like data: not an object, no problem',
      'replicaCount: 2',
      '---',
      'just a string',
      '---',
      'apiVersion: apps/v1',
      'metadata:',
      '  name: no-kind',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  labels:',
      '    app: nameless',
      '---',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata:',
      '    name: in-a-sequence',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items: none',
      '---',
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata:',
      '  generateName: migrate-',
    ].join('\n');
    const set = parseManifests([inline('mixed.yaml', text)]);
    expect(summary(set.objects)).toEqual(['Job migrate- mixed.yaml:25']);
    expect(set.problems.map(p => [p.line, p.message])).toEqual([
      [
        6,
        expect.stringMatching(
          /^mixed\.yaml:6: this object has no `kind`, so it is skipped/,
        ),
      ],
      [
        10,
        expect.stringMatching(
          /^mixed\.yaml:10: this Deployment has no `metadata\.name`, so it is skipped/,
        ),
      ],
      [
        16,
        expect.stringMatching(
          /^mixed\.yaml:16: this document is a YAML sequence/,
        ),
      ],
      [
        21,
        expect.stringMatching(
          /^mixed\.yaml:21: this `kind: List` has no `items:`/,
        ),
      ],
    ]);
    expect(set.problems.every(p => p.file === 'mixed.yaml')).toBe(true);
  });

  it('lists at most 5 problems per file, the last counting the rest', () => {
    const nameless = 'apiVersion: v1\nkind: Service\nmetadata: {}\n';
    const many = Array.from({ length: 8 }, () => nameless).join('---\n');
    const set = parseManifests([
      inline('many.yaml', many),
      inline('two.yaml', `${nameless}---\n${nameless}`),
    ]);
    const inMany = set.problems.filter(p => p.file === 'many.yaml');
    expect(inMany).toHaveLength(5);
    expect(inMany[4].message).toBe(
      'many.yaml: 4 more problems are not listed.',
    );
    expect(set.problems.filter(p => p.file === 'two.yaml')).toHaveLength(2);
  });

  it('reads nothing, and complains about nothing, in empty or comment-only files', () => {
    const set = parseManifests([
      inline('empty.yaml', ''),
      inline('comments.yaml', '# nothing here yet\n'),
      inline('separators.yaml', '---\n---\n'),
    ]);
    expect(set).toEqual({ objects: [], problems: [], files: 3 });
  });

  it('follows merge keys and anchors as Kubernetes does', () => {
    const text = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      '  labels: &labels',
      '    app: web',
      'spec:',
      '  selector:',
      '    <<: *labels',
      '    tier: front',
    ].join('\n');
    const [service] = parseManifests([inline('anchors.yaml', text)]).objects;
    expect(service.body.spec.selector).toEqual({ app: 'web', tier: 'front' });
  });

  it('reports an alias bomb instead of expanding it', () => {
    const lines = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: bomb',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
    ];
    for (let i = 0; i < 8; i++) {
      const from = String.fromCharCode(97 + i);
      const to = String.fromCharCode(98 + i);
      lines.push(`${to}: &${to} [${Array(10).fill(`*${from}`).join(', ')}]`);
    }
    const set = parseManifests([inline('bomb.yaml', lines.join('\n'))]);
    expect(set.objects).toEqual([]);
    expect(set.problems).toMatchObject([
      {
        file: 'bomb.yaml',
        line: 1,
        message: expect.stringContaining('could not be read'),
      },
    ]);
  });

  it('reads all the fixtures, with problems only for the template and the broken file', () => {
    const set = parseManifests(ALL_FIXTURES.map(fixtureFile));
    expect(set.files).toBe(ALL_FIXTURES.length);
    expect(set.problems.map(p => p.file)).toEqual([
      'deploy/helm/templates/deployment.yaml',
      'deploy/broken/bad.yaml',
    ]);
    expect(set.objects.length).toBeGreaterThan(25);
  });

  describe('never throws', () => {
    const fragments = fc.constantFrom(
      'apiVersion: v1\n',
      'apiVersion: apps/v1\n',
      'kind: Service\n',
      'kind: Deployment\n',
      'kind: List\n',
      'items:\n',
      '- ',
      '  ',
      'metadata:\n',
      '  name: x\n',
      'name: [a, b]\n',
      '---\n',
      '...\n',
      '{{ .Values.x }}',
      '}}',
      '&a ',
      '*a',
      '*b',
      '<<: *a\n',
      '? ',
      ': ',
      '"',
      "'",
      '|\n',
      '>-\n',
      '# c\n',
      '%YAML 1.2\n',
      '!!binary ',
      '!tag ',
      '\t',
      '\n',
      '[',
      ']',
      '{',
      '}',
      ',',
      '\u0000',
      '\ufeff',
    );
    const yamlish = fc
      .array(fragments, { maxLength: 40 })
      .map(parts => parts.join(''));

    it('on arbitrary strings', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(fc.string(), fc.string({ unit: 'binary' }), yamlish),
            {
              maxLength: 3,
            },
          ),
          texts => {
            const set = parseManifests(
              texts.map((text, i) => inline(`f${i}.yaml`, text)),
            );
            expect(set.files).toBe(texts.length);
            for (let i = 0; i < texts.length; i++) {
              expect(
                set.problems.filter(p => p.file === `f${i}.yaml`).length,
              ).toBeLessThanOrEqual(5);
            }
            for (const o of set.objects) {
              expect(Number.isInteger(o.line) && o.line >= 1).toBe(true);
              expect(typeof o.lineOf(['spec', 'template', 0, 'x'])).toBe(
                'number',
              );
            }
          },
        ),
        { numRuns: 400 },
      );
    });

    it('on input that is not what the types promise', () => {
      expect(() => parseManifests(undefined as any)).not.toThrow();
      const set = parseManifests([
        { path: 'no-text.yaml' } as any,
        null as any,
        { path: 'ok.yaml', text: 'kind: Pod\nmetadata:\n  name: p\n' },
      ]);
      expect(summary(set.objects)).toEqual(['Pod p ok.yaml:1']);
      expect(set.problems.map(p => p.file)).toEqual([
        'no-text.yaml',
        '(unnamed file)',
      ]);
    });
  });
});
