// Runs the end-to-end suite: starts the demo cluster (scripts/demo-cluster.mjs,
// the Kubernetes API the demo backend reads) and the app on the demo catalog
// (each unless one is already answering), runs every e2e/tests/*.test.mjs
// with Node's test runner against headless Chromium, then stops what it
// started. Then e2e/notifications.mjs, which starts an app of its own on a
// copy of the demo catalog that it changes; it needs the suite's app gone, so
// it runs only when this script started that app (run it by hand otherwise).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const appUrl = process.env.E2E_APP_URL ?? 'http://localhost:3000';
const backendUrl = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
// The demo cluster's address is the one app-config.yaml gives the backend.
const clusterUrl = 'http://127.0.0.1:7071';

async function answers(url) {
  try {
    const res = await fetch(url);
    return res.ok;
  } catch {
    return false;
  }
}

async function waitFor(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await answers(url)) return;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`${url} did not answer within ${seconds}s`);
}

/** Whether any process of the group is still running. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a process group, and waits until every process in it is gone
 * (SIGKILL after 30 s): the backend logs while it shuts down, and a pipe
 * closed under it by this script exiting first would leave it writing
 * EPIPE errors about itself, forever, at full CPU.
 */
async function stopGroup(pgid) {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + 30_000;
  while (groupAlive(pgid) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  if (groupAlive(pgid)) {
    console.log('The app did not stop within 30 s: killing it');
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

let cluster;
if (!(await answers(`${clusterUrl}/__demo/health`))) {
  console.log('Starting the demo cluster (yarn demo:cluster) ...');
  cluster = spawn(
    process.execPath,
    [path.join(root, 'scripts/demo-cluster.mjs')],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  await waitFor(`${clusterUrl}/__demo/health`, 30);
}

let server;
if (!(await answers(`${backendUrl}/api/mesh-readiness/health`))) {
  console.log('Starting the app (yarn start) ...');
  server = spawn(
    process.execPath,
    [path.join(root, '.yarn/releases/yarn-4.13.0.cjs'), 'start'],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.on('data', () => {});
  server.stderr.on('data', () => {});
}

let code = 1;
try {
  const started = Date.now();
  await waitFor(`${backendUrl}/api/mesh-readiness/health`, 300);
  await waitFor(appUrl, 300);
  console.log(
    `App and backend answer (${((Date.now() - started) / 1000).toFixed(1)}s)`,
  );
  const tests = readdirSync(path.join(root, 'e2e/tests'))
    .filter(f => f.endsWith('.test.mjs'))
    .map(f => path.join(root, 'e2e/tests', f));
  const runner = spawn(
    process.execPath,
    ['--test', '--test-concurrency=1', ...tests],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        E2E_APP_URL: appUrl,
        E2E_BACKEND_URL: backendUrl,
        E2E_CLUSTER_URL: clusterUrl,
      },
    },
  );
  code = await new Promise(resolve => runner.on('exit', c => resolve(c ?? 1)));
} finally {
  if (server) {
    await stopGroup(server.pid);
  }
}
try {
  if (!server) {
    console.log(
      'The app was already running: stop it and run `node e2e/notifications.mjs` for the notifications check.',
    );
  } else {
    console.log('Notifications to owners (e2e/notifications.mjs) ...');
    const notifications = spawn(
      process.execPath,
      [path.join(root, 'e2e/notifications.mjs'), '--no-shot'],
      { cwd: root, stdio: 'inherit' },
    );
    const notified = await new Promise(resolve =>
      notifications.on('exit', c => resolve(c ?? 1)),
    );
    code = code || notified;
  }
} finally {
  cluster?.kill('SIGTERM');
}
process.exit(code);
