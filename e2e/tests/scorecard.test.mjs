// The Mesh readiness tab on demo services, checked against the REST API.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  apiJson,
  gotoSignedIn,
  keepEvidence,
  openBrowser,
  outputDir,
  signInAsGuest,
} from '../browser.mjs';

const STATUS_LABELS = {
  fail: 'Fail',
  invalid: 'Invalid',
  warn: 'Warning',
  unknown: 'Unknown',
  waived: 'Waived',
  pass: 'Pass',
  'not-applicable': 'Not applicable',
};

let session;
let titles;
before(async () => {
  session = await openBrowser();
  await signInAsGuest(session.page);
  const checks = await apiJson(session.page, '/checks');
  titles = new Map(checks.items.map(c => [c.id, c.title]));
});
after(async () => session?.browser.close());
afterEach(async t => {
  if (!t.passed) await keepEvidence(t, session.page, session.consoleLines);
});

async function openTab(name) {
  const { page } = session;
  await gotoSignedIn(page, `/catalog/default/component/${name}/mesh-readiness`);
  await page
    .getByRole('heading', { name: 'Checks' })
    .waitFor({ timeout: 60_000 });
  return apiJson(page, `/entities/component/default/${name}`);
}

async function unsafeRows() {
  const table = session.page.getByRole('table', {
    name: 'Operations and retry safety',
  });
  await table.waitFor();
  const rows = await table.locator('tbody tr').allInnerTexts();
  return rows
    .filter(r => /\bUnsafe\b/.test(r))
    .map(r =>
      r
        .split('\t')[1]
        .replace(/\s*\(streaming\)\s*$/, '')
        .trim(),
    )
    .sort();
}

test('order-service: score, every check status and the operations a mesh would retry unsafely match the API', async () => {
  const { page } = session;
  const result = await openTab('order-service');
  await page.getByLabel(`Score ${result.score} out of 100`).first().waitFor();

  for (const check of result.checks) {
    const title = titles.get(check.id) ?? check.id;
    const item = page.locator(`section[data-check="${check.id}"]`);
    await item.waitFor();
    assert.equal(
      (await item.locator('h4').innerText()).trim(),
      title,
      `check ${check.id} heading`,
    );
    const text = await item.innerText();
    assert.ok(
      text.includes(STATUS_LABELS[check.status]),
      `check ${check.id} should show ${STATUS_LABELS[check.status]}`,
    );
  }

  const retry = result.checks.find(c => c.id === 'retry-safety');
  const expected = retry.operations
    .filter(o => o.retrySafe === false)
    .map(o => o.operation)
    .sort();
  // Under the recommended mesh (Linkerd for the demo, which retries
  // nothing by default) the list may be empty; it must be the API's.
  assert.deepEqual(await unsafeRows(), expected);
  await page.screenshot({
    path: path.join(outputDir, 'scorecard-order-service.png'),
    fullPage: true,
  });
});

test('fraud-scoring: the gRPC operations are listed as the API classifies them', async () => {
  const result = await openTab('fraud-scoring');
  const retry = result.checks.find(c => c.id === 'retry-safety');
  assert.ok(retry.operations.length > 0, 'fraud-scoring provides a gRPC API');
  const expected = retry.operations
    .filter(o => o.retrySafe === false)
    .map(o => o.operation)
    .sort();
  assert.ok(
    retry.operations.every(o => /^[\w.]+\.\w+\/\w+$/.test(o.operation)),
    'package.Service/Method form',
  );
  assert.deepEqual(await unsafeRows(), expected);
});

for (const [name, heading] of [
  ['search-indexer', 'Add these to catalog-info.yaml'],
  // Too little declared to be assessed: the tab leads with what to declare.
  ['promotions-service', /^Declare these \d+ annotations$/],
]) {
  test(`${name}: the "${heading}" fix is copied to the clipboard as YAML for catalog-info.yaml`, async () => {
    const { page } = session;
    await openTab(name);
    const region = page.locator('section', {
      has: page.getByRole('heading', { name: heading, exact: true }),
    });
    const shown = await region.locator('pre').first().innerText();
    await region.getByRole('button', { name: 'Copy text' }).first().click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied.trim(), shown.trim());
    assert.match(copied, /metadata:\s+annotations:/);
    assert.match(copied, /mesh-readiness\.io\/tracing:/);
  });
}

test('annotations holding HTML or a script are shown as text, never run', async () => {
  const { page } = session;
  let dialogs = 0;
  page.on('dialog', dialog => {
    dialogs += 1;
    dialog.dismiss();
  });
  await gotoSignedIn(
    page,
    '/catalog/default/component/legacy-sftp-gateway/mesh-readiness',
  );
  await page
    .getByText("<script>alert('xss')</script>", { exact: false })
    .first()
    .waitFor({ timeout: 60_000 });

  await openTab('syslog-forwarder');
  await page
    .getByText('<img src=x onerror=alert(1)>', { exact: false })
    .first()
    .waitFor();
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(dialogs, 0);
});
