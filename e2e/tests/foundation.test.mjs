import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  appUrl,
  keepEvidence,
  openBrowser,
  outputDir,
  signInAsGuest,
} from '../browser.mjs';

let session;
before(async () => {
  session = await openBrowser();
  await signInAsGuest(session.page);
});
after(async () => session?.browser.close());
afterEach(async t => {
  if (!t.passed) await keepEvidence(t, session.page, session.consoleLines);
});

test('a demo service page has the Mesh readiness tab', async () => {
  const { page } = session;
  await page.goto(`${appUrl}/catalog/default/component/checkout-service`);
  const tab = page.locator('a[href$="/checkout-service/mesh-readiness"]', {
    hasText: 'Mesh readiness',
  });
  await tab.waitFor({ timeout: 60_000 });
  await tab.click();
  await page.waitForURL(/\/mesh-readiness$/);
  await page.screenshot({ path: path.join(outputDir, 'foundation-tab.png') });
});

test('the sidebar opens the Mesh readiness page', async () => {
  const { page } = session;
  await page.goto(`${appUrl}/`);
  const link = page.locator('nav a[href="/mesh-readiness"]');
  await link.first().waitFor({ timeout: 60_000 });
  await link.first().click();
  await page.waitForURL(/\/mesh-readiness$/);
  assert.ok(page.url().endsWith('/mesh-readiness'));
  await page.screenshot({ path: path.join(outputDir, 'foundation-page.png') });
});
