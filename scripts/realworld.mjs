#!/usr/bin/env node
// yarn realworld <folder>: runs the CLI's `score --json` and `lint` over each
// catalog in a folder of catalogs (each sub-folder, and each YAML file at its
// top level) and prints one line per input: the org verdict, the coverage
// when the JSON has it, the check results by status over the in-scope
// services, and lint's exit code. Exits 0 whenever the CLI ran, whatever the
// verdicts and lint findings; 1 when it crashed (a signal, an exit code other
// than lint's 0 and 1, or JSON that does not parse).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/bin/mesh-readiness');

const folder = process.argv[2];
if (!folder || !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
  process.stderr.write('usage: yarn realworld <folder of catalogs>\n');
  process.exit(2);
}

const inputs = fs
  .readdirSync(folder, { withFileTypes: true })
  .filter(e => e.isDirectory() || /\.ya?ml$/i.test(e.name))
  .map(e => e.name)
  .sort();

function cli(...args) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
}

function firstLine(text) {
  return (text ?? '').trim().split('\n')[0] ?? '';
}

let crashed = 0;
const width = Math.max(...inputs.map(i => i.length), 8);
for (const input of inputs) {
  const target = path.join(folder, input);
  const parts = [];
  const score = cli('score', '--json', target);
  if (score.status !== 0) {
    crashed += 1;
    parts.push(
      `score CRASHED (${score.signal ?? `exit ${score.status}`}): ${firstLine(
        score.stderr,
      )}`,
    );
  } else {
    try {
      const report = JSON.parse(score.stdout);
      const inScope = report.entities.filter(e => e.inScope);
      const byStatus = {};
      for (const entity of inScope) {
        for (const check of entity.checks) {
          byStatus[check.status] = (byStatus[check.status] ?? 0) + 1;
        }
      }
      const levels = {};
      for (const entity of inScope) {
        const level = entity.level ?? 'none';
        levels[level] = (levels[level] ?? 0) + 1;
      }
      const coverage =
        typeof report.org.coverage === 'number'
          ? `coverage ${Math.round(report.org.coverage * 100)}%`
          : '';
      parts.push(
        `verdict ${report.org.verdict}`,
        ...(coverage ? [coverage] : []),
        `${inScope.length} service${
          inScope.length === 1 ? '' : 's'
        } (${Object.entries(levels)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')})`,
        `checks ${Object.entries(byStatus)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}`,
      );
    } catch (error) {
      crashed += 1;
      parts.push(`score printed JSON that does not parse: ${error.message}`);
    }
  }
  const lint = cli('lint', target);
  if (lint.status === 0 || lint.status === 1) {
    parts.push(`lint exit ${lint.status}`);
  } else {
    crashed += 1;
    parts.push(
      `lint CRASHED (${lint.signal ?? `exit ${lint.status}`}): ${firstLine(
        lint.stderr,
      )}`,
    );
  }
  process.stdout.write(`${input.padEnd(width)}  ${parts.join('; ')}\n`);
}
if (crashed > 0) {
  process.stderr.write(`realworld: the CLI crashed ${crashed} time(s)\n`);
  process.exit(1);
}
