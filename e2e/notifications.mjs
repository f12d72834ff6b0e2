// Notifications to owners, end to end, and docs/screenshots/notifications.png.
//
// Starts the app (yarn start) on a temporary copy of the demo catalog, signed
// in as the demo guest, a member of payments. It takes a snapshot, changes
// payment-gateway's tracing annotation in the copy, has the catalog read it
// again, takes a second snapshot and checks that exactly one notification
// arrived for payments' members, and that the tab's history names the check
// that changed and why (docs/screenshots/history.png); that a third snapshot
// adds no notification; then photographs the notifications page and follows
// the notification's link to the service's tab. The repository's files are left as they were (the
// screenshot aside). `yarn e2e` runs it (without the screenshot) after the
// suite, once the suite's app has stopped.
//
//   node e2e/notifications.mjs             # ports 3000 and 7007 must be free
//   node e2e/notifications.mjs --no-shot   # the checks only
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appUrl,
  backendUrl,
  gotoSignedIn,
  openBrowser,
  signInAsGuest,
} from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shotFile = path.join(root, 'docs/screenshots/notifications.png');
const historyShot = path.join(root, 'docs/screenshots/history.png');
const member = 'user:default/guest';
const service = 'component:default/payment-gateway';

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function waitFor(what, check, seconds) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`${what} within ${seconds}s${last ? `: ${last}` : ''}`);
}

