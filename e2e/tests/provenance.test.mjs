// Observed facts: where each check's facts came from, drift between the
// annotations and the manifests, and the inspected count, checked against
// the REST API on the demo services whose manifests are linked.
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

const SOURCE_WORDS = {
  manifest: 'Observed',
  annotation: 'Declared',
  default: 'Default',
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

async function openTab(name) {
  const { page } = session;
  await gotoSignedIn(page, `/catalog/default/component/${name}/mesh-readiness`);
  await page
    .getByRole('heading', { name: 'Checks' })
    .waitFor({ timeout: 60_000 });
  return apiJson(page, `/entities/component/default/${name}`);
}

function provenanceBar() {
  return session.page.getByRole('region', {
    name: 'Where the facts come from',
  });
}

/** The rows of a check's evidence table, as [fact, value, source] texts. */
async function evidenceRows(checkId) {
  const table = session.page
    .locator(`section[data-check="${checkId}"]`)
    .getByRole('table', { name: /^Evidence: / });
  const rows = await table.locator('tbody tr').all();
  return Promise.all(
    rows.map(async row =>
      (await row.locator('td').allInnerTexts()).map(t =>
        t.replace(/\s+/g, ' ').trim(),
      ),
    ),
  );
}

test('order-service: the workload read from its manifests and every fact with its source, as the API has them', async () => {
  const { page } = session;
  const result = await openTab('order-service');
  assert.ok(result.manifests, 'order-service links manifests');
  const { workloads } = result.manifests;
  assert.ok(workloads.length > 0, 'a workload matched');

  const bar = await provenanceBar().innerText();
  const plural = workloads.length === 1 ? '' : 's';
  const clusters = [
    ...new Set(workloads.map(w => w.source.cluster).filter(Boolean)),
  ];
  if (clusters.length > 0) {
    // Running in the demo cluster (yarn demo:cluster): what runs is scored.
    assert.match(
      bar,
      new RegExp(
        `Observed in cluster ${clusters.join(', ')}.*: ${
          workloads.length
        } running workload${plural} `,
      ),
    );
  } else {
    assert.match(
      bar,
      new RegExp(`Inspected: ${workloads.length} workload${plural} from `),
    );
    for (const location of result.manifests.locations) {
      assert.ok(bar.includes(location), `the bar names ${location}`);
    }
  }
  for (const w of workloads.slice(0, 3)) {
    const name = `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`;
    assert.ok(bar.includes(name), `the bar names ${name}`);
  }

  let observed = 0;
  for (const check of result.checks.filter(c => c.evidence?.length)) {
    const rows = await evidenceRows(check.id);
    // Long lists fold after four facts.
    const shown = check.evidence.slice(0, rows.length);
    assert.ok(rows.length >= Math.min(4, check.evidence.length), check.id);
    shown.forEach((e, i) => {
      const [fact, value, source] = rows[i];
      assert.equal(fact, e.fact, `${check.id}: fact ${i}`);
      assert.equal(value, e.value, `${check.id}: value ${i}`);
      assert.ok(
        source.startsWith(SOURCE_WORDS[e.source.kind]) &&
          source.includes(e.source.label),
        `${check.id}: source ${i} is "${source}", expected ${e.source.kind} ${e.source.label}`,
      );
      if (e.source.kind === 'manifest') observed += 1;
    });
  }
  assert.ok(observed > 0, 'at least one fact was observed in a manifest');
  await page.screenshot({
    path: path.join(outputDir, 'provenance-order-service.png'),
    fullPage: true,
  });
});

test('order-service: the drift names both values and both sources', async () => {
  const { page } = session;
  const result = await openTab('order-service');
  const drift = result.checks.find(c => c.id === 'drift');
  assert.ok(drift, 'the drift check ran');
  assert.equal(drift.status, 'warn', 'order-service declares a stale UID');
  const kinds = new Set(drift.evidence.map(e => e.source.kind));
  assert.ok(kinds.has('annotation') && kinds.has('manifest'), 'both sources');

  const section = page.locator('section[data-check="drift"]');
  const text = await section.innerText();
  assert.ok(text.includes('Warning'));
  assert.ok(text.includes(drift.message));
  const rows = await evidenceRows('drift');
  for (const e of drift.evidence.slice(0, rows.length)) {
    assert.ok(
      rows.some(
        ([, value, source]) =>
          value === e.value &&
          source.startsWith(SOURCE_WORDS[e.source.kind]) &&
          source.includes(e.source.label),
      ),
      `a row shows ${e.value} from ${e.source.label}`,
    );
  }
});

test('a service without manifests says it is declared only and offers the manifests annotation first', async () => {
  const { page } = session;
  const result = await openTab('search-indexer');
  assert.equal(result.manifests, undefined);
  assert.match(
    await provenanceBar().innerText(),
    /Declared only: no manifests linked/,
  );
  const region = page.locator('section', {
    has: page.getByRole('heading', {
      name: 'Add these to catalog-info.yaml',
      exact: true,
    }),
  });
  const snippet = await region.locator('pre').first().innerText();
  const firstKey = snippet.match(/^\s+(mesh-readiness\.io\/[\w.-]+):/m)?.[1];
  assert.equal(firstKey, 'mesh-readiness.io/manifests');
});

test('the dashboard shows how many services were inspected, and marks their rows', async () => {
  const { page } = session;
  await gotoSignedIn(page, '/mesh-readiness');
  const inspected = page.getByTestId('inspected');
  await inspected.waitFor({ timeout: 60_000 });
  const { org } = await apiJson(page, '/summary');
  assert.ok(org.inspected > 0, 'the demo inspects some services');
  assert.match(
    await inspected.innerText(),
    new RegExp(
      `^${org.inspected} of ${org.counts.inScope} services inspected .*; ${
        org.counts.inScope - org.inspected
      } declared only\\.$`,
    ),
  );

  const filtered = page.waitForResponse(
    r =>
      r.url().includes('/api/mesh-readiness/services') &&
      r.url().includes('q=order-service'),
  );
  await page.getByLabel('Search services').fill('order-service');
  const body = await (await filtered).json();
  const row = body.items.find(i => i.name === 'order-service');
  assert.equal(row.inspected, true);
  const table = page.getByRole('table').filter({
    has: page.getByRole('button', { name: 'Service', exact: true }),
  });
  const tr = table.locator('tbody tr', {
    has: page.getByText(row.title ?? row.name, { exact: true }),
  });
  await tr.waitFor();
  const headers = (await table.locator('thead th').allTextContents()).map(h =>
    h.trim(),
  );
  const column = headers.indexOf('Facts');
  assert.ok(column >= 0, `a Facts column in ${headers.join(', ')}`);
  assert.equal(
    (await tr.locator('td').nth(column).innerText()).trim(),
    'Inspected',
  );
});
