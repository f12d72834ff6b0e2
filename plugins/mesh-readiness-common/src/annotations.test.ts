import fc from 'fast-check';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KEYS,
  ANNOTATION_PREFIX,
  parseAnnotations,
  ParsedAnnotations,
} from './annotations';
import { cluster, component, group } from './__testUtils__/entities';

const NOW = new Date('2026-06-01T12:00:00Z');

function parse(entity: Entity) {
  return parseAnnotations(entity, { now: NOW });
}

function parseComponent(annotations: Record<string, unknown>, tags?: unknown) {
  return parse(
    component('svc', annotations, {}, tags === undefined ? {} : { tags }),
  );
}

describe('parseAnnotations: valid values of every Component key', () => {
  it.each<[string, string, Partial<ParsedAnnotations>]>([
    [
      'ports',
      '8080/http, 9090/GRPC , 5432/postgres',
      {
        ports: [
          { port: 8080, protocol: 'http' },
          { port: 9090, protocol: 'grpc' },
          { port: 5432, protocol: 'postgres' },
        ],
      },
    ],
    ['opaque-ports', '5432, 4222', { opaquePorts: [5432, 4222] }],
    ['tracing', 'FULL', { tracing: 'full' }],
    ['tracing', ' partial ', { tracing: 'partial' }],
    ['compliance', 'pci, SOC2', { compliance: ['pci', 'soc2'] }],
    [
      'mtls-requirement',
      'workload-identity',
      { mtlsRequirement: 'workload-identity' },
    ],
    ['needs', 'mtls, canary, canary', { needs: ['mtls', 'canary'] }],
    ['replicas', '6', { replicas: 6 }],
    ['replicas', '0', { replicas: 0 }],
    ['peak-rps', '1200.5', { peakRps: 1200.5 }],
    ['run-as-uid', '1000', { runAsUid: 1000 }],
    ['probes', 'http, exec', { probes: ['http', 'exec'] }],
    ['pod-security', 'Restricted', { podSecurity: 'restricted' }],
    ['bind-address', '0.0.0.0', { bindAddress: '0.0.0.0' }],
    ['bind-address', '::', { bindAddress: '::' }],
    ['bind-address', '[::1]', { bindAddress: '::1' }],
    ['bind-address', 'localhost', { bindAddress: 'localhost' }],
    ['headless', 'TRUE', { headless: true }],
    ['timeouts', 'false', { timeouts: false }],
    ['retries', 'idempotent-only', { retries: 'idempotent-only' }],
    [
      'no-retry-routes',
      'post /payments, payments.v1.Ledger/Post',
      {
        noRetryRoutes: ['POST /payments', 'payments.v1.Ledger/Post'],
      },
    ],
    ['exclude', ' runs on a mainframe ', { exclude: 'runs on a mainframe' }],
  ])('%s = %j', (key, value, expected) => {
    const { values, problems } = parseComponent({
      [`${ANNOTATION_PREFIX}${key}`]: value,
    });
    expect(problems).toEqual([]);
    expect(values).toMatchObject(expected);
    expect(values.invalid).toEqual([]);
    expect(values.hasAnnotations).toBe(true);
  });

  it('accepts unquoted YAML numbers and booleans', () => {
    const { values, problems } = parseComponent({
      'mesh-readiness.io/replicas': 3,
      'mesh-readiness.io/headless': false,
    });
    expect(problems).toEqual([]);
    expect(values.replicas).toBe(3);
    expect(values.headless).toBe(false);
  });
});

