// Scale run in the browser: generates a catalog of N entities, starts the
// real app and backend on it, waits until the catalog has processed it and a
// snapshot exists, then opens the org dashboard in headless Chromium and
// measures how long it takes to become usable, and how long a filter takes to
// update the services table.
//
//   yarn bench:dashboard [--count 10000] [--runs 3] [--wait <seconds for catalog processing, 900>]
//   yarn build:all && yarn bench:dashboard --production [--port 7017] [--count 50000]
//
// Without --production it runs `yarn start` (development build; ports 3000
// and 7007 must be free). With --production it runs what a deployment runs:
// the backend bundle of `yarn build:all` (packages/backend/dist/bundle.tar.gz,
// which holds the app's production build) unpacked into a scratch folder and
// started with `node packages/backend`, the backend's app-backend serving the
// app on the same port, and it prints where the dashboard's load time goes
// (requests, bytes, API calls).
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = { count: 10000, runs: 3, wait: 900, production: false, port: 0 };
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--count') args.count = Number(process.argv[++i]);
  else if (process.argv[i] === '--runs') args.runs = Number(process.argv[++i]);
  else if (process.argv[i] === '--wait') args.wait = Number(process.argv[++i]);
  else if (process.argv[i] === '--production') args.production = true;
  else if (process.argv[i] === '--port') args.port = Number(process.argv[++i]);
}
const port = args.port || 7007;

const backendUrl = `http://localhost:${port}`;
// In production the backend serves the app on its own port.
const appUrl = args.production ? backendUrl : 'http://localhost:3000';
process.env.E2E_APP_URL = appUrl;
process.env.E2E_BACKEND_URL = backendUrl;
const { openBrowser, signInAsGuest } = await import('../e2e/browser.mjs');
const bundle = path.join(root, 'packages/backend/dist/bundle.tar.gz');
if (args.production && !existsSync(bundle)) {
  console.error(
    `bench:dashboard: ${path.relative(
      root,
      bundle,
    )} is missing; run yarn build:all first`,
  );
  process.exit(2);
}
const work = mkdtempSync(path.join(os.tmpdir(), 'mesh-dashboard-bench-'));

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** Whether a process used under 10% of a core over the next 3 seconds. */
async function idle(pid) {
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .split(') ')[1]
      .split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const before = ticks();
  await new Promise(r => setTimeout(r, 3000));
  return ticks() - before < 30; // clock ticks are 1/100 s
}

async function until(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    // A backend busy with a large catalog may drop a request: ask again.
    if (await probe().catch(() => false)) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`${what} did not happen within ${seconds}s`);
}

