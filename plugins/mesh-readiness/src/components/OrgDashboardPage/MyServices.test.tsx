import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { Route, Routes, useLocation } from 'react-router-dom';
import {
  fakeBackendWithOwnership,
  renderSignedIn,
} from '../../__testUtils__/myServices';
import { MeshReadinessPage } from '../../plugin';

const server = setupServer();

/** Shows the current URL's search, to assert what the toggle wrote there. */
const Search = () => (
  <output aria-label="search">{useLocation().search}</output>
);

function renderDashboard(user: string, entry = '/mesh-readiness') {
  return renderSignedIn(
    <>
      <Routes>
        <Route path="/mesh-readiness" element={<MeshReadinessPage />} />
      </Routes>
      <Search />
    </>,
    { user, routeEntries: [entry] },
  );
}

/** The services the table lists: each name links to its entity. */
async function tableServices(): Promise<string[]> {
  const table = await screen.findByRole('region', { name: 'Services' });
  return (await within(table).findAllByRole('link')).map(
    link => link.textContent ?? '',
  );
}

function lastQuery(urls: URL[]): Record<string, string> {
  expect(urls.length).toBeGreaterThan(0);
  return Object.fromEntries(urls[urls.length - 1].searchParams.entries());
}

describe('My services (the dashboard scoped to your groups)', () => {
  registerMswTestHooks(server);

  it('switches to the services of your groups and the groups below them, and back', async () => {
    const backend = fakeBackendWithOwnership(server);
    await renderDashboard('user:default/jane');
    await screen.findByRole('heading', { name: /^Verdict/ });
    expect(
      screen.getByRole('button', { name: 'Whole organisation', pressed: true }),
    ).toBeInTheDocument();
    expect(await tableServices()).toContain('Payments Service');
    expect(screen.getByRole('region', { name: 'Trend' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'My services' }));

    const scope = await screen.findByRole('region', {
      name: 'Whose services these are',
    });
    expect(scope).toHaveTextContent(
      'My services (2 services): owned by you (jane), your group commerce, and the groups below it: checkout and customer-engagement.',
    );
    expect(screen.getByLabelText('search')).toHaveTextContent('?scope=mine');
    expect(
      screen.getByRole('button', { name: 'My services', pressed: true }),
    ).toBeInTheDocument();
    // checkout-service is owned by checkout, a sub-group of jane's commerce;
    // payments-service by payments, a group jane is not in.
    await waitFor(async () =>
      expect((await tableServices()).sort()).toEqual([
        'Checkout Service',
        'loyalty-service',
      ]),
    );
    expect(lastQuery(backend.to('/summary'))).toEqual({
      ownedBy: 'user:default/jane',
    });
    expect(lastQuery(backend.to('/services'))).toMatchObject({
      ownedBy: 'user:default/jane',
    });
    // The owner filter offers jane's owners only.
    const owner = screen.getByLabelText('Owner') as HTMLSelectElement;
    expect(Array.from(owner.options).map(o => o.textContent)).toEqual([
      'Any owner',
      'checkout',
    ]);
    // The verdict speaks of these services, not of the organisation.
    expect(screen.getByRole('region', { name: /^Verdict/ })).toHaveTextContent(
      /your services/i,
    );
    expect(
      screen.getByRole('region', { name: /^Verdict/ }),
    ).not.toHaveTextContent(/organisation|org score/i);
    // History is the organisation's: no trend for a user's groups.
    expect(
      screen.queryByRole('region', { name: 'Trend' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Whole organisation' }),
    );
    await waitFor(async () =>
      expect(await tableServices()).toContain('Payments Service'),
    );
    expect(screen.getByLabelText('search')).toHaveTextContent(/^$/);
    expect(
      screen.queryByRole('region', { name: 'Whose services these are' }),
    ).not.toBeInTheDocument();
  });

  it('opens on My services from a link with ?scope=mine, and exports only them', async () => {
    const backend = fakeBackendWithOwnership(server);
    await renderDashboard('user:default/jane', '/mesh-readiness?scope=mine');
    expect(
      await screen.findByRole('region', { name: 'Whose services these are' }),
    ).toBeInTheDocument();
    expect((await tableServices()).sort()).toEqual([
      'Checkout Service',
      'loyalty-service',
    ]);
    // Every request of this page was scoped: none asked for the whole org.
    for (const url of [...backend.to('/summary'), ...backend.to('/services')]) {
      expect(url.searchParams.get('ownedBy')).toBe('user:default/jane');
    }
    expect(backend.to('/history')).toEqual([]);

    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    const createObjectURL = jest.fn(() => 'blob:csv');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    try {
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      await waitFor(() => expect(click).toHaveBeenCalled());
      const csv = backend
        .to('/services')
        .find(u => u.searchParams.get('format') === 'csv');
      expect(csv!.searchParams.get('ownedBy')).toBe('user:default/jane');
    } finally {
      click.mockRestore();
    }
  });

  it('says when none of your groups owns a service, and goes back to the organisation', async () => {
    fakeBackendWithOwnership(server);
    await renderDashboard('user:default/bob', '/mesh-readiness?scope=mine');
    const empty = await screen.findByRole('region', {
      name: 'None of your groups owns a service',
    });
    expect(empty).toHaveTextContent(
      'No Component is owned by you (user:default/bob), by empty-team.',
    );
    expect(
      screen.queryByRole('region', { name: 'Services' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(empty).getByRole('button', {
        name: 'Show the whole organisation',
      }),
    );
    expect(
      await screen.findByRole('heading', { name: /^Verdict/ }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('search')).toHaveTextContent(/^$/);
  });

  it('says when the signed-in user is not in the catalog', async () => {
    fakeBackendWithOwnership(server);
    await renderDashboard(
      'user:development/guest',
      '/mesh-readiness?scope=mine',
    );
    const empty = await screen.findByRole('region', {
      name: 'You are not in the catalog',
    });
    expect(empty).toHaveTextContent(
      'You are signed in as user:development/guest, and the catalog has no such User',
    );
  });

  it('reports a failure of the scoped summary in words', async () => {
    fakeBackendWithOwnership(server);
    server.use(
      rest.get(
        'http://localhost:7007/api/mesh-readiness/summary',
        (_req, res, ctx) =>
          res(
            ctx.status(503),
            ctx.json({
              error: {
                name: 'ServiceUnavailableError',
                message: 'The catalog could not be read: down',
              },
              response: { statusCode: 503 },
            }),
          ),
      ),
    );
    await renderDashboard('user:default/jane', '/mesh-readiness?scope=mine');
    expect(
      await screen.findByRole('region', { name: 'The catalog is unavailable' }),
    ).toHaveTextContent("your services' mesh readiness cannot be shown");
  });
});
