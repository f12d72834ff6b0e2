import { registerMswTestHooks } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import {
  XSS,
  orgFixture,
  serviceRows,
  servicesPageFixture,
  staleSnapshot,
  summaryFixture,
  undeterminedSummaryFixture,
} from '../../__fixtures__';
import { Route, Routes } from 'react-router-dom';
import { MeshReadinessPage } from '../../plugin';
import {
  baseUrl,
  fakeBackend,
  headingOutline,
  headingsAreLogical,
  renderWithApi,
} from '../../__testUtils__';

const server = setupServer();

function card(heading: string | RegExp): HTMLElement {
  return screen.getByRole('region', { name: heading });
}

function lastQuery(urls: URL[]): Record<string, string> {
  expect(urls.length).toBeGreaterThan(0);
  return Object.fromEntries(urls[urls.length - 1].searchParams.entries());
}

/** The classic routable extension, mounted where an app would mount it. */
function renderPage() {
  return renderWithApi(
    <Routes>
      <Route path="/mesh-readiness" element={<MeshReadinessPage />} />
    </Routes>,
    { routeEntries: ['/mesh-readiness'] },
  );
}

async function renderDashboard() {
  const result = await renderPage();
  await screen.findByRole('heading', { name: /^Verdict/ });
  return result;
}

