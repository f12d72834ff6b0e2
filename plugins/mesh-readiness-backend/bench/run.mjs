#!/usr/bin/env node
// Benchmarks the Mesh Readiness backend on a generated catalog in the real
// catalog backend. Usage (from the repository root):
//
//   yarn workspace @mesh-readiness/plugin-mesh-readiness-backend bench [--count 10000] [--requests 200] [--rounds 5]
//
// It generates the catalog with scripts/generate-catalog.mjs, writes an
// app-config for a throwaway backend (in-memory SQLite, a static service
// token, snapshots on manual trigger), and runs bench/bench.ts in a fresh
// Node process with Backstage's TypeScript transform.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const require = createRequire(import.meta.url);

const args = { count: 10000, requests: 200, rounds: 5, keep: false };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--count') args.count = Number(process.argv[++i]);
  else if (a === '--requests') args.requests = Number(process.argv[++i]);
  else if (a === '--rounds') args.rounds = Number(process.argv[++i]);
  else if (a === '--keep') args.keep = true;
  else {
    console.error(`bench: unknown argument ${a}`);
    console.error(
      'usage: bench [--count <100..100000>] [--requests <n>] [--rounds <n>] [--keep]',
    );
    process.exit(2);
  }
}
if (
  !Number.isInteger(args.count) ||
  !Number.isInteger(args.requests) ||
  args.requests < 1 ||
  !Number.isInteger(args.rounds) ||
  args.rounds < 2
) {
  console.error(
    'bench: --count, --requests and --rounds must be whole numbers (--rounds at least 2)',
  );
  process.exit(2);
}

async function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'mesh-readiness-bench-'));
const catalogDir = join(work, 'catalog');
try {
  const gen = spawnSync(
    process.execPath,
    [
      join(repo, 'scripts/generate-catalog.mjs'),
      '--count',
      String(args.count),
      '--out',
      catalogDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (gen.status !== 0) {
    process.exit(gen.status ?? 1);
  }
  process.stdout.write(`${gen.stdout.split('\n').slice(0, 9).join('\n')}\n`);

  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const config = {
    app: { baseUrl: `http://localhost:${port}` },
    backend: {
      baseUrl: `http://localhost:${port}`,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token, subject: 'mesh-readiness-bench' },
          },
        ],
      },
    },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
          ],
        },
      ],
      locations: [{ type: 'file', target: join(catalogDir, 'all.yaml') }],
      processingInterval: { minutes: 60 },
    },
    meshReadiness: {
      schedule: { frequency: { trigger: 'manual' }, timeout: { minutes: 30 } },
      // One snapshot per round, all from the bench's token.
      refresh: { maxPerCaller: 10_000 },
    },
  };
  const configFile = join(work, 'app-config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const bench = spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      join(here, 'bench.ts'),
      '--config',
      configFile,
    ],
    {
      stdio: 'inherit',
      cwd: repo,
      env: {
        ...process.env,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        BENCH_TOKEN: token,
        BENCH_BASE_URL: `http://localhost:${port}`,
        BENCH_EXPECTED: String(args.count),
        BENCH_REQUESTS: String(args.requests),
        BENCH_ROUNDS: String(args.rounds),
      },
    },
  );
  process.exitCode = bench.status ?? 1;
} finally {
  if (!args.keep) {
    rmSync(work, { recursive: true, force: true });
  } else {
    console.log(`kept ${work}`);
  }
}
