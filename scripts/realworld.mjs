#!/usr/bin/env node
// yarn realworld <folder>: runs the CLI's `score --json` and `lint` over each
// catalog in a folder of catalogs (each sub-folder, and each YAML file at its
// top level) and prints one line per input: the org verdict, the coverage
// when the JSON has it, the check results by status over the in-scope
// services, and lint's exit code. Exits 0 whenever the CLI ran, whatever the
// verdicts and lint findings; 1 when it crashed (a signal, an exit code other
// than lint's 0 and 1, or JSON that does not parse).
//
// yarn realworld <catalog.yaml> --manifests <path> [--manifests <path>…]
//   [--require-inspected]: scores one catalog against Kubernetes manifests
// (files or folders, read in place) and prints, per workload entity, the
// facts derived from its manifests (ports with their protocol and how it was
// determined, probes, UIDs, replicas, headless Services, batch, host
// network, init containers), each with its file and line, then every
// check's status with the source it rests on, then lint's findings. Exits 1
// when the CLI crashed, and with --require-inspected also when a workload
// entity matched no workload in the manifests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/bin/mesh-readiness');

const USAGE =
  'usage: yarn realworld <folder of catalogs>\n' +
  '       yarn realworld <catalog.yaml> --manifests <file or folder> [--manifests …] [--require-inspected]\n';

