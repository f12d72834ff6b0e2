/*
 * Engine benchmark: the Mesh Readiness model against Tech Insights'
 * json-rules-engine fact checker on equivalent checks, side by side on the
 * same generated catalog and the same machine.
 *
 *   yarn bench:engine [--count 10000] [--count 100000] [--runs 5]
 *
 * The json-rules-engine side is given its best case: one Engine holding the
 * six rules, facts already flattened per entity the way a Tech Insights fact
 * retriever would store them (the flattening is timed separately). Our side
 * runs the whole model: 30+ checks per workload, org aggregation, gates,
 * recommendation and cost.
 */
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { parseAllDocuments } = require('yaml');
const { Engine } = require('json-rules-engine');
const {
  evaluateCatalog,
  parseAnnotations,
} = require('@mesh-readiness/plugin-mesh-readiness-common');

const args = process.argv.slice(2);
const counts = [];
let runs = 5;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--count') counts.push(Number(args[++i]));
  else if (args[i] === '--runs') runs = Number(args[++i]);
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
  return entities;
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

function rulesEngine() {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const rule = (name, fact, operator, value) =>
    engine.addRule({
      name,
      conditions: { all: [{ fact, operator, value }] },
      event: { type: name },
    });
  rule('owner', 'owner', 'notEqual', '');
  rule('tracing', 'tracing', 'equal', 'full');
  rule('protocols', 'portsDeclared', 'equal', true);
  rule('proxy-uid', 'runAsUid', 'notIn', [1337, 2102]);
  rule('server-first-protocols', 'serverFirstUndeclared', 'equal', 0);
  rule('timeouts', 'timeouts', 'equal', true);
  return engine;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(ns) {
  return Number(ns) / 1e6;
}

async function benchmark(count) {
  const entities = generate(count);
  const components = entities.filter(e => e.kind === 'Component');

  const ours = [];
  let report;
  let peakHeap = 0;
  for (let i = 0; i < runs; i++) {
    global.gc?.();
    const t = process.hrtime.bigint();
    report = evaluateCatalog(entities);
    ours.push(ms(process.hrtime.bigint() - t));
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }

  const flatten = [];
  let facts;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    facts = components.map(factsOf);
    flatten.push(ms(process.hrtime.bigint() - t));
  }

  const jsonfc = [];
  const engine = rulesEngine();
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    for (const f of facts) await engine.run(f);
    jsonfc.push(ms(process.hrtime.bigint() - t));
  }

  const checksPerWorkload =
    report.entities.find(e => e.inScope)?.checks.length ?? 0;
  const row = {
    entities: entities.length,
    components: components.length,
    checksPerWorkload,
    oursMs: median(ours),
    jsonfcMs: median(jsonfc),
    factsMs: median(flatten),
    peakHeapMiB: peakHeap / 1048576,
  };
  console.log(
    [
      `catalog: ${row.entities} entities, ${
        row.components
      } components (median of ${runs} runs, Node ${process.version}, ${
        os.cpus().length
      } cores)`,
      `  mesh-readiness evaluateCatalog: ${row.oursMs.toFixed(0)} ms for ${
        row.checksPerWorkload
      } checks per workload + org verdict, recommendation and cost (${(
        (row.oursMs * 1000) /
        row.components
      ).toFixed(1)} µs per component); heap ${row.peakHeapMiB.toFixed(0)} MiB`,
      `  json-rules-engine, 6 equivalent checks: ${row.jsonfcMs.toFixed(
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
      ).toFixed(2)} µs, json-rules-engine ${(
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
