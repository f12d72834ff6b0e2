import Ajv, { type ErrorObject } from 'ajv';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_SPECS,
  parseAnnotations,
  type AnnotationFormat,
  type AnnotationSpec,
} from './annotations';
import { ENTITY_CHECK_IDS } from './checkIds';
import {
  CATALOG_INFO_SCHEMA_PATH,
  catalogInfoSchema,
} from './catalogInfoSchema';
import { cluster, component, group } from './__testUtils__/entities';

const PACKAGE_DIR = path.resolve(__dirname, '..');
const REPO_DIR = path.resolve(PACKAGE_DIR, '..', '..');
const NOW = new Date('2026-06-01T12:00:00Z');

/** The file the package ships, as an editor loads it. */
const shipped = JSON.parse(
  fs.readFileSync(path.join(PACKAGE_DIR, CATALOG_INFO_SCHEMA_PATH), 'utf8'),
);

// Draft-07, every error; the YAML language server's own keywords are known
// words, so a misspelt keyword in the schema still fails to compile.
const ajv = new Ajv({ allErrors: true, strictTypes: false });
ajv.addVocabulary([
  'markdownDescription',
  'errorMessage',
  'patternErrorMessage',
]);
const validate = ajv.compile(shipped);

interface Problem {
  key: string;
  message: string;
}

function schemaAt(segments: string[]): any {
  let node: any = shipped;
  for (const segment of segments) {
    node = node?.[segment];
  }
  return node;
}

/**
 * The problems an editor shows for a document, worded as the YAML
 * language server words them: a value that fails its pattern shows the
 * schema's `patternErrorMessage`, a value of the wrong type its
 * `errorMessage`, and a key the schema forbids the `errorMessage` of the
 * object schema that forbids it.
 */
function problemsOf(document: unknown): Problem[] {
  if (validate(document)) {
    return [];
  }
  return (validate.errors ?? [])
    .filter((e: ErrorObject) => e.keyword !== 'if')
    .map((e: ErrorObject) => {
      const key = e.instancePath
        .split('/')
        .slice(3)
        .join('/')
        .replace(/~1/g, '/')
        .replace(/~0/g, '~');
      const segments = e.schemaPath
        .slice(2)
        .split('/')
        .map(s =>
          decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'),
        );
      let message: string | undefined;
      if (e.keyword === 'pattern') {
        const at = schemaAt(segments.slice(0, -1));
        message = at.patternErrorMessage ?? at.errorMessage;
      } else if (e.keyword === 'false schema') {
        message = schemaAt(segments.slice(0, -3)).errorMessage;
      } else if (e.keyword === 'type') {
        message = schemaAt(segments.slice(0, -1)).errorMessage;
      }
      return { key, message: message ?? `${key}: ${e.message}` };
    });
}

function problemsOfYaml(text: string): Problem[] {
  return problemsOf(parseYaml(text));
}

/** Every document of the demo catalog: examples/all.yaml and its targets. */
function demoCatalog(): Array<{ file: string; entity: Entity }> {
  const root = path.join(REPO_DIR, 'examples', 'all.yaml');
  const location = parseYaml(fs.readFileSync(root, 'utf8'));
  const files: string[] = [
    root,
    ...location.spec.targets.map((target: string) =>
      path.resolve(path.dirname(root), target),
    ),
  ];
  return files.flatMap(file =>
    parseAllDocuments(fs.readFileSync(file, 'utf8')).map(doc => ({
      file: path.relative(REPO_DIR, file),
      entity: doc.toJS() as Entity,
    })),
  );
}

function entityFor(
  appliesTo: AnnotationSpec['appliesTo'],
  key: string,
  value: unknown,
) {
  const annotations = { [key]: value } as Record<string, string>;
  if (appliesTo === 'group') {
    return group('g', {}, annotations);
  }
  return appliesTo === 'cluster'
    ? cluster('c', annotations)
    : component('c', annotations);
}

function parserReads(
  spec: { appliesTo: AnnotationSpec['appliesTo']; key: string },
  value: string,
): boolean {
  const entity = entityFor(spec.appliesTo, spec.key, value);
  return !parseAnnotations(entity, { now: NOW }).values.invalid.includes(
    spec.key,
  );
}