/** Stops the app's process group, and waits until it is gone. */
async function stop(app) {
  try {
    process.kill(-app.pid, 'SIGTERM');
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(-app.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 30_000;
  while (alive() && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  if (alive()) process.kill(-app.pid, 'SIGKILL');
}

if (await answers(`${backendUrl}/api/mesh-readiness/health`)) {
  throw new Error(`A backend already answers on ${backendUrl}: stop it first`);
}
// An app still shutting down would hold the port the new one needs.
await waitFor(
  `${appUrl} to be free (stop the app that serves it)`,
  async () => !(await answers(appUrl)),
  30,
);

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-readiness-notify-'));
fs.cpSync(path.join(root, 'examples'), path.join(temp, 'examples'), {
  recursive: true,
});
const catalogFile = path.join(temp, 'examples/components/payments.yaml');
const configFile = path.join(temp, 'app-config.notifications.yaml');
fs.writeFileSync(
  configFile,
  `catalog:
  locations:
    - type: file
      target: ${path.join(temp, 'examples/all.yaml')}
`,
);

const app = spawn(
  process.execPath,
  [
    path.join(root, '.yarn/releases/yarn-4.13.0.cjs'),
    'start',
    '--config',
    path.join(root, 'app-config.yaml'),
    '--config',
    configFile,
  ],
  { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
);
app.stdout.on('data', () => {});
app.stderr.on('data', () => {});

let session;
try {
  await waitFor(
    'the backend answers',
    () => answers(`${backendUrl}/api/mesh-readiness/health`),
    300,
  );
  await waitFor('the app answers', () => answers(appUrl), 300);
  session = await openBrowser();
  const { page } = session;
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signInAsGuest(page);

  /** Calls the backend as the signed-in user. */
  const call = async (method, target, body) => {
    const { status, text } = await page.evaluate(
      async ({ backend, method, target, body }) => {
        const refresh = await fetch(`${backend}/api/auth/guest/refresh`, {
          credentials: 'include',
        });
        const { backstageIdentity } = await refresh.json();
        const res = await fetch(`${backend}${target}`, {
          method,
          headers: {
            Authorization: `Bearer ${backstageIdentity.token}`,
            'Content-Type': 'application/json',
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, text: await res.text() };
      },
      { backend: backendUrl, method, target, body },
    );
    assert.ok(status < 300, `${method} ${target} answered ${status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const notifications = async () =>
    (
      await call(
        'GET',
        '/api/notifications/notifications?topic=Mesh%20readiness',
      )
    ).notifications;

  // The whole catalog is in (the count holds still), then snapshot 1.
  let last = -1;
  let still = 0;
  await waitFor(
    'the catalog settles',
    async () => {
      const { totalItems } = await call(
        'GET',
        '/api/catalog/entities/by-query?limit=1',
      );
      still = totalItems > 0 && totalItems === last ? still + 1 : 0;
      last = totalItems;
      return still >= 3;
    },
    300,
  );
  await call('POST', '/api/mesh-readiness/refresh');
  assert.deepEqual(await notifications(), []);

  // payment-gateway stops propagating traces: production-ready → pilot-ready.
  const yaml = fs.readFileSync(catalogFile, 'utf8');
  const changed = yaml.replace(
    /(name: payment-gateway\n[\s\S]*?mesh-readiness\.io\/tracing: )"full"/,
    '$1"none"',
  );
  assert.notEqual(changed, yaml, "payment-gateway's tracing annotation");
  fs.writeFileSync(catalogFile, changed);
  await waitFor(
    'the catalog reads the change',
    async () => {
      await call('POST', '/api/catalog/refresh', { entityRef: service });
      const entity = await call(
        'GET',
        '/api/catalog/entities/by-name/component/default/payment-gateway',
      );
      return (
        entity.metadata.annotations['mesh-readiness.io/tracing'] === 'none'
      );
    },
    120,
  );

  await call('POST', '/api/mesh-readiness/refresh');
  const after = await notifications();
  assert.deepEqual(
    after.map(n => [n.payload.title, n.payload.link, n.user]),
    [
      [
        'Payment Gateway: mesh readiness dropped from production-ready to pilot-ready',
        '/catalog/default/component/payment-gateway/mesh-readiness',
        member,
      ],
    ],
  );

  // The tab's history: the second snapshot's drop, and why.
  await gotoSignedIn(
    page,
    '/catalog/default/component/payment-gateway/mesh-readiness',
  );
  const history = page.getByRole('region', { name: 'History' });
  const changes = history.getByRole('list', { name: 'Checks that changed' });
  await changes.waitFor({ timeout: 60_000 });
  const tracing = changes.locator('[data-change="tracing"]');
  assert.match(await tracing.textContent(), /^Trace context propagated/);
  assert.match(
    await tracing.locator('[data-reason="annotations"]').textContent(),
    /Annotations it reads changed: mesh-readiness\.io\/tracing: .*full.*none/,
  );
  console.log(
    `History: ${(await tracing.textContent()).replace(/\s+/g, ' ').trim()}`,
  );
  if (!process.argv.includes('--no-shot')) {
    await history.evaluate(el => el.scrollIntoView({ block: 'start' }));
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    await history.screenshot({ path: historyShot });
    console.log(`wrote ${path.relative(root, historyShot)}`);
  }

  await call('POST', '/api/mesh-readiness/refresh');
  const again = await notifications();
  assert.deepEqual(
    again.map(n => [n.id, n.updated ?? null]),
    [[after[0].id, null]],
    'a snapshot without a change sends nothing',
  );
  assert.match(
    after[0].payload.description,
    /What changed: Trace context propagated \(pass → fail\)\.$/,
  );
  console.log(`One notification for ${member}: ${after[0].payload.title}`);

  await gotoSignedIn(page, '/notifications');
  const title = page
    .getByRole('link', { name: /mesh readiness dropped from production-ready/ })
    .first();
  await title.waitFor({ timeout: 60_000 });
  if (!process.argv.includes('--no-shot')) {
    await page.getByText('Show more').first().click();
    await page.setViewportSize({ width: 1400, height: 640 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: shotFile });
    console.log(`wrote ${path.relative(root, shotFile)}`);
  }
  await title.click();
  await page.waitForURL(
    /\/catalog\/default\/component\/payment-gateway\/mesh-readiness$/,
    {
      timeout: 30_000,
    },
  );
  console.log('The notification links to the service tab');
} finally {
  await session?.browser.close();
  await stop(app);
  fs.rmSync(temp, { recursive: true, force: true });
}
