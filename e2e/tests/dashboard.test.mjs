// The org dashboard, checked against the REST API.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  api,
  apiJson,
  gotoSignedIn,
  keepEvidence,
  openBrowser,
  outputDir,
  signInAsGuest,
} from '../browser.mjs';

const VERDICTS = {
  'not-needed': 'Not needed',
  'not-ready': 'Not ready',
  ready: 'Ready',
};
const MESHES = {
  none: 'No mesh',
  cilium: 'Cilium',
  linkerd: 'Linkerd',
  'istio-ambient': 'Istio (ambient)',
  'istio-sidecar': 'Istio (sidecar)',
};

let session;
before(async () => {
  session = await openBrowser();
  await signInAsGuest(session.page);
});
after(async () => session?.browser.close());
afterEach(async t => {
  if (!t.passed) await keepEvidence(t, session.page, session.consoleLines);
});

async function openDashboard() {
  const { page } = session;
  await gotoSignedIn(page, '/mesh-readiness');
  await page
    .getByRole('heading', { name: /^Verdict/ })
    .waitFor({ timeout: 60_000 });
  await page.locator('table tbody tr').first().waitFor();
}

function servicesTable() {
  const { page } = session;
  return page.getByRole('table').filter({
    has: page.getByRole('button', { name: 'Service', exact: true }),
  });
}

test('the verdict, its gates and the recommended mesh are those of /summary', async () => {
  const { page } = session;
  await openDashboard();
  const { org } = await apiJson(page, '/summary');
  const verdict = page.locator('section', {
    has: page.getByRole('heading', { name: /^Verdict/ }),
  });
  assert.match(await verdict.innerText(), new RegExp(VERDICTS[org.verdict]));
  for (const gate of org.gates) {
    await verdict.getByRole('heading', { name: gate.title }).waitFor();
  }
  const recommended = page.locator('section', {
    has: page.getByRole('heading', { name: 'Recommended mesh' }),
  });
  assert.match(
    await recommended.innerText(),
    new RegExp(MESHES[org.recommendation.mesh].replace(/[()]/g, '\\$&')),
  );
  await page.screenshot({
    path: path.join(outputDir, 'dashboard.png'),
    fullPage: true,
  });
});

test('searching and paging the services table shows what /services returns', async () => {
  const { page } = session;
  await openDashboard();
  const search = page.getByLabel('Search services');
  const filtered = page.waitForResponse(
    r =>
      r.url().includes('/api/mesh-readiness/services') &&
      r.url().includes('q=pay'),
  );
  await search.fill('pay');
  const body = await (await filtered).json();
  assert.ok(
    body.total > 0 && body.total < 46,
    `a narrower list, got ${body.total}`,
  );
  await page.waitForFunction(
    n => document.querySelectorAll('table tbody tr').length > 0,
    body.items.length,
  );
  const table = servicesTable();
  await assert.doesNotReject(async () => {
    for (const item of body.items) {
      await table
        .getByText(item.title ?? item.name, { exact: true })
        .first()
        .waitFor({ timeout: 10_000 });
    }
  });

  const cleared = page.waitForResponse(
    r =>
      r.url().includes('/api/mesh-readiness/services') &&
      !r.url().includes('q='),
  );
  await search.fill('');
  await cleared;
  await page.waitForTimeout(500);
  const page2 = page.waitForResponse(
    r =>
      r.url().includes('/api/mesh-readiness/services') &&
      /[?&]page=2\b/.test(r.url()),
  );
  await page.getByRole('button', { name: 'Next Page', exact: true }).click();
  const second = await (await page2).json();
  assert.equal(second.page, 2);
  assert.ok(second.items.length > 0);
  await table
    .getByText(second.items[0].title ?? second.items[0].name, { exact: true })
    .first()
    .waitFor();
});

test('the CSV export holds exactly the rows of the API for the same filter', async () => {
  const { page } = session;
  await openDashboard();
  const search = page.getByLabel('Search services');
  const filtered = page.waitForResponse(r => r.url().includes('q=service'));
  await search.fill('service');
  await filtered;
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'mesh-readiness-services.csv');
  const saved = path.join(outputDir, 'services.csv');
  await file.saveAs(saved);
  const csv = readFileSync(saved, 'utf8');

  const fromApi = await api(page, '/services?q=service&format=csv');
  assert.equal(fromApi.status, 200);
  assert.equal(csv.trim(), fromApi.text.trim());
  const { total } = await apiJson(page, '/services?q=service&pageSize=1');
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines.length - 1, total, 'one line per service plus the header');
});
