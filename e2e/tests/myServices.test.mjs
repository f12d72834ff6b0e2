// "My services": the dashboard scoped to the signed-in guest's groups, and
// the home page card, checked against the REST API. The demo guest
// (user:default/guest) is a member of payments and of money-movement, the
// department whose teams payments and fulfilment own the services.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiJson,
  gotoSignedIn,
  keepEvidence,
  openBrowser,
  signInAsGuest,
} from '../browser.mjs';

const GUEST = 'user:default/guest';

let session;
before(async () => {
  session = await openBrowser();
  await signInAsGuest(session.page);
  // Figures computed live (before the first snapshot, 15 s after start) may
  // differ from the snapshot's: compare the page with the API once both
  // read the snapshot.
  const deadline = Date.now() + 120_000;
  while (
    (await apiJson(session.page, '/summary')).snapshot.source !== 'snapshot'
  ) {
    assert.ok(Date.now() < deadline, 'no snapshot within 120 s');
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
});
after(async () => session?.browser.close());
afterEach(async t => {
  if (!t.passed) await keepEvidence(t, session.page, session.consoleLines);
});

/** Every service the API lists for the guest's groups. */
async function guestServices(page) {
  const body = await apiJson(
    page,
    `/services?ownedBy=${encodeURIComponent(GUEST)}&pageSize=100&sort=score`,
  );
  assert.equal(body.total, body.items.length);
  return body.items;
}

test("the guest's groups are payments and money-movement, with the teams below it", async () => {
  const { page } = session;
  const { ownedBy } = await apiJson(
    page,
    `/summary?ownedBy=${encodeURIComponent(GUEST)}`,
  );
  assert.deepEqual([...ownedBy.groups].sort(), [
    'group:default/money-movement',
    'group:default/payments',
  ]);
  assert.deepEqual([...ownedBy.owners].sort(), [
    'group:default/fulfilment',
    'group:default/money-movement',
    'group:default/payments',
    GUEST,
  ]);
  const owners = new Set((await guestServices(page)).map(s => s.owner));
  assert.deepEqual([...owners].sort(), [
    'group:default/fulfilment',
    'group:default/payments',
  ]);
});

test('My services on the dashboard lists the services of those teams, and only them', async () => {
  const { page } = session;
  const expected = await guestServices(page);
  await gotoSignedIn(page, '/mesh-readiness');
  await page
    .getByRole('heading', { name: /^Verdict/ })
    .waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'My services' }).click();

  const scope = page.getByRole('region', { name: 'Whose services these are' });
  await scope.waitFor({ timeout: 60_000 });
  const { ownedBy } = await apiJson(
    page,
    `/summary?ownedBy=${encodeURIComponent(GUEST)}`,
  );
  const below = ownedBy.owners
    .filter(o => o !== GUEST && !ownedBy.groups.includes(o))
    .map(o => o.split('/')[1]);
  assert.equal(
    (await scope.textContent()).trim(),
    `My services (${expected.length} services): owned by you (guest), ` +
      `your groups ${ownedBy.groups
        .map(g => g.split('/')[1])
        .join(' and ')}, and the group below them: ${below.join(' and ')}.`,
  );
  assert.match(page.url(), /\?scope=mine$/);

  // Every row of the table (25 a page) is the guest's, in the API's order.
  const table = page.getByRole('table').filter({
    has: page.getByRole('button', { name: 'Service', exact: true }),
  });
  await table.locator('tbody tr').first().waitFor();
  const owners = await table
    .locator('tbody tr')
    .evaluateAll(rows => rows.map(r => r.children[1]?.textContent?.trim()));
  assert.equal(owners.length, Math.min(expected.length, 25));
  for (const owner of owners) {
    assert.ok(['payments', 'fulfilment'].includes(owner), owner);
  }

  // Back to the whole organisation: other teams' services are there again.
  await page.getByRole('button', { name: 'Whole organisation' }).click();
  await scope.waitFor({ state: 'detached' });
  const org = await apiJson(page, '/services?pageSize=1');
  assert.ok(org.total > expected.length);
});

test("the home page card lists the guest's lowest scores, each linked to its tab", async () => {
  const { page } = session;
  const scored = (await guestServices(page)).filter(s => s.score !== null);
  await gotoSignedIn(page, '/home');
  const lowest = page.getByRole('list', { name: 'Lowest scores' });
  await lowest.waitFor({ timeout: 60_000 });
  const rows = await lowest.getByRole('listitem').allTextContents();
  assert.deepEqual(
    rows,
    scored
      .slice(0, 5)
      .map(s => `${s.score}${s.title ?? s.name}${levelLabel(s.level)}`),
  );
  const levels = await page
    .getByRole('list', { name: 'Services by level' })
    .getByRole('listitem')
    .allTextContents();
  const { org } = await apiJson(
    page,
    `/summary?ownedBy=${encodeURIComponent(GUEST)}`,
  );
  assert.deepEqual(
    levels,
    Object.entries(LEVELS).map(([key, label]) => `${label}${org.levels[key]}`),
  );

  const first = scored[0];
  await lowest.getByRole('link', { name: first.title ?? first.name }).click();
  await page.getByRole('heading', { name: 'Checks' }).waitFor({
    timeout: 60_000,
  });
  assert.equal(
    new URL(page.url()).pathname,
    `/catalog/default/component/${first.name}/mesh-readiness`,
  );
});

const LEVELS = {
  'not-assessed': 'Not assessed',
  'not-ready': 'Not ready',
  'pilot-ready': 'Pilot ready',
  'production-ready': 'Production ready',
  optimal: 'Optimal',
};

function levelLabel(level) {
  return LEVELS[level] ?? 'No level';
}