const args = process.argv.slice(2);
if (args.includes('--manifests')) {
  process.exit(manifestsMode(args));
}
const folder = args[0];
if (!folder || !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const inputs = fs
  .readdirSync(folder, { withFileTypes: true })
  .filter(e => e.isDirectory() || /\.ya?ml$/i.test(e.name))
  .map(e => e.name)
  .sort();

function cli(...cliArgs) {
  return spawnSync(process.execPath, [bin, ...cliArgs], {
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

// ---- --manifests: one catalog against Kubernetes manifests ------------------

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `Deployment ns/name`. */
function describe(kind, name, namespace) {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The lines that describe one matched workload. */
function workloadLines(w) {
  const out = [];
  const line = (label, value, source) =>
    out.push(`    ${label}: ${value}${source ? ` — ${source.label}` : ''}`);
  out.push(
    `  ${describe(w.kind, w.name, w.namespace)} (matched by ${w.matchedBy}) — ${
      w.source.label
    }`,
  );
  if (w.replicas) {
    const how =
      w.replicas.from === 'default'
        ? 'not set, the default'
        : w.replicas.from === 'HorizontalPodAutoscaler'
        ? `HorizontalPodAutoscaler minReplicas${
            w.replicas.max !== undefined ? `, up to ${w.replicas.max}` : ''
          }`
        : w.replicas.from;
    line('replicas', `${w.replicas.value} (${how})`, w.replicas.source);
  } else {
    line('replicas', 'none (one pod per node or per run)');
  }
  line('batch', ['Job', 'CronJob'].includes(w.kind) ? `yes (${w.kind})` : 'no');
  line('host network', w.hostNetwork ? 'yes' : 'no', w.hostNetwork);
  if (w.servicePorts.length === 0) {
    line('Service ports', 'none (no Service selects the pods)');
  }
  for (const p of w.servicePorts) {
    const target =
      p.containerPort !== undefined
        ? `container port ${p.containerPort}`
        : `targetPort ${p.targetPort} (matches no container port)`;
    const protocol = p.protocol
      ? `${p.protocol} (from ${p.protocolFrom}${
          p.protocolFrom === 'port name' && p.name ? ` '${p.name}'` : ''
        }${p.protocolFrom === 'appProtocol' ? ` '${p.appProtocol}'` : ''})`
      : 'unknown (no appProtocol, name or well-known port: Istio would sniff it)';
    line(
      `Service ${p.service} port ${p.port}/${p.transport} → ${target}`,
      protocol,
      p.source,
    );
  }
  for (const p of w.containerPorts) {
    line(
      `container ${p.container} port ${p.port}/${p.transport}`,
      p.name ? `named '${p.name}'` : 'unnamed',
      p.source,
    );
  }
  for (const s of w.services) {
    line(
      `Service ${s.name}`,
      `${s.headless ? 'headless (clusterIP: None)' : 'not headless'}${
        s.type ? `, type ${s.type}` : ''
      }`,
      s.source,
    );
  }
  const running = w.containers.filter(c => !c.init || c.nativeSidecar);
  for (const c of running) {
    const probes = w.probes.filter(p => p.container === c.name);
    if (probes.length === 0) line(`probes of ${c.name}`, 'none', c.source);
    for (const p of probes)
      line(`${p.slot} probe of ${c.name}`, p.kind, p.source);
  }
  for (const c of w.containers) {
    const uid =
      c.runAsUser !== undefined
        ? `UID ${c.runAsUser}`
        : 'UID not set (the image decides)';
    const nonRoot = c.runAsNonRoot ? ', runAsNonRoot' : '';
    const what = c.init
      ? c.nativeSidecar
        ? 'native sidecar (init, restartPolicy Always)'
        : 'init container'
      : 'container';
    line(`${what} ${c.name}`, `${uid}${nonRoot}`, c.source);
  }
  if (!w.containers.some(c => c.init)) line('init containers', 'none');
  return out;
}

/** Where a check's result comes from: its evidence's sources. */
function checkSource(check) {
  const evidence = check.evidence ?? [];
  if (evidence.length === 0) {
    return check.status === 'unknown'
      ? 'nothing declared or observed'
      : 'declared (annotations and catalog fields)';
  }
  const labels = [...new Set(evidence.map(e => e.source.label))];
  const kinds = [...new Set(evidence.map(e => e.source.kind))].join('+');
  return `${kinds}: ${labels[0]}${
    labels.length > 1 ? ` (+${labels.length - 1} more)` : ''
  }`;
}

function manifestsMode(argv) {
  const manifests = [];
  const positional = [];
  let requireInspected = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--manifests' && argv[i + 1] !== undefined) {
      manifests.push(argv[++i]);
    } else if (argv[i] === '--require-inspected') {
      requireInspected = true;
    } else {
      positional.push(argv[i]);
    }
  }
  const catalog = positional[0];
  if (
    positional.length !== 1 ||
    manifests.length === 0 ||
    !fs.statSync(catalog, { throwIfNoEntry: false })
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  const given = manifests.flatMap(m => ['--manifests', m]);
  const score = cli('score', '--json', catalog, ...given);
  if (score.status !== 0) {
    process.stderr.write(
      `score CRASHED (${score.signal ?? `exit ${score.status}`}): ${firstLine(
        score.stderr,
      )}\n`,
    );
    return 1;
  }
  let report;
  try {
    report = JSON.parse(score.stdout);
  } catch (error) {
    process.stderr.write(
      `score printed JSON that does not parse: ${error.message}\n`,
    );
    return 1;
  }
  const out = [];
  const workloads = report.entities.filter(e => e.inScope);
  const inspected = workloads.filter(e => e.manifests?.workloads.length > 0);
  out.push(
    `${catalog}: ${workloads.length} workload ${
      workloads.length === 1 ? 'entity' : 'entities'
    }, ${inspected.length} inspected, against ${manifests.join(', ')}`,
  );
  for (const entity of workloads) {
    const observation = report.observations?.[entity.entityRef.toLowerCase()];
    out.push('');
    out.push(
      `${entity.entityRef}: score ${entity.score ?? '-'}, ${
        entity.level ?? 'no level'
      }`,
    );
    if (!observation || observation.workloads.length === 0) {
      out.push(
        `  declared only: no workload in ${plural(
          observation?.files ?? 0,
          'manifest file',
        )} matches it`,
      );
    }
    for (const w of observation?.workloads ?? []) out.push(...workloadLines(w));
    out.push('  checks:');
    for (const check of entity.checks) {
      out.push(
        `    ${check.status.toUpperCase().padEnd(14)} ${check.id.padEnd(
          24,
        )} ${checkSource(check)}`,
      );
    }
  }
  const lint = cli('lint', catalog, ...given);
  if (lint.status !== 0 && lint.status !== 1) {
    process.stderr.write(
      `lint CRASHED (${lint.signal ?? `exit ${lint.status}`}): ${firstLine(
        lint.stderr,
      )}\n`,
    );
    return 1;
  }
  out.push('', `lint exit ${lint.status}:`);
  out.push(
    ...lint.stdout
      .trim()
      .split('\n')
      .map(l => `  ${l}`),
  );
  process.stdout.write(`${out.join('\n')}\n`);
  const missing = workloads.filter(e => !(e.manifests?.workloads.length > 0));
  if (requireInspected && missing.length > 0) {
    process.stderr.write(
      `realworld: ${plural(
        missing.length,
        'workload entity',
      )} matched no workload: ${missing.map(e => e.entityRef).join(', ')}\n`,
    );
    return 1;
  }
  return 0;
}
