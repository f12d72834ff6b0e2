/*
 * Engine benchmark: the Mesh Readiness model against Tech Insights'
 * json-rules-engine fact checker on equivalent checks, side by side on the
 * same generated catalog and the same machine.
 *
 *   yarn bench:engine [--count 10000] [--count 100000] [--runs 5] [--warmup <n>]
 *
 * The other side is Tech Insights' own JsonRulesEngineFactChecker
 * (@backstage-community/plugin-tech-insights-backend-module-jsonfc) with six
 * checks equivalent to six of ours, run per Component as Tech Insights runs
 * them, on facts already flattened the way a fact retriever stores them and
 * served from memory (the flattening is timed separately; no database).
 * Entities are handed over as parsed JSON, the way the catalog's REST API
 * delivers them to the backend. Our side runs the whole model: every check
 * per workload, org aggregation, gates, recommendation and cost. Prints
 * entities/s and peak heap.
 *
 * Both sides first run `--warmup` times unmeasured (the JIT's warm-up: a
 * backend scores the catalog every 30 minutes, so what it sees is the
 * warm figure); our first, cold run is printed as well. By default the
 * warm-up is at least 2 runs and 200,000 entities, so that a small catalog
 * is as warm as a large one (2 runs of 10,000 entities left the JIT still
 * compiling in the measured runs). The previous report is dropped before
 * each run, as a backend drops it once stored. Each figure is the median of
 * `--runs`, with the fastest and slowest run beside it: this machine's
 * speed drifts by a fifth from one minute to the next.
 */
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { parseAllDocuments } = require('yaml');
const {
  JsonRulesEngineFactCheckerFactory,
} = require('@backstage-community/plugin-tech-insights-backend-module-jsonfc');
const {
  evaluateCatalog,
  parseAnnotations,
} = require('@mesh-readiness/plugin-mesh-readiness-common');

const args = process.argv.slice(2);
const counts = [];
let runs = 5;
let warmup; // default: per catalog size, see above
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--count') counts.push(Number(args[++i]));
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--warmup') warmup = Number(args[++i]);
  else {
    console.error(`bench: unknown argument ${args[i]}`);
    console.error('usage: bench [--count <n>]... [--runs <n>] [--warmup <n>]');
    process.exit(2);
  }
}
if (
  !counts.every(n => Number.isInteger(n) && n > 0) ||
  !Number.isInteger(runs) ||
  runs < 1 ||
  (warmup !== undefined && (!Number.isInteger(warmup) || warmup < 0))
) {
  console.error(
    'bench: --count and --runs must be whole numbers of at least 1, --warmup at least 0',
  );
  process.exit(2);
}
if (counts.length === 0) counts.push(10000, 100000);

const root = path.resolve(__dirname, '..');

