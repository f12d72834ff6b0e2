// Scale run in the browser: generates a catalog of N entities, starts the
// real app and backend on it (yarn start with an extra config), waits until
// the catalog has processed it and a snapshot exists, then opens the org
// dashboard in headless Chromium and measures how long it takes to become
// usable, and how long a filter takes to update the services table.
//
//   yarn bench:dashboard [--count 10000] [--runs 3] [--wait <seconds for catalog processing, 900>]
//
// Ports 3000 and 7007 must be free (stop `yarn start` first).
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser, signInAsGuest } from '../e2e/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = { count: 10000, runs: 3, wait: 900 };
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--count') args.count = Number(process.argv[++i]);
  else if (process.argv[i] === '--runs') args.runs = Number(process.argv[++i]);
  else if (process.argv[i] === '--wait') args.wait = Number(process.argv[++i]);
}

const appUrl = 'http://localhost:3000';
const backendUrl = 'http://localhost:7007';
const work = mkdtempSync(path.join(os.tmpdir(), 'mesh-dashboard-bench-'));

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function until(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`${what} did not happen within ${seconds}s`);
}

if (await answers(`${backendUrl}/api/mesh-readiness/health`)) {
  console.error(
    'bench:dashboard: something already answers on :7007; stop yarn start first',
  );
  process.exit(2);
}

const catalogDir = path.join(work, 'catalog');
execFileSync(process.execPath, [
  path.join(root, 'scripts/generate-catalog.mjs'),
  '--count',
  String(args.count),
  '--out',
  catalogDir,
]);
const override = path.join(work, 'scale.yaml');
writeFileSync(
  override,
  JSON.stringify({
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
      locations: [{ type: 'file', target: path.join(catalogDir, 'all.yaml') }],
    },
  }),
);

const started = Date.now();
const logFile = path.join(
  os.tmpdir(),
  `mesh-dashboard-bench-${args.count}.log`,
);
console.log(`app and backend log: ${logFile}`);
const log = openSync(logFile, 'w');
const server = spawn(
  process.execPath,
  [
    path.join(root, '.yarn/releases/yarn-4.13.0.cjs'),
    'start',
    '--config',
    path.join(root, 'app-config.yaml'),
    '--config',
    override,
  ],
  { cwd: root, detached: true, stdio: ['ignore', log, log] },
);

let code = 0;
try {
  await until('backend start', 300, () =>
    answers(`${backendUrl}/api/mesh-readiness/health`),
  );
  await until('app start', 300, () => answers(appUrl));
  const { browser, page } = await openBrowser();
  await signInAsGuest(page);
  const token = await page.evaluate(async url => {
    const res = await fetch(`${url}/api/auth/guest/refresh`, {
      credentials: 'include',
    });
    return (await res.json()).backstageIdentity.token;
  }, backendUrl);
  const auth = { Authorization: `Bearer ${token}` };
  const components = Math.round(args.count * 0.8);
  await until('catalog processing', args.wait, async () => {
    const res = await fetch(
      `${backendUrl}/api/catalog/entities/by-query?filter=kind=component&limit=1`,
      { headers: auth },
    );
    const body = await res.json();
    return body.totalItems >= components - 5;
  });
  console.log(
    `catalog of ${args.count} entities processed ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)}s after start`,
  );
  const refresh = Date.now();
  const res = await fetch(`${backendUrl}/api/mesh-readiness/refresh`, {
    method: 'POST',
    headers: auth,
  });
  if (!res.ok) throw new Error(`refresh answered ${res.status}`);
  console.log(`snapshot (POST /refresh): ${Date.now() - refresh} ms`);

  const loads = [];
  const filters = [];
  for (let i = 0; i < args.runs; i++) {
    const t0 = Date.now();
    await page.goto(`${appUrl}/mesh-readiness`);
    const enter = page.getByRole('button', { name: /enter/i });
    if (await enter.isVisible().catch(() => false)) await enter.click();
    await page
      .getByRole('heading', { name: /verdict/i })
      .first()
      .waitFor({ timeout: 120_000 });
    await page.locator('table tbody tr').nth(5).waitFor({ timeout: 120_000 });
    loads.push(Date.now() - t0);

    const search = page.getByLabel('Search services');
    const before = await page.locator('table tbody tr').first().innerText();
    const t1 = Date.now();
    await search.fill('sync');
    await page.waitForFunction(
      prev => {
        const row = document.querySelector('table tbody tr');
        return row && row.textContent !== prev;
      },
      before,
      { timeout: 60_000 },
    );
    filters.push(Date.now() - t1);
  }
  const med = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const p95 = a => [...a].sort((x, y) => x - y)[Math.floor(a.length * 0.95)];

  // API latencies on the same backend, one request at a time.
  const rows = await (
    await fetch(`${backendUrl}/api/mesh-readiness/services?pageSize=50`, {
      headers: auth,
    })
  ).json();
  const refs = rows.items.map(r => r.entityRef.replace(':', '/'));
  const routes = {
    '/summary': () => '/summary',
    '/services': () => '/services?page=3&pageSize=25&sort=-score',
    '/entities/…': i => `/entities/${refs[i % refs.length]}`,
  };
  for (const [name, route] of Object.entries(routes)) {
    const times = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      const r = await fetch(`${backendUrl}/api/mesh-readiness${route(i)}`, {
        headers: auth,
      });
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`${route(i)} answered ${r.status}`);
      times.push(performance.now() - t);
    }
    console.log(
      `${name}: p50 ${med(times).toFixed(1)} ms, p95 ${p95(times).toFixed(
        1,
      )} ms (100 requests)`,
    );
  }
  // Peak resident memory of the backend process (catalog and plugin together).
  for (const pid of readdirSync('/proc').filter(d => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('nodeTransform') && cmd.includes('src/index')) {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(
          readFileSync(`/proc/${pid}/status`, 'utf8'),
        );
        if (hwm)
          console.log(
            `backend peak RSS: ${(Number(hwm[1]) / 1024).toFixed(0)} MiB`,
          );
      }
    } catch {
      // process gone
    }
  }
  console.log(
    `dashboard usable (verdict + services table rendered): median ${med(
      loads,
    )} ms over ${args.runs} loads [${loads.join(', ')}]`,
  );
  console.log(
    `search filter to updated table: median ${med(filters)} ms [${filters.join(
      ', ',
    )}]`,
  );
  await browser.close();
} catch (error) {
  console.error(error);
  code = 1;
} finally {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // gone
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);