if (await answers(`${backendUrl}/api/mesh-readiness/health`)) {
  console.error(
    `bench:dashboard: something already answers on :${port}; stop it first or pass --port`,
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
    ...(args.production
      ? {
          app: { baseUrl: backendUrl },
          backend: {
            baseUrl: backendUrl,
            listen: { port },
            cors: { origin: backendUrl },
          },
          // The guest provider refuses sign-in under NODE_ENV=production
          // unless told otherwise; the benchmark signs in as a guest.
          auth: {
            providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
          },
        }
      : {}),
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
const server = args.production ? startProduction() : startDevelopment();

function startDevelopment() {
  return spawn(
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
}

// As the Dockerfile of a Backstage app does: unpack the backend bundle (the
// backend, its plugins' built dist/ and the app's production build), give
// it the installed dependencies, and run `node packages/backend`. The
// dependencies are the repository's node_modules, hard-linked (its links to
// workspace packages are relative, so they resolve to the bundle's built
// packages, not to their sources).
function startProduction() {
  const dist = path.join(work, 'dist');
  mkdirSync(dist);
  execFileSync('tar', ['-xzf', bundle, '-C', dist]);
  try {
    execFileSync('cp', [
      '-al',
      path.join(root, 'node_modules'),
      path.join(dist, 'node_modules'),
    ]);
  } catch {
    execFileSync('cp', [
      '-a',
      path.join(root, 'node_modules'),
      path.join(dist, 'node_modules'),
    ]);
  }
  return spawn(
    process.execPath,
    [
      'packages/backend',
      '--config',
      path.join(root, 'app-config.yaml'),
      '--config',
      override,
    ],
    {
      cwd: dist,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}

let code = 0;
try {
  await until('backend start', 300, () =>
    answers(`${backendUrl}/api/mesh-readiness/health`),
  );
  await until('app start', 300, () => answers(appUrl));
  const { browser, page } = await openBrowser();
  // A backend busy reading a large catalog can miss the page's timeouts.
  await until('guest sign-in', args.wait, () =>
    signInAsGuest(page).then(
      () => true,
      () => false,
    ),
  );
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
  // The catalog goes on stitching after the Components are in; measure on
  // a quiet backend, as users would meet it.
  if (args.production) {
    const quiet = Date.now();
    await until('a quiet backend', args.wait, () => idle(server.pid));
    console.log(
      `backend quiet ${((Date.now() - quiet) / 1000).toFixed(0)}s later`,
    );
  }

  // Cold loads: each in a new browser context holding only the signed-in
  // session, so nothing is cached (a first visit after a deploy). Warm
  // loads: in the signed-in page, everything cached (every later visit).
  const session = await page.context().storageState();
  const loads = { cold: [], warm: [] };
  const verdicts = { cold: [], warm: [] };
  const filters = [];
  let waterfall;
  for (const mode of ['cold', 'warm']) {
    for (let i = 0; i < args.runs; i++) {
      const context =
        mode === 'cold'
          ? await browser.newContext({
              storageState: session,
              viewport: { width: 1440, height: 1000 },
            })
          : undefined;
      const tab = context ? await context.newPage() : page;
      const t0 = Date.now();
      await tab.goto(`${appUrl}/mesh-readiness`);
      const enter = tab.getByRole('button', { name: /enter/i });
      if (await enter.isVisible().catch(() => false)) await enter.click();
      await tab
        .getByRole('heading', { name: /verdict/i })
        .first()
        .waitFor({ timeout: 120_000 });
      verdicts[mode].push(Date.now() - t0);
      await tab.locator('table tbody tr').nth(5).waitFor({ timeout: 120_000 });
      loads[mode].push(Date.now() - t0);
      if (context) {
        if (i === args.runs - 1) {
          waterfall = await tab.evaluate(() => ({
            nav: performance.getEntriesByType('navigation')[0]?.toJSON(),
            resources: performance.getEntriesByType('resource').map(r => ({
              name: r.name,
              start: r.startTime,
              end: r.responseEnd,
              bytes: r.transferSize,
              body: r.decodedBodySize,
            })),
          }));
        }
        await context.close();
        continue;
      }

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
  }
  if (args.production) printWaterfall(waterfall);
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
      if (
        args.production
          ? Number(pid) === server.pid
          : cmd.includes('nodeTransform') && cmd.includes('src/index')
      ) {
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
  for (const mode of ['cold', 'warm']) {
    console.log(
      `dashboard usable, ${mode} (verdict + services table rendered): median ${med(
        loads[mode],
      )} ms over ${args.runs} loads [${loads[mode].join(
        ', ',
      )}]; verdict shown at median ${med(verdicts[mode])} ms`,
    );
  }
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

/** Where the last cold load's time went: document, static files, API calls. */
function printWaterfall({ nav, resources }) {
  const ms = v => `${Math.round(v)} ms`;
  const kib = v => `${(v / 1024).toFixed(0)} KiB`;
  console.log(
    `last cold load: document ${ms(nav.responseEnd)}, DOMContentLoaded ${ms(
      nav.domContentLoadedEventEnd,
    )}, load ${ms(nav.loadEventEnd)}`,
  );
  const statics = resources.filter(r => /\/static\//.test(r.name));
  const api = resources.filter(r => r.name.includes('/api/'));
  const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
  const lastStatic = Math.max(0, ...statics.map(r => r.end));
  console.log(
    `static files: ${statics.length} requests, ${kib(
      sum(statics, 'bytes'),
    )} transferred (${kib(
      sum(statics, 'body'),
    )} decoded), last one done at ${ms(lastStatic)}`,
  );
  for (const r of [...statics].sort((a, b) => b.body - a.body).slice(0, 5)) {
    console.log(
      `  ${path.basename(new URL(r.name).pathname)}: ${kib(r.body)}, ${ms(
        r.start,
      )} to ${ms(r.end)}`,
    );
  }
  console.log(`API calls: ${api.length}`);
  for (const r of api) {
    const u = new URL(r.name);
    console.log(
      `  ${u.pathname}${u.search.slice(0, 40)}: ${ms(r.start)} to ${ms(
        r.end,
      )}, ${kib(r.bytes)}`,
    );
  }
}