function schemaAccepts(
  spec: { appliesTo: AnnotationSpec['appliesTo']; key: string },
  value: string,
): boolean {
  return problemsOf(entityFor(spec.appliesTo, spec.key, value)).length === 0;
}

describe('the catalog-info.yaml JSON Schema', () => {
  it('is shipped by the package as generated from the annotation table (yarn docs:generate)', () => {
    expect(shipped).toEqual(catalogInfoSchema());
    expect(shipped.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const pkg = JSON.parse(
      fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'),
    );
    expect(pkg.exports['./catalog-info.schema.json']).toBe(
      `./${CATALOG_INFO_SCHEMA_PATH}`,
    );
    expect(pkg.files).toContain(path.dirname(CATALOG_INFO_SCHEMA_PATH));
  });

  it('describes every mesh-readiness.io annotation: its values, an example and the entity that reads it', () => {
    const keys = shipped.properties.metadata.properties.annotations.properties;
    for (const spec of ANNOTATION_SPECS) {
      expect(keys).toHaveProperty([spec.key]);
      const described = keys[spec.key];
      expect(described.type).toBe('string');
      expect(described.description).toContain(
        `Example: ${spec.key}: "${spec.example}"`,
      );
      expect(described.description).toContain(
        {
          component: 'Applies to a Component.',
          group: 'Applies to a Group.',
          cluster: "Applies to a Resource of spec.type 'kubernetes-cluster'.",
        }[spec.appliesTo],
      );
      expect(described.markdownDescription).toContain(spec.values);
      // The example of the table is a value the schema accepts.
      expect(schemaAccepts(spec, spec.example)).toBe(true);
    }
    for (const id of ENTITY_CHECK_IDS) {
      expect(keys[`mesh-readiness.io/waive.${id}`].description).toContain(
        `Waives the check ${id}`,
      );
    }
  });

  it('accepts the demo catalog except the annotations it breaks on purpose, and names each of those', () => {
    const documents = demoCatalog();
    expect(documents.length).toBeGreaterThan(100);
    const flagged: string[] = [];
    for (const { file, entity } of documents) {
      const problems = problemsOf(entity);
      // The schema flags exactly what the scorecard flags, document by document.
      const invalid = parseAnnotations(entity, { now: NOW }).values.invalid;
      expect({
        file,
        name: entity.metadata.name,
        keys: [...new Set(problems.map(p => p.key))].sort(),
      }).toEqual({
        file,
        name: entity.metadata.name,
        keys: [...invalid].sort(),
      });
      for (const problem of problems) {
        flagged.push(`${entity.metadata.name}: ${problem.message}`);
      }
    }
    // The malformed annotations listed in examples/README.md.
    expect(flagged.sort()).toEqual([
      `label-printer: mesh-readiness.io/waive.tracing takes 'YYYY-MM-DD reason' with a date that exists, e.g. "2027-03-31 vendor image runs as uid 1337; JIRA-412"`,
      'loyalty-points: mesh-readiness.io/replicas takes a whole number from 0 to 1000000, e.g. "6"',
      'product-catalog: mesh-readiness.io/tracing takes one of full, partial, none, e.g. "full"',
      expect.stringMatching(
        /^recommendations: mesh-readiness\.io\/ports takes a comma-separated list of PORT\/PROTOCOL \(ports 1 to 65535; protocols http, .*grpc.*\), e\.g\. "8080\/http, 9090\/grpc, 5432\/postgres"$/,
      ),
      expect.stringMatching(
        /^reviews-service: Mesh Readiness reads no such annotation; check the spelling\. Its mesh-readiness\.io\/ keys are ports, .*timeouts.* and waive\.<check-id>\.$/,
      ),
      `warehouse-sync: mesh-readiness.io/waive.tracing takes 'YYYY-MM-DD reason' with a date that exists, e.g. "2027-03-31 vendor image runs as uid 1337; JIRA-412"`,
    ]);
  });

  it('rejects a malformed annotation with a message that names its key', () => {
    const entity = (annotations: string) => `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: loyalty-points
  annotations:
    backstage.io/edit-url: https://github.com/acme/loyalty/edit/main/catalog-info.yaml
${annotations}
spec:
  type: service
  lifecycle: production
  owner: group:default/engagement
`;
    expect(
      problemsOfYaml(
        entity(`    mesh-readiness.io/ports: "8080/http, 9090/grcp"
    mesh-readiness.io/replicas: "three"`),
      ),
    ).toEqual([
      {
        key: 'mesh-readiness.io/ports',
        message: expect.stringMatching(
          /^mesh-readiness\.io\/ports takes a comma-separated list of PORT\/PROTOCOL/,
        ),
      },
      {
        key: 'mesh-readiness.io/replicas',
        message:
          'mesh-readiness.io/replicas takes a whole number from 0 to 1000000, e.g. "6"',
      },
    ]);
    // An unquoted number is a YAML number, and Backstage reads strings only.
    expect(problemsOfYaml(entity('    mesh-readiness.io/replicas: 3'))).toEqual(
      [
        {
          key: 'mesh-readiness.io/replicas',
          message:
            'mesh-readiness.io/replicas: quote the value; Backstage reads annotation values as strings, e.g. mesh-readiness.io/replicas: "6"',
        },
      ],
    );
    expect(
      problemsOfYaml(
        entity(`    mesh-readiness.io/replicas: " 0006 "
    mesh-readiness.io/tracing: FULL
    mesh-readiness.io/ports: "8080/HTTP , 9090 / grpc,"`),
      ),
    ).toEqual([]);
  });

  it('refuses a key on an entity that does not read it, an unknown key and an upper-case prefix', () => {
    expect(
      problemsOf(
        component('svc', {
          'mesh-readiness.io/cni': 'cilium',
          'mesh-readiness.io/timeout': 'true',
          'Mesh-Readiness.io/ports': '8080/http',
        }),
      ),
    ).toEqual([
      {
        key: 'mesh-readiness.io/cni',
        message:
          "mesh-readiness.io/cni applies to a Resource of spec.type 'kubernetes-cluster' and has no effect on this entity.",
      },
      {
        key: 'mesh-readiness.io/timeout',
        message: expect.stringContaining(
          'Mesh Readiness reads no such annotation',
        ),
      },
      {
        key: 'Mesh-Readiness.io/ports',
        message:
          'Annotation keys are case-sensitive: write the mesh-readiness.io/ prefix in lower case.',
      },
    ]);
    expect(
      problemsOf(
        group(
          'platform',
          {},
          {
            'mesh-readiness.io/waive.tracing': '2027-01-31 not a workload',
            'mesh-readiness.io/platform-team': 'true',
          },
        ),
      ),
    ).toEqual([
      {
        key: 'mesh-readiness.io/waive.tracing',
        message: 'Waivers apply to Component entities only.',
      },
    ]);
    expect(
      problemsOf(
        component('svc', {
          'mesh-readiness.io/waive.genuine-need': '2027-01-31 reason',
        }),
      ),
    ).toEqual([
      {
        key: 'mesh-readiness.io/waive.genuine-need',
        message: expect.stringContaining(
          'are decided for the whole catalog and cannot be waived on one entity',
        ),
      },
    ]);
  });

  it('leaves other annotations and the rest of the entity to Backstage', () => {
    expect(
      problemsOf({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: {
          name: 'orders',
          annotations: { 'backstage.io/edit-url': 'x', 'acme.io/cost': 3 },
        },
        spec: { type: 'openapi', definition: { anything: [1, 2] } },
      }),
    ).toEqual([]);
    expect(problemsOf(null)).toEqual([]);
    // A waiver of a custom check is read: custom checks come from config.
    expect(
      problemsOf(
        component('svc', {
          'mesh-readiness.io/waive.acme-sbom':
            '2027-01-31 SBOM job lands in Q1',
        }),
      ),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The schema and the parser agree on every value: the schema refuses what
// the parser refuses and accepts what it reads.

const LOWER_VARIANTS: Record<string, string[]> = { k: ['\u212a'] };
const UPPER_VARIANTS: Record<string, string[]> = {
  I: ['\u0131'],
  S: ['\u017f'],
};
const SPACES = ['', ' ', '  ', '\t', '\n', '\u00a0', '\ufeff'];

/** A word in any case the parser folds back to it. */
function anyCase(word: string, fold: 'lower' | 'upper'): fc.Arbitrary<string> {
  const variants = fold === 'lower' ? LOWER_VARIANTS : UPPER_VARIANTS;
  const source = fold === 'upper' ? word.replace('ST', '\ufb06') : word;
  return fc
    .tuple(
      fc.constant(source),
      fc.array(fc.nat(3), {
        minLength: source.length,
        maxLength: source.length,
      }),
      fc.boolean(),
    )
    .map(([text, picks, ligature]) =>
      [...(ligature ? text : word)]
        .map((ch, i) => {
          const options = [
            ch,
            fold === 'lower' ? ch.toUpperCase() : ch.toLowerCase(),
            ...(variants[ch] ?? []),
          ];
          return options[picks[i] % options.length];
        })
        .join(''),
    );
}

function digits(max: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(
        fc.integer({ min: 0, max: max + 2 }),
        fc.constantFrom(0, 1, max - 1, max, max + 1, max * 10),
      ),
      fc.constantFrom('', '0', '00'),
    )
    .map(([n, zeros]) => `${zeros}${n}`);
}

const PATHS = [
  './deploy/',
  '../rendered/checkout.yaml',
  'https://git.example/x?a=b',
  'a b',
  'x\u0001y',
  'x\ty',
];

/** Values close to what the format takes: valid items, near misses, odd separators. */
function itemOf(format: AnnotationFormat): fc.Arbitrary<string> {
  switch (format.type) {
    case 'word':
    case 'word-list':
      return fc.oneof(
        fc.constantFrom(...format.words).chain(w => anyCase(w, 'lower')),
        fc.constantFrom('none', 'yes', 'h2c', 'ful', ''),
      );
    case 'boolean':
      return fc.oneof(
        fc.constantFrom('true', 'false').chain(w => anyCase(w, 'lower')),
        fc.constantFrom('yes', '1', 'tru'),
      );
    case 'integer':
    case 'number':
      return fc
        .tuple(
          digits(format.max),
          fc.constantFrom('', '', '.5', '.0', '.', ',5', 'k', 'e3'),
          fc.constantFrom('', '', '-', '+'),
        )
        .map(([n, fraction, sign]) => `${sign}${n}${fraction}`);
    case 'port-protocol-list':
      return fc
        .tuple(
          digits(65535),
          fc.constantFrom('/', ' / ', '', '//'),
          fc.oneof(
            fc
              .constantFrom(...format.protocols)
              .chain(w => anyCase(w, 'lower')),
            fc.constantFrom('grcp', 'h2c', ''),
          ),
        )
        .map(([port, slash, protocol]) => `${port}${slash}${protocol}`);
    case 'port-list':
      return digits(65535);
    case 'ip-address':
      return fc.oneof(
        fc
          .tuple(digits(255), digits(255), digits(255), digits(255))
          .map(octets => octets.join('.')),
        fc.constantFrom(
          '::',
          '[::1]',
          '::1]',
          '[fe80::1',
          'FE80::A:1',
          '1.2.3',
          '*',
          'localhost',
          'LOCALHOST',
          '\u212aocalhost',
          '[[::1]',
          ':'.repeat(45),
          ':'.repeat(46),
          'g::1',
        ),
      );
    case 'route-list':
      return fc.oneof(
        fc
          .tuple(
            fc.constantFrom(...format.methods).chain(m => anyCase(m, 'upper')),
            fc.constantFrom(' ', '  ', '\t', ''),
            fc.constantFrom('/payments', 'payments', '/a b', '/'),
          )
          .map(([method, space, route]) => `${method}${space}${route}`),
        fc.constantFrom(
          'pkg.Service/Method',
          '_a/b',
          'a.b/1',
          'a/b.c',
          '1a/b',
          'GET/x',
          'FETCH /x',
        ),
      );
    case 'path-list':
      return fc.constantFrom(...PATHS);
    case 'version':
      return fc.constantFrom(
        '1.31',
        ' v1.31.2 ',
        '5.15.0-1051-azure',
        '6',
        'V1.2',
        '12345.1',
        '1.2.3.4',
        '1.2-',
        '1.2 3',
      );
    case 'text':
      return fc.constantFrom('runs on a mainframe', ' ', '\u00a0', 'x');
    default:
      return fc.string();
  }
}

function valuesOf(format: AnnotationFormat): fc.Arbitrary<string> {
  const item = fc.tuple(
    itemOf(format),
    fc.constantFrom(...SPACES),
    fc.constantFrom(...SPACES),
  );
  const listed = fc
    .tuple(
      fc.array(item, { minLength: 1, maxLength: 4 }),
      fc.array(fc.constantFrom(',', ', ', ' ,', ',,', ' ', ''), {
        minLength: 5,
        maxLength: 5,
      }),
    )
    .map(([items, separators]) => {
      const body = items
        .map(
          ([text, before, after], i) =>
            `${i === 0 ? '' : separators[i]}${before}${text}${after}`,
        )
        .join('');
      const lead = separators[0].includes(',') ? separators[0] : '';
      const trail = separators[4].includes(',') ? separators[4] : '';
      return `${lead}${body}${trail}`;
    });
  const single = item.map(
    ([text, before, after]) => `${before}${text}${after}`,
  );
  return fc.oneof(
    { weight: 3, arbitrary: single },
    { weight: 3, arbitrary: listed },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  );
}

/** Where the schema knowingly accepts what the parser refuses (see catalogInfoSchema.ts). */
function knownLooseness(format: AnnotationFormat, value: string): boolean {
  const fraction = /^\s*0*(\d+)\.\d+\s*$/.exec(value);
  return (
    format.type === 'number' &&
    fraction !== null &&
    Number(fraction[1]) === format.max
  );
}

/** The edges of a format's ranges, tried before the random values. */
function boundaries(format: AnnotationFormat): string[] {
  switch (format.type) {
    case 'integer':
    case 'number': {
      const { min, max } = format;
      return [`${min}`, `${max}`, `${max + 1}`, ` 0${max} `, `${max}.0`];
    }
    case 'port-list':
    case 'port-protocol-list': {
      const protocol = format.type === 'port-list' ? '' : '/http';
      return ['0', '1', '65535', '65536', '065535'].map(p => `${p}${protocol}`);
    }
    default:
      return [];
  }
}

describe('the schema and the parser agree', () => {
  it.each(ANNOTATION_SPECS.map(spec => [spec.key, spec] as const))(
    '%s: the schema accepts exactly the values the parser reads',
    (_key, spec) => {
      fc.assert(
        fc.property(valuesOf(spec.format), value => {
          const read = parserReads(spec, value);
          const accepted = schemaAccepts(spec, value);
          if (accepted && !read && knownLooseness(spec.format, value)) {
            return;
          }
          expect({ value, accepted }).toEqual({ value, accepted: read });
        }),
        { numRuns: 300, examples: boundaries(spec.format).map(v => [v]) },
      );
    },
  );

  it('waivers: the schema accepts exactly the waivers the parser reads', () => {
    const waiver = {
      appliesTo: 'component' as const,
      key: 'mesh-readiness.io/waive.proxy-uid',
    };
    // A custom check's waiver: read when the check is configured.
    const custom = {
      appliesTo: 'component' as const,
      key: 'mesh-readiness.io/waive.acme-sbom',
    };
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const value = fc.oneof(
      fc
        .tuple(
          fc.oneof(
            fc.integer({ min: 0, max: 9999 }),
            fc.constantFrom(0, 4, 99, 100, 1900, 2000, 2024, 2026),
          ),
          fc.oneof(fc.integer({ min: 0, max: 13 }), fc.constantFrom(2, 4, 12)),
          fc.oneof(
            fc.integer({ min: 0, max: 32 }),
            fc.constantFrom(28, 29, 30, 31),
          ),
          fc.constantFrom(
            ' reason',
            '  vendor image; JIRA-412 ',
            '',
            ' ',
            'x',
            '\treason',
          ),
          fc.constantFrom(...SPACES),
        )
        .map(
          ([y, m, d, reason, space]) =>
            `${space}${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}${reason}`,
        ),
      fc.string({ maxLength: 16 }),
    );
    fc.assert(
      fc.property(value, v => {
        const read = parserReads(waiver, v);
        expect({ v, accepted: schemaAccepts(waiver, v) }).toEqual({
          v,
          accepted: read,
        });
        expect({ v, accepted: schemaAccepts(custom, v) }).toEqual({
          v,
          accepted: read,
        });
      }),
      { numRuns: 1000 },
    );
  });
});
