/*
 * API definition benchmark: the time and memory of reading one large
 * OpenAPI definition for the retry-safety check (analyzeApiEntity: size
 * check, YAML/JSON parse, $ref dereferencing, classification of every
 * operation), on a generated Stripe-shaped OpenAPI 3.0 document.
 *
 *   node bench/definitions.js [--mib 8] [--runs 5] [--format json|yaml]... [--dangling]
 *
 * The document, as large as --mib in each format (JSON indented by 2, as
 * published; YAML as the yaml package writes it): resources with 20 properties each (long descriptions, as
 * Stripe's), `anyOf` expandable references between them, 5 operations per
 * resource (list, create, retrieve, update, delete) with form-encoded
 * bodies, and every operation's error response a $ref to
 * #/components/schemas/error. With --dangling that schema is left out, as
 * in Stripe's 2017 spec, so every error response is a dangling $ref that
 * becomes a warning. Each format is measured in a fresh Node.js process
 * (so one run's garbage does not weigh on the next): the first run is cold,
 * the figure is the median of the warm ones; memory is the process's peak
 * resident set above what it held before the first read, and the heap the
 * analysis result keeps.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MiB = 1024 * 1024;

function parseArgs(argv) {
  const options = { mib: 8, runs: 5, formats: [], dangling: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mib') options.mib = Number(argv[++i]);
    else if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--format') options.formats.push(argv[++i]);
    else if (arg === '--dangling') options.dangling = true;
    else if (arg === '--child') options.child = argv[++i];
    else {
      console.error(`bench:definitions: unknown argument ${arg}`);
      console.error(
        'usage: node bench/definitions.js [--mib <n>] [--runs <n>] [--format json|yaml]... [--dangling]',
      );
      process.exit(2);
    }
  }
  if (!options.formats.length) options.formats = ['json', 'yaml'];
  if (
    !(options.mib > 0) ||
    !Number.isInteger(options.runs) ||
    options.runs < 1 ||
    !options.formats.every(f => f === 'json' || f === 'yaml')
  ) {
    console.error(
      'bench:definitions: --mib > 0, --runs ≥ 1, --format json or yaml',
    );
    process.exit(2);
  }
  return options;
}

const WORDS =
  'the object amount currency customer charge balance payout refund invoice subscription card source account transfer fee created livemode metadata status description'.split(
    ' ',
  );

function sentence(seed, words) {
  const out = [];
  for (let i = 0; i < words; i++)
    out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]);
  return `${out.join(' ')}.`;
}

/** A Stripe-shaped OpenAPI 3.0 document of at least `bytes` (as JSON). */
function generate(bytes, dangling) {
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Generated Stripe-shaped API', version: '2017-08-15' },
    servers: [{ url: 'https://api.example.com/' }],
    paths: {},
    components: { schemas: {} },
  };
  if (!dangling) {
    doc.components.schemas.error = {
      type: 'object',
      properties: {
        error: { type: 'object', properties: { message: { type: 'string' } } },
      },
    };
  }
  const error = {
    description: 'Error response.',
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/error' } },
    },
  };
  let size = JSON.stringify(doc).length;
  for (let r = 0; size < bytes; r++) {
    const name = `resource_${r}`;
    const properties = {};
    for (let p = 0; p < 20; p++) {
      properties[`field_${p}`] =
        p % 5 === 4 && r > 0
          ? {
              anyOf: [
                { maxLength: 5000, type: 'string' },
                { $ref: `#/components/schemas/resource_${(r * 31 + p) % r}` },
              ],
              description: sentence(r + p, 24),
              'x-expansionResources': {
                oneOf: [
                  { $ref: `#/components/schemas/resource_${(r * 17 + p) % r}` },
                ],
              },
            }
          : {
              type: p % 3 ? 'string' : 'integer',
              description: sentence(r * p, 30),
              nullable: p % 2 === 0,
            };
    }
    const schema = {
      type: 'object',
      title: name,
      description: sentence(r, 60),
      properties,
      required: ['field_0'],
    };
    doc.components.schemas[name] = schema;
    const ok = ref => ({
      description: 'Successful response.',
      content: { 'application/json': { schema: { $ref: ref } } },
    });
    const body = {
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            properties: Object.fromEntries(
              Object.entries(properties)
                .slice(0, 8)
                .map(([k, v]) => [
                  k,
                  { type: 'string', description: v.description },
                ]),
            ),
          },
        },
      },
    };
    const id = {
      in: 'path',
      name: 'id',
      required: true,
      schema: { type: 'string', maxLength: 5000 },
    };
    const pathItems = {
      [`/v1/${name}`]: {
        get: {
          operationId: `List${r}`,
          description: sentence(r, 40),
          parameters: [
            { in: 'query', name: 'limit', schema: { type: 'integer' } },
          ],
          responses: {
            200: ok(`#/components/schemas/${name}`),
            default: error,
          },
        },
        post: {
          operationId: `Create${r}`,
          description: sentence(r + 1, 40),
          requestBody: body,
          responses: {
            200: ok(`#/components/schemas/${name}`),
            default: error,
          },
        },
      },
      [`/v1/${name}/{id}`]: {
        get: {
          operationId: `Get${r}`,
          description: sentence(r + 2, 40),
          parameters: [id],
          responses: {
            200: ok(`#/components/schemas/${name}`),
            default: error,
          },
        },
        post: {
          operationId: `Update${r}`,
          description: sentence(r + 3, 40),
          parameters: [id],
          requestBody: body,
          responses: {
            200: ok(`#/components/schemas/${name}`),
            default: error,
          },
        },
        delete: {
          operationId: `Delete${r}`,
          description: sentence(r + 4, 40),
          parameters: [id],
          responses: {
            200: ok(`#/components/schemas/${name}`),
            default: error,
          },
        },
      },
    };
    Object.assign(doc.paths, pathItems);
    size += JSON.stringify(schema).length + JSON.stringify(pathItems).length;
  }
  return doc;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function child(file, runs) {
  require('@backstage/cli/config/nodeTransform.cjs');
  const {
    analyzeApiEntity,
  } = require('@mesh-readiness/plugin-mesh-readiness-common/retry');
  const definition = fs.readFileSync(file, 'utf8');
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'generated-api' },
    spec: { type: 'openapi', definition },
  };
  // Load the parsers first, on a tiny document, so that the first run
  // measures reading, not module loading.
  await analyzeApiEntity({
    ...entity,
    spec: {
      type: 'openapi',
      definition: 'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {}\n',
    },
  });
  global.gc();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const times = [];
  let result;
  let retained = 0;
  for (let i = 0; i < runs + 1; i++) {
    result = undefined;
    global.gc();
    const start = process.hrtime.bigint();
    result = await analyzeApiEntity(entity, { maxDefinitionBytes: 64 * MiB });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    global.gc();
    retained = Math.max(retained, process.memoryUsage().heapUsed - heapBefore);
  }
  const peak = process.resourceUsage().maxRSS * 1024 - rssBefore;
  const counts = {};
  for (const op of result.operations)
    counts[op.idempotent] = (counts[op.idempotent] ?? 0) + 1;
  process.stdout.write(
    JSON.stringify({
      cold: times[0],
      warm: runs > 0 ? median(times.slice(1)) : times[0],
      min: Math.min(...times.slice(1)),
      max: Math.max(...times.slice(1)),
      peak,
      retained,
      status: result.status,
      operations: result.operations.length,
      counts,
      warnings: result.warningCount ?? 0,
    }),
  );
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.child) {
    await child(options.child, options.runs);
    return;
  }
  const serialise = {
    json: doc => JSON.stringify(doc, null, 2),
    yaml: doc =>
      require('yaml').stringify(doc, { aliasDuplicateObjects: false }),
  };
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'mesh-readiness-definitions-'),
  );
  console.log(
    `API definition benchmark: Node.js ${process.version}, ${
      os.cpus().length
    } × ${os.cpus()[0].model}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`,
  );
  console.log(
    `document: generated Stripe-shaped OpenAPI 3.0${
      options.dangling ? ', every error response a dangling $ref' : ''
    }; ${options.runs} warm run(s) after a cold one`,
  );
  try {
    for (const format of options.formats) {
      // Generated to the size of compact JSON, then scaled to the format's.
      const target = options.mib * MiB;
      const probe = generate(target / 8, options.dangling);
      const ratio =
        Buffer.byteLength(serialise[format](probe)) /
        JSON.stringify(probe).length;
      const doc = generate(target / ratio, options.dangling);
      const text = serialise[format](doc);
      const file = path.join(dir, `spec.${format}`);
      fs.writeFileSync(file, text);
      const out = execFileSync(
        process.execPath,
        [
          '--expose-gc',
          __filename,
          '--child',
          file,
          '--runs',
          String(options.runs),
        ],
        { encoding: 'utf8', maxBuffer: 16 * MiB },
      );
      const r = JSON.parse(out);
      console.log(
        `${format.padEnd(4)} ${(Buffer.byteLength(text) / MiB).toFixed(
          1,
        )} MiB, ${Object.keys(doc.paths).length} paths, ${
          Object.keys(doc.components.schemas).length
        } schemas: ${r.status}, ${r.operations} operations ${JSON.stringify(
          r.counts,
        )}, ${r.warnings} warnings | cold ${r.cold.toFixed(
          0,
        )} ms, warm ${r.warm.toFixed(0)} ms (${r.min.toFixed(
          0,
        )}–${r.max.toFixed(0)}) | peak RSS +${(r.peak / MiB).toFixed(
          0,
        )} MiB, result keeps ${(r.retained / MiB).toFixed(1)} MiB of heap`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