function generate(count) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mesh-bench-${count}-`));
  execFileSync(process.execPath, [
    path.join(root, 'scripts/generate-catalog.mjs'),
    '--count',
    String(count),
    '--out',
    dir,
  ]);
  const entities = [];
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.yaml') || file === 'all.yaml') continue;
    for (const doc of parseAllDocuments(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    )) {
      const value = doc.toJS();
      if (value && value.kind !== 'Location') entities.push(value);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // As the backend gets them: the catalog's REST API answers JSON. Objects
  // built by the YAML parser have other shapes and score about 20% slower.
  return JSON.parse(JSON.stringify(entities));
}

const SERVER_FIRST = new Set([
  'mysql',
  'postgres',
  'redis',
  'mongodb',
  'memcached',
  'smtp',
  'dns',
  'nats',
  'galera',
  'elasticsearch',
  'cassandra',
]);

/** What a Tech Insights fact retriever would store for one component. */
function factsOf(entity) {
  const { values } = parseAnnotations(entity);
  const ports = values.ports ?? [];
  const opaque = new Set(values.opaquePorts ?? []);
  return {
    owner: typeof entity.spec?.owner === 'string' ? entity.spec.owner : '',
    tracing: values.tracing ?? 'unknown',
    portsDeclared: ports.length > 0,
    runAsUid: values.runAsUid ?? -1,
    serverFirstUndeclared: ports.filter(
      p => SERVER_FIRST.has(p.protocol) && !opaque.has(p.port),
    ).length,
    timeouts: values.timeouts === true,
  };
}

const FACT_SCHEMA = {
  owner: { type: 'string', description: 'spec.owner' },
  tracing: { type: 'string', description: 'mesh-readiness.io/tracing' },
  portsDeclared: { type: 'boolean', description: 'ports declared' },
  runAsUid: { type: 'integer', description: 'mesh-readiness.io/run-as-uid' },
  serverFirstUndeclared: {
    type: 'integer',
    description: 'server-first ports not opaque',
  },
  timeouts: { type: 'boolean', description: 'mesh-readiness.io/timeouts' },
};

const quietLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return quietLogger;
  },
};

/**
 * Tech Insights' own fact checker with six checks equivalent to six of ours,
 * reading facts from an in-memory store (its database is not timed).
 */
function techInsightsChecker(factsByRef) {
  const check = (id, fact, operator, value) => ({
    id,
    type: 'json-rules-engine',
    name: id,
    description: `mesh readiness: ${id}`,
    factIds: ['mesh-readiness-facts'],
    rule: { conditions: { all: [{ fact, operator, value }] } },
  });
  const factory = new JsonRulesEngineFactCheckerFactory({
    logger: quietLogger,
    checks: [
      check('owner', 'owner', 'notEqual', ''),
      check('tracing', 'tracing', 'equal', 'full'),
      check('protocols', 'portsDeclared', 'equal', true),
      check('proxy-uid', 'runAsUid', 'notIn', [1337, 2102]),
      check('server-first-protocols', 'serverFirstUndeclared', 'equal', 0),
      check('timeouts', 'timeouts', 'equal', true),
    ],
  });
  const timestamp = new Date();
  return factory.construct({
    async getLatestFactsByIds(_ids, entityRef) {
      return {
        'mesh-readiness-facts': {
          id: 'mesh-readiness-facts',
          version: '0.1.0',
          timestamp,
          entity: entityRef,
          facts: factsByRef.get(entityRef),
        },
      };
    },
    async getLatestSchemas() {
      return [FACT_SCHEMA];
    },
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(ns) {
  return Number(ns) / 1e6;
}

async function benchmark(count) {
  const warmupRuns = warmup ?? Math.max(2, Math.ceil(200000 / count));
  const entities = generate(count);
  const components = entities.filter(e => e.kind === 'Component');

  const ours = [];
  let cold;
  let report;
  let peakHeap = 0;
  for (let i = 0; i < warmupRuns + runs; i++) {
    report = undefined;
    global.gc?.();
    const t = process.hrtime.bigint();
    report = evaluateCatalog(entities);
    const took = ms(process.hrtime.bigint() - t);
    cold ??= took;
    if (i >= warmupRuns) ours.push(took);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }

  const oursHeap = peakHeap;
  const flatten = [];
  let facts;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    facts = components.map(factsOf);
    flatten.push(ms(process.hrtime.bigint() - t));
  }

  const factsByRef = new Map();
  components.forEach((c, i) =>
    factsByRef.set(`component:default/${c.metadata.name}`, facts[i]),
  );
  const checker = techInsightsChecker(factsByRef);
  const jsonfc = [];
  for (let i = 0; i < warmupRuns + runs; i++) {
    const t = process.hrtime.bigint();
    for (const ref of factsByRef.keys()) await checker.runChecks(ref);
    if (i >= warmupRuns) jsonfc.push(ms(process.hrtime.bigint() - t));
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const sample = await checker.runChecks(factsByRef.keys().next().value);
  if (sample.length !== 6)
    throw new Error(`jsonfc ran ${sample.length} checks, expected 6`);

  const checksPerWorkload =
    report.entities.find(e => e.inScope)?.checks.length ?? 0;
  const row = {
    entities: entities.length,
    components: components.length,
    checksPerWorkload,
    oursMs: median(ours),
    oursMinMs: Math.min(...ours),
    oursMaxMs: Math.max(...ours),
    coldMs: cold,
    jsonfcMs: median(jsonfc),
    factsMs: median(flatten),
    peakHeapMiB: oursHeap / 1048576,
  };
  const perSecond = n => Math.round(n).toLocaleString('en-US');
  console.log(
    [
      `catalog: ${row.entities} entities, ${
        row.components
      } components (median of ${runs} runs after ${warmupRuns} warm-up runs, Node ${
        process.version
      }, ${os.cpus().length} cores)`,
      `  mesh-readiness evaluateCatalog: ${row.oursMs.toFixed(
        0,
      )} ms (runs ${row.oursMinMs.toFixed(0)}–${row.oursMaxMs.toFixed(
        0,
      )} ms, ${perSecond((row.entities * 1000) / row.oursMaxMs)}–${perSecond(
        (row.entities * 1000) / row.oursMinMs,
      )} entities/s) for ${
        row.checksPerWorkload
      } checks per workload + org verdict, recommendation and cost (${(
        (row.oursMs * 1000) /
        row.components
      ).toFixed(1)} µs per component; ${perSecond(
        (row.entities * 1000) / row.oursMs,
      )} entities/s); peak heap ${row.peakHeapMiB.toFixed(
        0,
      )} MiB; first (cold) run ${row.coldMs.toFixed(0)} ms`,
      `  Tech Insights JsonRulesEngineFactChecker, 6 equivalent checks: ${row.jsonfcMs.toFixed(
        0,
      )} ms (${((row.jsonfcMs * 1000) / row.components).toFixed(
        1,
      )} µs per component), plus ${row.factsMs.toFixed(
        0,
      )} ms to build the facts`,
      `  per check and component: mesh-readiness ${(
        (row.oursMs * 1000) /
        row.components /
        row.checksPerWorkload
      ).toFixed(2)} µs, Tech Insights ${(
        (row.jsonfcMs * 1000) /
        row.components /
        6
      ).toFixed(2)} µs; ratio ${(
        row.jsonfcMs /
        6 /
        (row.oursMs / row.checksPerWorkload)
      ).toFixed(1)}x in our favour`,
    ].join('\n'),
  );
  return row;
}

(async () => {
  for (const count of counts) await benchmark(count);
})().catch(error => {
  console.error(error);
  process.exit(1);
});