describe('parseAnnotations: Group and cluster keys', () => {
  it('reads platform-team, mesh-engineers, ca and config-lint on a Group', () => {
    const { values, problems } = parse(
      group(
        'platform',
        {},
        {
          'mesh-readiness.io/platform-team': 'true',
          'mesh-readiness.io/mesh-engineers': '3',
          'mesh-readiness.io/ca': 'cert-manager',
          'mesh-readiness.io/config-lint': 'istioctl-analyze',
        },
      ),
    );
    expect(problems).toEqual([]);
    expect(values).toMatchObject({
      platformTeam: true,
      meshEngineers: 3,
      ca: 'cert-manager',
      configLint: 'istioctl-analyze',
    });
  });

  it('reads cni, versions, nodes and capacity on a kubernetes-cluster Resource', () => {
    const { values, problems } = parse(
      cluster('prod', {
        'mesh-readiness.io/cni': 'Cilium',
        'mesh-readiness.io/kernel-version': '5.15.0-1051-azure',
        'mesh-readiness.io/kubernetes-version': 'v1.31',
        'mesh-readiness.io/nodes': '24',
        'mesh-readiness.io/capacity-vcpu': '96',
        'mesh-readiness.io/capacity-memory-gib': '384',
      }),
    );
    expect(problems).toEqual([]);
    expect(values.cni).toBe('cilium');
    expect(values.kernelVersion).toMatchObject({
      major: 5,
      minor: 15,
      patch: 0,
    });
    expect(values.kubernetesVersion).toMatchObject({ major: 1, minor: 31 });
    expect(values.nodes).toBe(24);
    expect(values.capacityVcpu).toBe(96);
    expect(values.capacityMemoryGiB).toBe(384);
  });

  it('flags a key used on the wrong kind of entity', () => {
    const { values, problems } = parseComponent({
      'mesh-readiness.io/cni': 'cilium',
    });
    expect(values.cni).toBeUndefined();
    expect(problems[0].message).toMatch(
      /mesh-readiness.io\/cni: applies to a Resource/,
    );
    const g = parse(group('g', {}, { 'mesh-readiness.io/tracing': 'full' }));
    expect(g.problems[0].message).toMatch(/applies to a Component/);
  });
});

describe('parseAnnotations: compliance from tags', () => {
  it('merges compliance words from metadata.tags with the annotation', () => {
    const { values } = parseComponent(
      { 'mesh-readiness.io/compliance': 'soc2' },
      ['PCI', 'java', 'pci-dss', 'soc2', 42],
    );
    expect(values.compliance).toEqual(['pci', 'soc2']);
  });

  it('ignores tags that are not a list', () => {
    expect(parseComponent({}, 'pci').values.compliance).toEqual([]);
  });

  it('reads names of built-in object properties as plain words', () => {
    const { values, problems } = parseComponent(
      {
        'mesh-readiness.io/ports': '8080/constructor',
        'mesh-readiness.io/timeouts': 'constructor',
        'mesh-readiness.io/needs': '__proto__',
      },
      ['constructor', '__proto__', 'toString'],
    );
    expect(values.compliance).toEqual([]);
    expect(problems.map(p => p.message)).toEqual([
      expect.stringMatching(
        /^mesh-readiness\.io\/ports: 'constructor' is not a known protocol; expected one of http, /,
      ),
      "mesh-readiness.io/timeouts: 'constructor' is not a boolean; expected 'true' or 'false'",
      expect.stringMatching(
        /^mesh-readiness\.io\/needs: '__proto__' is not a known need; expected one of /,
      ),
    ]);
    expect(problems.every(p => p.suggestion === undefined)).toBe(true);
  });
});

