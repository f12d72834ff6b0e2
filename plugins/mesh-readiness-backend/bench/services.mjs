#!/usr/bin/env node
// Benchmarks GET /services on a generated catalog, on in-memory SQLite and
// on PostgreSQL. Usage (from the repository root):
//
//   yarn workspace @mesh-readiness/plugin-mesh-readiness-backend bench:services [--count 50000] [--requests 50] [--db sqlite,postgres] [--postgres <connection string>]
//
// --count      Components listed (100 … 75000; default 50000)
// --requests   timed requests per route and caller, one at a time (default 50)
// --db         the databases, in order (default sqlite,postgres)
// --postgres   a server to create a throwaway database on (default
//              $MESH_READINESS_TEST_POSTGRES, as .ci/run sets it)
//
// It generates a catalog with scripts/generate-catalog.mjs, keeps its
// context entities and its first --count Components, and runs
// bench/services.ts on them in a fresh Node process with Backstage's
// TypeScript transform.
import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const require = createRequire(import.meta.url);
// The YAML parser the catalog generator uses, a dependency of the root.
const { parseAllDocuments } = createRequire(join(repo, 'package.json'))('yaml');

const args = {
  count: 50000,
  requests: 50,
  db: 'sqlite,postgres',
  postgres: process.env.MESH_READINESS_TEST_POSTGRES,
};
function usage(message) {
  console.error(`bench:services: ${message}`);
  console.error(
    'usage: bench:services [--count <100..75000>] [--requests <n>] [--db sqlite,postgres] [--postgres <connection string>]',
  );
  process.exit(2);
}
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--count') args.count = Number(process.argv[++i]);
  else if (a === '--requests') args.requests = Number(process.argv[++i]);
  else if (a === '--db') args.db = String(process.argv[++i]);
  else if (a === '--postgres') args.postgres = process.argv[++i];
  else usage(`unknown argument ${a}`);
}
if (!Number.isInteger(args.count) || args.count < 100 || args.count > 75000) {
  usage('--count must be a whole number from 100 to 75000');
}
if (!Number.isInteger(args.requests) || args.requests < 1) {
  usage('--requests must be a whole number of at least 1');
}
const databases = args.db.split(',');
if (databases.some(d => d !== 'sqlite' && d !== 'postgres')) {
  usage('--db takes sqlite, postgres or both, comma-separated');
}
if (databases.includes('postgres') && !args.postgres) {
  usage(
    'PostgreSQL needs --postgres <connection string> or MESH_READINESS_TEST_POSTGRES',
  );
}

const work = mkdtempSync(join(tmpdir(), 'mesh-readiness-bench-services-'));
try {
  // About three in four generated entities are Components.
  const total = Math.min(100000, Math.ceil((args.count * 4) / 3) + 1000);
  const gen = spawnSync(
    process.execPath,
    [
      join(repo, 'scripts/generate-catalog.mjs'),
      '--count',
      String(total),
      '--out',
      work,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (gen.status !== 0) {
    process.exit(gen.status ?? 1);
  }
  const context = [];
  const components = [];
  for (const file of readdirSync(work).sort()) {
    if (!file.endsWith('.yaml') || file === 'all.yaml') {
      continue;
    }
    for (const doc of parseAllDocuments(
      readFileSync(join(work, file), 'utf8'),
    )) {
      const entity = doc.toJS();
      entity.metadata.namespace ??= 'default';
      if (entity.kind === 'Component') {
        components.push(entity);
      } else if (entity.kind !== 'Location') {
        context.push(entity);
      }
    }
  }
  if (components.length < args.count) {
    throw new Error(
      `the generated catalog has ${components.length} Components, fewer than ${args.count}`,
    );
  }
  const catalogFile = join(work, 'catalog.json');
  writeFileSync(
    catalogFile,
    JSON.stringify([...context, ...components.slice(0, args.count)]),
  );

  const bench = spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      join(here, 'services.ts'),
    ],
    {
      stdio: 'inherit',
      cwd: repo,
      env: {
        ...process.env,
        BENCH_CATALOG_FILE: catalogFile,
        BENCH_COUNT: String(args.count),
        BENCH_REQUESTS: String(args.requests),
        BENCH_DATABASES: databases.join(','),
        BENCH_POSTGRES: args.postgres ?? '',
      },
    },
  );
  process.exitCode = bench.status ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
