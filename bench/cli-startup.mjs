#!/usr/bin/env node
// How long `mesh-readiness score` takes on one service's catalog-info.yaml,
// against `node -e 0` in the same run: the CLI is built first, then each
// command runs --runs times, alternately, and the medians are compared.
//
//   yarn bench:cli [--runs 30]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/bin/mesh-readiness');

let runs = 30;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else {
    console.error(
      `unknown argument ${args[i]}; usage: yarn bench:cli [--runs N]`,
    );
    process.exit(2);
  }
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs takes a positive whole number');
  process.exit(2);
}

const serviceFile = path.join(
  root,
  'packages/cli/scripts/catalog-info.sample.yaml',
);
const api = `---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: checkout-v1
spec:
  type: openapi
  lifecycle: production
  owner: group:default/checkout
  definition: |
    openapi: 3.0.3
    info: { title: Checkout, version: "1" }
    paths:
      /carts/{cartId}:
        get: { responses: { "200": { description: the cart } } }
        put: { responses: { "200": { description: replaced } } }
      /orders:
        post: { responses: { "201": { description: placed } } }
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-readiness-bench-'));
const withApiFile = path.join(dir, 'catalog-info-with-api.yaml');
fs.writeFileSync(withApiFile, fs.readFileSync(serviceFile, 'utf8') + api);

console.log('Building the CLI (yarn workspace @mesh-readiness/cli build)…');
const build = spawnSync(
  process.execPath,
  [path.join(root, 'packages/cli/scripts/build.mjs')],
  { stdio: 'inherit' },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const commands = [
  { label: 'node -e 0', argv: ['-e', '0'] },
  {
    label: 'mesh-readiness score catalog-info.yaml (one Component)',
    argv: [bin, 'score', serviceFile],
  },
  {
    label: '… with its API and OpenAPI definition (parser loaded)',
    argv: [bin, 'score', withApiFile],
  },
];

function timeOnce(argv) {
  const start = performance.now();
  const result = spawnSync(process.execPath, argv, { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(
      `node ${argv.join(' ')} exited ${result.status}: ${result.stderr}`,
    );
  }
  return ms;
}

// One unmeasured round: fills the OS file cache and Node's compile cache.
for (const { argv } of commands) timeOnce(argv);

const times = commands.map(() => []);
for (let run = 0; run < runs; run++) {
  commands.forEach(({ argv }, i) => times[i].push(timeOnce(argv)));
}
fs.rmSync(dir, { recursive: true, force: true });

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const baseline = median(times[0]);
console.log(
  `\nyarn bench:cli --runs ${runs}   (Node ${process.version}, ${
    os.cpus().length
  } cores, load ${os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ')})`,
);
console.log(`${runs} runs each, alternating; wall time per process\n`);
commands.forEach(({ label }, i) => {
  const m = median(times[i]);
  const range = `${Math.min(...times[i]).toFixed(0)}–${Math.max(
    ...times[i],
  ).toFixed(0)} ms`;
  const ratio = i === 0 ? '' : `  ${(m / baseline).toFixed(2)}× node -e 0`;
  console.log(`  ${label}\n    median ${m.toFixed(0)} ms (${range})${ratio}`);
});