describe('parseAnnotations: malformed values', () => {
  it.each<[string, unknown, RegExp, string | undefined]>([
    [
      'ports',
      '8080/grcp',
      /'grcp' is not a known protocol; did you mean 'grpc'\?/,
      'grpc',
    ],
    ['ports', '8080/h2c', /did you mean 'http2'/, 'http2'],
    [
      'ports',
      '8080',
      /'8080' has no protocol; write each port as PORT\/PROTOCOL, e.g. '8080\/http'/,
      undefined,
    ],
    ['ports', '70000/http', /70000 is not a valid port/, undefined],
    ['ports', 'abc/http', /'abc' is not a port number/, undefined],
    ['ports', ' , ', /is empty/, undefined],
    ['opaque-ports', '5432, x', /'x' is not a port number/, undefined],
    [
      'tracing',
      'yes',
      /'yes' is not a known tracing level; expected one of full, partial, none/,
      undefined,
    ],
    ['tracing', 'ful', /did you mean 'full'/, 'full'],
    ['tracing', '', /is empty/, undefined],
    [
      'compliance',
      'pci, hipa',
      /'hipa' is not a known compliance scope; did you mean 'hipaa'/,
      'hipaa',
    ],
    ['mtls-requirement', 'encrypt', /did you mean 'encryption'/, 'encryption'],
    ['needs', 'canery', /did you mean 'canary'/, 'canary'],
    ['replicas', 'three', /'three' is not a whole number/, undefined],
    ['replicas', '1,200', /did you mean '1200'/, '1200'],
    ['replicas', '6.0', /did you mean '6'/, '6'],
    ['replicas', '-1', /not a whole number/, undefined],
    ['peak-rps', '1.2k', /did you mean '1200'/, '1200'],
    ['peak-rps', '2e9', /not a number/, undefined],
    ['run-as-uid', '99999999999', /out of range/, undefined],
    ['probes', 'htp', /did you mean 'http'/, 'http'],
    [
      'pod-security',
      'restricted-v2',
      /not a known Pod Security Standard level; did you mean 'restricted'/,
      'restricted',
    ],
    [
      'pod-security',
      'strict',
      /expected one of privileged, baseline, restricted/,
      undefined,
    ],
    ['bind-address', '300.0.0.1', /not an IP address/, undefined],
    ['bind-address', 'my-host', /not an IP address/, undefined],
    [
      'headless',
      'yes',
      /'yes' is not a boolean; did you mean 'true'\?/,
      'true',
    ],
    ['timeouts', 'nope', /not a boolean/, undefined],
    ['retries', 'al', /did you mean 'all'/, 'all'],
    [
      'no-retry-routes',
      'PSOT /payments',
      /'PSOT' is not an HTTP method; did you mean 'POST'/,
      'POST',
    ],
    ['no-retry-routes', 'POST payments', /must start with '\/'/, undefined],
    [
      'no-retry-routes',
      'payments',
      /neither 'METHOD \/path' nor 'package.Service\/Method'/,
      undefined,
    ],
    ['exclude', '  ', /is empty; give the reason/, undefined],
    [
      'replicas',
      { a: 1 },
      /must be a string \(quote it in YAML\), got object/,
      undefined,
    ],
    ['replicas', null, /got null/, undefined],
    ['ports', ['8080/http'], /got a list/, undefined],
    ['tracing', 'x'.repeat(5000), /5000 characters long/, undefined],
  ])('%s = %.40j', (key, value, message, suggestion) => {
    const fullKey = `${ANNOTATION_PREFIX}${key}`;
    const { values, problems } = parseComponent({ [fullKey]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe(fullKey);
    expect(problems[0].message).toContain(fullKey);
    expect(problems[0].message).toMatch(message);
    expect(problems[0].suggestion).toBe(suggestion);
    expect(values.invalid).toEqual([fullKey]);
    expect(problems[0].value.length).toBeLessThanOrEqual(81);
  });

  it('keeps the valid items of a partly malformed list', () => {
    const { values, problems } = parseComponent({
      'mesh-readiness.io/ports': '8080/http, 9090/grcp',
    });
    expect(values.ports).toEqual([{ port: 8080, protocol: 'http' }]);
    expect(values.invalid).toEqual(['mesh-readiness.io/ports']);
    expect(problems).toHaveLength(1);
  });

  it.each([
    [
      'Group mesh-engineers',
      group('g', {}, { 'mesh-readiness.io/mesh-engineers': 'two' }),
      /not a whole number/,
    ],
    [
      'Group platform-team',
      group('g', {}, { 'mesh-readiness.io/platform-team': 'yes' }),
      /did you mean 'true'/,
    ],
    [
      'Group ca',
      group('g', {}, { 'mesh-readiness.io/ca': 'certmanager' }),
      /did you mean 'cert-manager'/,
    ],
    [
      'cluster cni',
      cluster('c', { 'mesh-readiness.io/cni': 'calicoo' }),
      /did you mean 'calico'/,
    ],
    [
      'cluster kernel',
      cluster('c', { 'mesh-readiness.io/kernel-version': 'six' }),
      /not a version; write MAJOR.MINOR, e.g. '6.1'/,
    ],
    [
      'cluster nodes',
      cluster('c', { 'mesh-readiness.io/nodes': '1.5' }),
      /not a whole number/,
    ],
  ])('%s', (_name, entity, message) => {
    const { problems, values } = parse(entity);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(message);
    expect(values.invalid).toHaveLength(1);
  });
});

describe('parseAnnotations: unknown and misspelled keys', () => {
  it('suggests the closest key for an unknown mesh-readiness.io key', () => {
    const { problems } = parseComponent({
      'mesh-readiness.io/timeout': 'true',
    });
    expect(problems[0]).toMatchObject({
      key: 'mesh-readiness.io/timeout',
      suggestion: 'mesh-readiness.io/timeouts',
    });
    expect(problems[0].message).toMatch(
      /did you mean 'mesh-readiness.io\/timeouts'/,
    );
  });

  it('flags an unknown key without a close match', () => {
    const { problems } = parseComponent({
      'mesh-readiness.io/favourite-colour': 'blue',
    });
    expect(problems[0].message).toMatch(/is not a known annotation$/);
    expect(problems[0].suggestion).toBeUndefined();
  });

  it('points a look-alike prefix at the real one', () => {
    const { problems, values } = parseComponent({
      'meshready.io/tracing': 'full',
    });
    expect(values.tracing).toBeUndefined();
    expect(problems[0].suggestion).toBe('mesh-readiness.io/tracing');
  });

  it('asks for lower-case keys', () => {
    const { problems } = parseComponent({
      'Mesh-Readiness.io/tracing': 'full',
    });
    expect(problems[0].suggestion).toBe('mesh-readiness.io/tracing');
  });

  it('ignores unrelated annotations', () => {
    const { problems, values } = parseComponent({
      'backstage.io/techdocs-ref': 'dir:.',
      'github.com/project-slug': 'a/b',
    });
    expect(problems).toEqual([]);
    expect(values.hasAnnotations).toBe(false);
  });

  it('classifies a foreign key the same way every time it is seen', () => {
    for (let i = 0; i < 3; i++) {
      const { problems } = parseComponent({
        'backstage.io/managed-by-location': 'url:x',
        'meshready.io/tracing': 'full',
        'Mesh-Readiness.io/ports': 'http:8080',
      });
      expect(problems.map(p => p.suggestion)).toEqual([
        'mesh-readiness.io/tracing',
        'mesh-readiness.io/ports',
      ]);
    }
  });
});

describe('parseAnnotations: waivers', () => {
  const waive = (id: string, value: string) =>
    parseComponent({ [`mesh-readiness.io/waive.${id}`]: value });

  it('reads a valid waiver', () => {
    const { values, problems } = waive(
      'proxy-uid',
      '2027-03-31 vendor image runs as 1337; JIRA-412',
    );
    expect(problems).toEqual([]);
    expect(values.waivers).toEqual([
      {
        checkId: 'proxy-uid',
        until: '2027-03-31',
        reason: 'vendor image runs as 1337; JIRA-412',
        expired: false,
      },
    ]);
  });

  it('holds through its last day and expires the day after', () => {
    expect(waive('tracing', '2026-06-01 today').values.waivers[0].expired).toBe(
      false,
    );
    const expired = waive('tracing', '2026-05-31 yesterday');
    expect(expired.values.waivers[0].expired).toBe(true);
    expect(expired.problems[0].message).toMatch(
      /expired on 2026-05-31; it is ignored/,
    );
    expect(expired.values.invalid).toEqual([]);
  });

  it.each([
    [
      'tracing',
      'next quarter',
      /is not a waiver; write 'YYYY-MM-DD reason'/,
      undefined,
    ],
    [
      'tracing',
      '2026-02-30 leap',
      /2026-02-30 is not a calendar date/,
      undefined,
    ],
    ['tracing', '2027-01-01', /has no reason/, undefined],
    [
      'tracin',
      '2027-01-01 typo',
      /'tracin' is not a known check id; did you mean 'tracing'/,
      'mesh-readiness.io/waive.tracing',
    ],
    ['genuine-need', '2027-01-01 org', /is an organisation check/, undefined],
  ])('rejects waive.%s = %j', (id, value, message, suggestion) => {
    const { values, problems } = waive(id, value);
    expect(values.waivers).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(message);
    expect(problems[0].suggestion).toBe(suggestion);
  });

  it('accepts waivers for custom check ids when told about them', () => {
    const { values, problems } = parseAnnotations(
      component('svc', { 'mesh-readiness.io/waive.my-check': '2030-01-01 ok' }),
      { now: NOW, checkIds: ['my-check'] },
    );
    expect(problems).toEqual([]);
    expect(values.waivers[0].checkId).toBe('my-check');
  });
});

describe('parseAnnotations never throws', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'component'],
    ['no metadata', { kind: 'Component' }],
    [
      'annotations as a list',
      { kind: 'Component', metadata: { name: 'x', annotations: ['a'] } },
    ],
    [
      'annotations null',
      { kind: 'Component', metadata: { name: 'x', annotations: null } },
    ],
    [
      'a throwing getter',
      {
        kind: 'Component',
        metadata: {
          name: 'x',
          get annotations() {
            throw new Error('boom');
          },
        },
      },
    ],
  ])('%s', (_name, entity) => {
    const run = () => parseAnnotations(entity as Entity, { now: NOW });
    expect(run).not.toThrow();
    expect(run().values.compliance).toEqual([]);
  });

  const keyArb = fc.oneof(
    fc.constantFrom(
      ...ANNOTATION_KEYS,
      'mesh-readiness.io/waive.tracing',
      'mesh-readiness.io/waive.x',
    ),
    fc.string().map(s => `${ANNOTATION_PREFIX}${s}`),
    fc.string(),
  );
  const valueArb = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.object({ maxDepth: 1 }),
    fc.constantFrom(
      '8080/http, 9090/grcp',
      '2027-01-01 x',
      '1,200',
      ' , ,',
      '\u0000\u202e',
    ),
  );

  it('for arbitrary annotations: never throws and every problem names its key', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Component', 'Group', 'Resource', 'API', 'x'),
        fc.dictionary(keyArb, valueArb, { maxKeys: 8 }),
        fc.anything(),
        (kind, annotations, tags) => {
          const entity = {
            kind,
            metadata: { name: 'x', annotations, tags },
            spec: { type: 'kubernetes-cluster' },
          } as unknown as Entity;
          const { values, problems } = parseAnnotations(entity, { now: NOW });
          for (const p of problems) {
            expect(typeof p.key).toBe('string');
            expect(p.message.startsWith(`${p.key}: `)).toBe(true);
          }
          for (const key of values.invalid) {
            expect(problems.some(p => p.key === key)).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('parseAnnotations: repeated values', () => {
  it('gives the same lists and problems for a value seen before', () => {
    const first = parseComponent({
      'mesh-readiness.io/ports': '8080/http, 9090/grpc',
      'mesh-readiness.io/needs': 'canary-release, mtls',
      'mesh-readiness.io/probes': 'liveness',
    });
    const again = parseComponent({
      'mesh-readiness.io/ports': '8080/http, 9090/grpc',
      'mesh-readiness.io/needs': 'canary-release, mtls',
      'mesh-readiness.io/probes': 'liveness',
    });
    expect(again.values.ports).toEqual([
      { port: 8080, protocol: 'http' },
      { port: 9090, protocol: 'grpc' },
    ]);
    expect(again.values.ports).toEqual(first.values.ports);
    expect(again.values.needs).toEqual(first.values.needs);
    expect(again.values.probes).toEqual(first.values.probes);
    expect(again.problems).toEqual(first.problems);
  });

  it('reports a problem every time a bad value is seen', () => {
    for (let i = 0; i < 2; i++) {
      const { values, problems } = parseComponent({
        'mesh-readiness.io/ports': '8080/htp',
      });
      expect(values.ports).toEqual([]);
      expect(problems).toHaveLength(1);
      expect(values.invalid).toEqual(['mesh-readiness.io/ports']);
    }
  });
});
