// Takes the README screenshots (docs/screenshots/) from the running demo
// app, in headless Chromium at 1400×1100:
//
//   yarn start                    # in another shell, or yarn e2e's app
//   node e2e/screenshots.mjs      # E2E_APP_URL / E2E_BACKEND_URL as for yarn e2e
//   node e2e/screenshots.mjs my-services.png   # only the files named
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gotoSignedIn, openBrowser, signInAsGuest } from './browser.mjs';

const docs = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../docs/screenshots',
);

const { browser, page } = await openBrowser();
await page.setViewportSize({ width: 1400, height: 1100 });
await signInAsGuest(page);

// With file names as arguments, only those are written (the pages are still
// visited in order).
const only = process.argv.slice(2);

/** Saves the viewport, or an element with a margin around it. */
async function shot(name, locator) {
  if (only.length > 0 && !only.includes(name)) {
    return;
  }
  const file = path.join(docs, name);
  if (!locator) {
    await page.screenshot({ path: file });
  } else {
    await locator.scrollIntoViewIfNeeded();
    const box = await locator.boundingBox();
    // The box is relative to the viewport; a full-page clip to the page.
    const scrollY = await page.evaluate(() => window.scrollY);
    box.y += scrollY;
    const margin = 16;
    await page.screenshot({
      path: file,
      fullPage: true,
      clip: {
        x: Math.max(box.x - margin, 0),
        y: Math.max(box.y - margin, 0),
        width: box.width + 2 * margin,
        height: box.height + 2 * margin,
      },
    });
  }
  console.log(`wrote docs/screenshots/${name}`);
}

async function openTab(name) {
  await gotoSignedIn(page, `/catalog/default/component/${name}/mesh-readiness`);
  await page
    .getByRole('heading', { name: 'Checks' })
    .waitFor({ timeout: 60_000 });
}

try {
  await openTab('search-indexer');
  await shot('scorecard-tab.png');

  await openTab('order-service');
  await shot('provenance.png');
  await shot('drift.png', page.locator('section[data-check="drift"]'));

  await gotoSignedIn(page, '/catalog/default/component/order-service');
  await page
    .getByRole('link', { name: /View the scorecard/ })
    .waitFor({ timeout: 60_000 });
  await page.getByTestId('facts-source').waitFor();
  // Check titles and the entity's relations have loaded.
  await page.getByText('Provided APIs are safe to retry').waitFor();
  await page.getByRole('link', { name: 'Orders API v1' }).first().waitFor();
  await shot('overview-card.png');

  await gotoSignedIn(page, '/mesh-readiness');
  await page
    .getByRole('heading', { name: /^Verdict/ })
    .waitFor({ timeout: 60_000 });
  await page.locator('table tbody tr').first().waitFor();
  await shot('dashboard.png');
  await shot(
    'inspected.png',
    page.getByRole('region', { name: 'Services by level' }),
  );
  const services = page.getByRole('heading', {
    name: 'Services',
    exact: true,
  });
  await services.evaluate(el => el.scrollIntoView({ block: 'start' }));
  await page.mouse.move(0, 0);
  await shot('services-table.png');

  // My services: the guest's groups (payments, money-movement and the teams below it).
  await gotoSignedIn(page, '/mesh-readiness?scope=mine');
  await page
    .getByRole('region', { name: 'Whose services these are' })
    .waitFor({ timeout: 60_000 });
  await page.locator('table tbody tr').first().waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('my-services.png');

  await gotoSignedIn(page, '/home');
  const lowest = page.getByRole('list', { name: 'Lowest scores' });
  await lowest.waitFor({ timeout: 60_000 });
  await shot(
    'my-services-card.png',
    page.locator('.react-grid-item', { has: lowest }),
  );
} finally {
  await browser.close();
}