describe('MeshReadinessPage (org dashboard)', () => {
  registerMswTestHooks(server);

  it('shows the verdict, its reasons and the three gates with their figures', async () => {
    fakeBackend(server);
    await renderDashboard();
    const verdict = card(/^Verdict/);
    expect(within(verdict).getByText('Not ready')).toBeInTheDocument();
    const reasons = within(verdict).getByRole('list', {
      name: 'Reasons for the verdict',
    });
    expect(
      within(reasons)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(orgFixture.verdictReasons);
    const need = within(verdict).getByRole('region', {
      name: 'Genuine need for a mesh',
    });
    expect(need).toHaveTextContent('Pass');
    expect(need).toHaveTextContent('Mtls services:9');
    const capacity = within(verdict).getByRole('region', {
      name: 'A platform team can run the mesh',
    });
    expect(capacity).toHaveTextContent('Fail');
    expect(capacity).toHaveTextContent('Mesh engineers:1');
    const observability = within(verdict).getByRole('region', {
      name: 'Tracing coverage',
    });
    expect(observability).toHaveTextContent('Warning');
    expect(observability).toHaveTextContent('Coverage:62%');
    expect(observability).toHaveTextContent('Threshold:80%');
    expect(
      within(observability).getByRole('link', {
        name: /Istio FAQ: distributed tracing/,
      }),
    ).toHaveAttribute(
      'href',
      'https://istio.io/latest/about/faq/distributed-tracing/',
    );
  });

  it('shows the recommended mesh with its reasons and caveats', async () => {
    fakeBackend(server);
    await renderDashboard();
    const rec = card('Recommended mesh');
    expect(within(rec).getByText('Linkerd')).toBeInTheDocument();
    expect(rec).toHaveTextContent('Lowest proxy cost of the options that fit.');
    expect(rec).toHaveTextContent(
      'Header routing needs Gateway API HTTPRoutes.',
    );
    expect(
      within(rec).getByRole('link', { name: /Linkerd: automatic mTLS/ }),
    ).toHaveAttribute(
      'href',
      'https://linkerd.io/2-edge/features/automatic-mtls/',
    );
  });

  it('ranks the options with fit, reason and estimated cost', async () => {
    fakeBackend(server);
    await renderDashboard();
    const options = card('Options and estimated proxy cost');
    expect(options).toHaveTextContent(
      'Cost for 164 pods serving 3,400 requests/s at peak on 12 nodes. 5 services declare no replicas or peak-rps and are not counted.',
    );
    const table = within(options).getByRole('table', {
      name: 'Options considered, best first',
    });
    const row = (mesh: string) =>
      table.querySelector(`tr[data-option="${mesh}"]`) as HTMLElement;
    expect(
      Array.from(table.querySelectorAll('tr[data-option]')).map(r =>
        r.getAttribute('data-option'),
      ),
    ).toEqual(['linkerd', 'istio-ambient', 'cilium', 'none']);
    expect(row('linkerd')).toHaveTextContent('Linkerd (recommended)');
    expect(row('linkerd')).toHaveTextContent('Fits');
    expect(row('linkerd')).toHaveTextContent('2.8 GiB');
    expect(row('linkerd')).toHaveTextContent('4.1 vCPU');
    expect(row('cilium')).toHaveTextContent('Does not fit');
    expect(row('cilium')).toHaveTextContent(
      'Workload-identity mTLS is beta in Cilium',
    );
    expect(row('none')).toHaveTextContent('No mesh');

    // The recommended option's details are open: formula and sourced figures.
    expect(options).toHaveTextContent('164 pods × 17.5 MiB + 3,400 rps');
    expect(
      within(options).getByRole('link', { name: /Linkerd benchmarks/ }),
    ).toHaveAttribute(
      'href',
      'https://linkerd.io/2021/05/27/linkerd-vs-istio-benchmarks-2021/',
    );
    expect(options).not.toHaveTextContent(
      'L7 features need a waypoint proxy per namespace.',
    );

    await userEvent.click(
      within(options).getByRole('button', {
        name: 'Show details of Istio (ambient)',
      }),
    );
    expect(options).toHaveTextContent(
      'L7 features need a waypoint proxy per namespace.',
    );
    expect(options).toHaveTextContent('No data-plane cost.');
    await userEvent.click(
      within(options).getByRole('button', { name: 'Hide details of Linkerd' }),
    );
    expect(options).not.toHaveTextContent('164 pods × 17.5 MiB');
  });

  it('shows the cost of every option that has an estimate', async () => {
    fakeBackend(server, {
      summary: {
        ...summaryFixture,
        org: {
          ...orgFixture,
          recommendation: {
            ...orgFixture.recommendation,
            alternatives: [
              ...orgFixture.recommendation.alternatives,
              {
                mesh: 'istio-sidecar',
                fits: true,
                complexity: 4,
                reasons: ['Meets every need with sidecars.'],
                caveats: [],
                sources: [],
              },
            ],
          },
        },
      },
    });
    await renderDashboard();
    const row = card('Options and estimated proxy cost').querySelector(
      'tr[data-option="istio-sidecar"]',
    ) as HTMLElement;
    expect(row).toHaveTextContent('Istio (sidecar)');
    expect(row).toHaveTextContent('9 GiB');
    expect(row).toHaveTextContent('8.2 vCPU');
  });

  it('shows the level distribution, most-missing prerequisites, retry risk and trend', async () => {
    fakeBackend(server);
    await renderDashboard();
    const levels = card('Services by level');
    expect(within(levels).getByRole('img')).toHaveAccessibleName(
      'Bar chart of services by level. Not assessed: 3, Not ready: 8, Pilot ready: 7, Production ready: 6, Optimal: 3.',
    );
    const missing = within(card('Most-missing prerequisites')).getByRole(
      'table',
    );
    const rows = within(missing).getAllByRole('row').slice(1);
    expect(
      within(rows[0])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['Trace context propagated', '9', '5', 'FailingUnknown']);
    // A check nobody fails offers no "Failing" shortcut, only "Unknown".
    const retry = rows.find(r =>
      r.textContent?.startsWith('Provided APIs are safe to retry'),
    )!;
    expect(
      within(retry).getByRole('button', {
        name: 'Show services failing Provided APIs are safe to retry',
      }),
    ).toBeDisabled();
    expect(
      within(retry).getByRole('button', {
        name: 'Show services where Provided APIs are safe to retry is unknown',
      }),
    ).toBeEnabled();
    expect(card('Retry risk')).toHaveTextContent(
      '3services expose 7 non-idempotent operations that the mesh would retry.',
    );
    const trend = card('Trend');
    expect(
      await within(trend).findByText(
        /Org score from 48 on .* to 61 on .*; production-ready or better from 5 to 9 services\./,
      ),
    ).toBeInTheDocument();
  });

  it('shows the snapshot time and no stale marker for fresh data', async () => {
    fakeBackend(server);
    await renderDashboard();
    const time = document.querySelector(
      'time[datetime="2026-05-04T06:00:00.000Z"]',
    );
    expect(time).not.toBeNull();
    expect(screen.getByText(/Snapshot taken/)).toBeInTheDocument();
    expect(screen.queryByRole('status', { name: 'Stale data' })).toBeNull();
  });

  it('marks stale data with the reason', async () => {
    fakeBackend(server, {
      summary: { ...summaryFixture, snapshot: staleSnapshot },
    });
    await renderDashboard();
    const marker = screen.getByRole('status', { name: 'Stale data' });
    expect(marker).toHaveTextContent('Stale:');
    expect(marker).toHaveTextContent(
      'The catalog did not answer (503) at 2026-05-04T06:00Z.',
    );
  });

  it('refreshes: POST /refresh, then reloads summary, history and table', async () => {
    const backend = fakeBackend(server);
    await renderDashboard();
    await waitFor(() => expect(backend.to('/services')).toHaveLength(1));
    expect(backend.to('/summary')).toHaveLength(1);
    expect(backend.to('/history')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(backend.to('/summary')).toHaveLength(2));
    expect(backend.to('/refresh')).toHaveLength(1);
    expect(
      backend.methods[
        backend.requests.findIndex(u => u.pathname.endsWith('/refresh'))
      ],
    ).toBe('POST');
    await waitFor(() => expect(backend.to('/history')).toHaveLength(2));
    await waitFor(() => expect(backend.to('/services')).toHaveLength(2));
  });

  it('reports a failed refresh and keeps the data', async () => {
    fakeBackend(server, {
      refresh: { status: 503, message: 'catalog is down' },
    });
    await renderDashboard();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByText('Refresh failed: catalog is down'),
    ).toBeInTheDocument();
    expect(card(/^Verdict/)).toHaveTextContent('Not ready');
  });

  it('says so when the policy does not let the user refresh (403)', async () => {
    const message =
      'You are not allowed to take a Mesh Readiness snapshot: the permission policy denies mesh-readiness.snapshot.refresh.';
    fakeBackend(server, { refresh: { status: 403, message } });
    await renderDashboard();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed to refresh');
    expect(alert).toHaveTextContent(message);
    expect(alert).not.toHaveTextContent('Refresh failed');
    expect(card(/^Verdict/)).toHaveTextContent('Not ready');
  });

  it('says when to try again past the refresh limit (429)', async () => {
    const message =
      'Too many refreshes: at most 5 per 60 seconds for each caller (meshReadiness.refresh.maxPerCaller and meshReadiness.refresh.windowSeconds). Try again in 42 seconds.';
    fakeBackend(server, {
      refresh: { status: 429, message, headers: { 'Retry-After': '42' } },
    });
    await renderDashboard();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Refresh limit reached');
    expect(alert).toHaveTextContent('Try again in 42 seconds.');
    // The button is usable again: the limit is the server's to keep.
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  });

  it('loads the services table page by page from the server', async () => {
    const backend = fakeBackend(server);
    await renderDashboard();
    expect(await screen.findByText('Payments Service')).toBeInTheDocument();
    expect(lastQuery(backend.to('/services'))).toEqual({
      page: '1',
      pageSize: '25',
    });
    const row = screen
      .getByText('Payments Service')
      .closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('payments');
    expect(row).toHaveTextContent('Not ready');
    expect(row).toHaveTextContent(
      'Provided APIs are safe to retry, Not running as the proxy UID, Server-first protocols declared opaque',
    );
    expect(
      within(row).getByRole('link', { name: 'Payments Service' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-service');
    await userEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toEqual({
        page: '2',
        pageSize: '25',
      }),
    );
  });

  it('asks for the first services page while the summary is on its way, and only once', async () => {
    const backend = fakeBackend(server);
    let answerSummary = () => {};
    const summaryAnswered = new Promise<void>(resolve => {
      answerSummary = resolve;
    });
    server.use(
      rest.get(`${baseUrl}/summary`, async (_req, res, ctx) => {
        await summaryAnswered;
        return res(ctx.json(summaryFixture));
      }),
    );
    await renderPage();
    await waitFor(() => expect(backend.to('/services')).toHaveLength(1));
    expect(screen.queryByRole('heading', { name: /^Verdict/ })).toBeNull();

    answerSummary();
    expect(await screen.findByText('Payments Service')).toBeInTheDocument();
    expect(backend.to('/services')).toHaveLength(1);
  });

  it('sorts on the server', async () => {
    const backend = fakeBackend(server);
    await renderDashboard();
    await screen.findByText('Payments Service');
    const table = screen
      .getByText('Payments Service')
      .closest('table') as HTMLElement;
    const scoreHeader = within(table).getByRole('button', { name: 'Score' });
    await userEvent.click(scoreHeader);
    await waitFor(() =>
      expect(lastQuery(backend.to('/services')).sort).toBe('score'),
    );
    await userEvent.click(within(table).getByRole('button', { name: 'Score' }));
    await waitFor(() =>
      expect(lastQuery(backend.to('/services')).sort).toBe('-score'),
    );
  });

  it('sends the filters to the API', async () => {
    const backend = fakeBackend(server);
    await renderDashboard();
    await screen.findByText('Payments Service');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Owner' }),
      'group:default/payments',
    );
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toEqual({
        page: '1',
        pageSize: '25',
        owner: 'group:default/payments',
      }),
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Level' }),
      'not-ready',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Check' }),
      'tracing',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Check status' }),
      'unknown',
    );
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search services' }),
      'pay',
    );
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toEqual({
        page: '1',
        pageSize: '25',
        owner: 'group:default/payments',
        level: 'not-ready',
        check: 'tracing',
        status: 'unknown',
        q: 'pay',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toEqual({
        page: '1',
        pageSize: '25',
      }),
    );
    expect(
      screen.getByRole('searchbox', { name: 'Search services' }),
    ).toHaveValue('');
  });

  it('filters the table from the most-missing list and the rollups', async () => {
    const backend = fakeBackend(server);
    await renderDashboard();
    await screen.findByText('Payments Service');
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Show services failing Trace context propagated',
      }),
    );
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toMatchObject({
        check: 'tracing',
        status: 'fail',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Show services where Trace context propagated is unknown',
      }),
    );
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toMatchObject({
        check: 'tracing',
        status: 'unknown',
      }),
    );
    expect(screen.getByRole('combobox', { name: 'Check status' })).toHaveValue(
      'unknown',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Show services at retry risk' }),
    );
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toMatchObject({
        check: 'retry-safety',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Show services of payments' }),
    );
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toEqual({
        page: '1',
        pageSize: '25',
        owner: 'group:default/payments',
      }),
    );
  });

  it('exports the filtered services as CSV through the API', async () => {
    const backend = fakeBackend(server, {
      csv: 'entityRef,name,score\ncomponent:default/payments-service,payments-service,38\n',
    });
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:mesh-readiness');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicked.push(this);
      });
    try {
      await renderDashboard();
      await screen.findByText('Payments Service');
      await userEvent.selectOptions(
        screen.getByRole('combobox', { name: 'Level' }),
        'not-ready',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      await waitFor(() => expect(clicked).toHaveLength(1));
      const csvRequest = backend
        .to('/services')
        .find(u => u.searchParams.get('format') === 'csv');
      expect(Object.fromEntries(csvRequest!.searchParams.entries())).toEqual({
        level: 'not-ready',
        format: 'csv',
      });
      expect(clicked[0].download).toBe('mesh-readiness-services.csv');
      expect(clicked[0].href).toBe('blob:mesh-readiness');
      const blob = createObjectURL.mock.calls[0][0];
      expect(blob.type).toBe('text/csv;charset=utf-8');
      await act(async () => {
        await new Promise(resolve => setTimeout(resolve, 5));
      });
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:mesh-readiness');
    } finally {
      click.mockRestore();
    }
  });

  it('reports a failed CSV export', async () => {
    fakeBackend(server, { csv: { status: 500, message: 'csv broke' } });
    await renderDashboard();
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(
      await screen.findByText('CSV export failed: csv broke'),
    ).toBeInTheDocument();
  });

  it('switches rollups between team, system and domain', async () => {
    fakeBackend(server);
    await renderDashboard();
    const rollups = card('Rollups');
    const byTeam = within(rollups).getByRole('table', {
      name: 'Readiness by team',
    });
    const teamRows = within(byTeam).getAllByRole('row').slice(1);
    // Lowest score first; a team without a score sorts first.
    expect(teamRows[0]).toHaveTextContent(XSS);
    expect(teamRows[1]).toHaveTextContent('payments');
    expect(rollups.querySelector('img')).toBeNull();
    await userEvent.click(
      within(rollups).getByRole('tab', { name: 'By system' }),
    );
    const bySystem = within(rollups).getByRole('table', {
      name: 'Readiness by system',
    });
    expect(within(bySystem).getAllByRole('row')[1]).toHaveTextContent(
      'checkout88091%012322',
    );
    await userEvent.click(
      within(rollups).getByRole('tab', { name: 'By domain' }),
    );
    expect(
      within(rollups).getByRole('table', { name: 'Readiness by domain' }),
    ).toHaveTextContent('commerce');
  });

  it('pages long rollups, lowest score first', async () => {
    const owner = Array.from({ length: 30 }, (_, i) => ({
      key: `group:default/team-${String(i).padStart(2, '0')}`,
      services: 3,
      score: 90 - i,
      coverage: 0.8,
      levels: {
        'not-assessed': 0,
        'not-ready': 1,
        'pilot-ready': 1,
        'production-ready': 1,
        optimal: 0,
      },
      failing: 1,
    }));
    fakeBackend(server, {
      summary: {
        ...summaryFixture,
        org: { ...orgFixture, rollups: { ...orgFixture.rollups, owner } },
      },
    });
    await renderDashboard();
    const rollups = card('Rollups');
    const names = () =>
      within(within(rollups).getByRole('table', { name: 'Readiness by team' }))
        .getAllByRole('row')
        .slice(1)
        .map(r => within(r).getAllByRole('cell')[0].textContent);
    expect(names()).toHaveLength(10);
    expect(names()[0]).toBe('team-29');
    expect(rollups).toHaveTextContent('1-10 of 30');
    await userEvent.click(
      within(rollups).getByRole('button', { name: 'Next page of rollups' }),
    );
    expect(names()[0]).toBe('team-19');
    expect(rollups).toHaveTextContent('11-20 of 30');
  });

  it('has one h1 and a logical heading outline', async () => {
    fakeBackend(server);
    const { container } = await renderDashboard();
    const outline = headingOutline(container);
    expect(outline.filter(h => h.startsWith('h1'))).toEqual([
      'h1 Mesh readiness',
    ]);
    expect(outline).toEqual(
      expect.arrayContaining([
        'h2 Verdict: should we adopt a service mesh?',
        'h3 A platform team can run the mesh',
        'h2 Recommended mesh',
        'h3 Why',
        'h2 Options and estimated proxy cost',
        'h2 Retry risk',
        'h2 Services',
      ]),
    );
    expect(headingsAreLogical(container)).toBe(true);
  });

  it('explains a catalog outage when there is no snapshot at all', async () => {
    fakeBackend(server, {
      summary: { status: 503, message: 'no snapshot yet' },
    });
    await renderPage();
    expect(
      await screen.findByRole('heading', {
        name: 'The catalog is unavailable',
      }),
    ).toBeInTheDocument();
  });

  it('says the backend is unreachable', async () => {
    fakeBackend(server, { summary: { status: 0, network: true } });
    await renderPage();
    expect(
      await screen.findByRole('heading', {
        name: 'The Mesh Readiness backend is unreachable',
      }),
    ).toBeInTheDocument();
  });

  it('shows an empty table message and a history hint on a fresh install', async () => {
    fakeBackend(server, {
      services: { ...servicesPageFixture, items: [], total: 0 },
      history: [],
    });
    await renderDashboard();
    expect(
      await screen.findByText('No service matches these filters.'),
    ).toBeInTheDocument();
    expect(card('Trend')).toHaveTextContent('Not enough history yet');
  });

  it('shows a services error inside the table card', async () => {
    fakeBackend(server, {
      services: { status: 400, message: "Invalid level 'x'" },
    });
    await renderDashboard();
    expect(
      await screen.findByText(
        "The services could not be loaded: Invalid level 'x'",
      ),
    ).toBeInTheDocument();
  });

  it('shows an undetermined verdict, what to declare, and no recommended mesh', async () => {
    fakeBackend(server, {
      summary: undeterminedSummaryFixture,
      services: {
        ...servicesPageFixture,
        items: serviceRows.filter(r => r.level === 'not-assessed'),
        total: 1,
      },
    });
    await renderDashboard();
    const verdict = card(/^Verdict/);
    expect(within(verdict).getByText('Undetermined')).toBeInTheDocument();
    expect(verdict).not.toHaveTextContent('Not needed');
    const toDecide = within(verdict).getByRole('region', {
      name: 'Declare these to decide',
    });
    expect(
      within(toDecide)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      "mesh-readiness.io/needs (or 'none') on production services: 9 lack it (Genuine need for a mesh)",
      'mesh-readiness.io/platform-team and mesh-readiness.io/mesh-engineers on the Group that would run the mesh: 1 lacks it (A platform team can run the mesh)',
      'mesh-readiness.io/tracing on services: 9 lack it (Tracing coverage)',
    ]);
    expect(verdict).toHaveTextContent('Org score: 14 / 100, coverage 21%.');

    const recommendation = card('Recommended mesh');
    expect(recommendation).toHaveTextContent(
      'No recommendation until a need is confirmed',
    );
    expect(within(recommendation).queryByText('No mesh')).toBeNull();
    expect(within(recommendation).queryByText('Linkerd')).toBeNull();

    const options = card('Options and estimated proxy cost');
    expect(options).toHaveTextContent('Ranked as if a need is confirmed.');
    expect(options).toHaveTextContent(
      'Cost unknown: its inputs are not declared (see each option).',
    );
    expect(options).not.toHaveTextContent('Cost for 0 pods');
    expect(options).not.toHaveTextContent('(recommended)');
    const linkerd = options.querySelector(
      'tr[data-option="linkerd"]',
    ) as HTMLElement;
    expect(linkerd).toHaveTextContent(
      'Not yet known: a kubernetes-cluster Resource in spec.dependsOn of the services',
    );
    // Unknown cost is "unknown", never 0, with what is missing.
    expect(linkerd).not.toHaveTextContent('0 MiB');
    const unknown = within(linkerd).getAllByText('unknown');
    expect(unknown).toHaveLength(2);
    expect(unknown[0]).toHaveAccessibleName(
      'Unknown: missing mesh-readiness.io/replicas (no service declares it); mesh-readiness.io/peak-rps (no service declares it)',
    );
    await userEvent.click(
      within(linkerd).getByRole('button', { name: 'Show details of Linkerd' }),
    );
    expect(options).toHaveTextContent('Not yet known (declare to assess)');

    expect(
      within(card('Services by level')).getByRole('img'),
    ).toHaveAccessibleName(
      'Bar chart of services by level. Not assessed: 8, Not ready: 1, Pilot ready: 0, Production ready: 0, Optimal: 0.',
    );
    expect(card('Services by level')).toHaveTextContent('mean coverage 21%');

    const row = (await screen.findByText('loyalty-service')).closest(
      'tr',
    ) as HTMLElement;
    expect(row).toHaveTextContent('Not assessed');
    expect(row).toHaveTextContent('20%');
    expect(
      within(row).getByText('Not assessed').closest('[data-level]'),
    ).toHaveAttribute('data-level', 'not-assessed');
  });

  it('shows coverage in the services table and filters by not-assessed', async () => {
    const backend = fakeBackend(server);
    await renderDashboard();
    const row = (await screen.findByText('Payments Service')).closest(
      'tr',
    ) as HTMLElement;
    expect(row).toHaveTextContent('86%');
    const services = card('Services');
    expect(
      within(services).getByRole('columnheader', { name: /Coverage/ }),
    ).toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Level' }),
      'not-assessed',
    );
    await waitFor(() =>
      expect(lastQuery(backend.to('/services'))).toEqual({
        page: '1',
        pageSize: '25',
        level: 'not-assessed',
      }),
    );
    expect(
      within(screen.getByRole('combobox', { name: 'Level' })).getByRole(
        'option',
        { name: 'Not assessed' },
      ),
    ).toBeInTheDocument();
  });

  it('says how many services were inspected and marks each row', async () => {
    fakeBackend(server);
    await renderDashboard();
    expect(
      within(card('Services by level')).getByTestId('inspected'),
    ).toHaveTextContent(
      '9 of 27 services inspected (facts read from their Kubernetes manifests or the running cluster); 18 declared only.',
    );
    expect(card(/^Verdict/)).toHaveTextContent(
      'Facts read from manifests for 9 of 27 services; the others are declared only.',
    );
    const services = card('Services');
    expect(
      within(services).getByRole('columnheader', { name: /Facts/ }),
    ).toBeInTheDocument();
    const cellOf = async (name: string) => {
      const row = (await screen.findByText(name)).closest('tr') as HTMLElement;
      const header = within(services)
        .getAllByRole('columnheader')
        .findIndex(h => h.textContent === 'Facts');
      return within(row).getAllByRole('cell')[header];
    };
    expect(await cellOf('Checkout Service')).toHaveTextContent(/^Inspected$/);
    expect(await cellOf('Payments Service')).toHaveTextContent(
      /^Declared only$/,
    );
    // Not served: unknown, not "declared only".
    expect(await cellOf('loyalty-service')).toHaveTextContent(/^–$/);
  });

  it('lists what each running cluster reported about itself, and when', async () => {
    fakeBackend(server, {
      summary: {
        ...summaryFixture,
        org: {
          ...summaryFixture.org,
          observedClusters: [
            {
              name: 'demo-local',
              kubernetesVersion: '1.33',
              nodes: 3,
              meshes: [],
              problems: [],
              source: {
                kind: 'manifest',
                label: 'cluster demo-local: /version, /api/v1/nodes, /apis',
                cluster: 'demo-local',
                observedAt: '2026-12-14T10:00:00.000Z',
              },
            },
            {
              name: 'edge',
              meshes: ['linkerd'],
              problems: ['The node count could not be read'],
              source: {
                kind: 'manifest',
                label: 'cluster edge',
                cluster: 'edge',
              },
            },
          ],
        },
      },
    });
    await renderDashboard();
    const clusters = within(card('Services by level')).getByTestId(
      'observed-clusters',
    );
    const items = within(clusters).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      /^Cluster demo-local: Kubernetes 1\.33, 3 nodes, no mesh installed; seen .*2026/,
    );
    expect(items[1]).toHaveTextContent(
      'Cluster edge: Kubernetes version unknown, node count unknown, mesh APIs installed: linkerd (1 not read).',
    );
  });

  it('leaves the inspected count out when the backend does not serve it', async () => {
    fakeBackend(server, { summary: undeterminedSummaryFixture });
    await renderDashboard();
    expect(
      within(card('Services by level')).queryByTestId('inspected'),
    ).toBeNull();
    expect(card(/^Verdict/)).not.toHaveTextContent('Facts read from manifests');
  });

  it('renders every row the server returns', async () => {
    fakeBackend(server);
    await renderDashboard();
    for (const row of serviceRows) {
      expect(
        await screen.findByText(row.title ?? row.name),
      ).toBeInTheDocument();
    }
  });
});
