// Shared helpers for the e2e tests: Debian's Chromium driven by
// playwright-core, guest sign-in, and evidence kept when a test fails.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const appUrl = process.env.E2E_APP_URL ?? 'http://localhost:3000';
export const backendUrl =
  process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
export const outputDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  'output',
);

export async function openBrowser() {
  mkdirSync(outputDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: appUrl,
  });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', msg => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', err => consoleLines.push(`[pageerror] ${err.message}`));
  return { browser, context, page, consoleLines };
}

/** Signs in with the guest provider. */
export async function signInAsGuest(page) {
  await page.goto(appUrl);
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.waitFor({ timeout: 60_000 });
  await enter.click();
  // Signed in once the sign-in page is gone.
  await enter.waitFor({ state: 'detached', timeout: 60_000 });
}

/** Keeps a screenshot and the browser console of a failed test. */
export async function keepEvidence(t, page, consoleLines) {
  const name = t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  await page
    .screenshot({ path: path.join(outputDir, `${name}.png`), fullPage: true })
    .catch(() => {});
  writeFileSync(
    path.join(outputDir, `${name}.console.log`),
    consoleLines.join('\n'),
  );
}

/** Navigates, signing in again if the app asks (a restarted backend forgets sessions). */
export async function gotoSignedIn(page, pathname) {
  await page.goto(`${appUrl}${pathname}`);
  const enter = page.getByRole('button', { name: /^enter$/i });
  if (await enter.isVisible({ timeout: 3000 }).catch(() => false)) {
    await enter.click();
    await enter.waitFor({ state: 'detached', timeout: 60_000 });
  }
}

/**
 * Calls the Mesh Readiness REST API as the signed-in guest: the ground truth
 * the page is checked against.
 */
export async function api(page, pathAndQuery) {
  return page.evaluate(
    async ({ backend, target }) => {
      const refresh = await fetch(`${backend}/api/auth/guest/refresh`, {
        credentials: 'include',
      });
      const { backstageIdentity } = await refresh.json();
      const res = await fetch(`${backend}/api/mesh-readiness${target}`, {
        headers: { Authorization: `Bearer ${backstageIdentity.token}` },
      });
      const text = await res.text();
      return { status: res.status, text };
    },
    { backend: backendUrl, target: pathAndQuery },
  );
}

export async function apiJson(page, pathAndQuery) {
  const { status, text } = await api(page, pathAndQuery);
  if (status !== 200)
    throw new Error(`${pathAndQuery} answered ${status}: ${text}`);
  return JSON.parse(text);
}
