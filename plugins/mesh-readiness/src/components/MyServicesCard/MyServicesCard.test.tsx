import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { baseUrl } from '../../__testUtils__';
import {
  fakeBackendWithOwnership,
  renderSignedIn,
} from '../../__testUtils__/myServices';
import { MeshReadinessMyServicesCard } from '../../plugin';

const server = setupServer();

function renderCard(user: string) {
  return renderSignedIn(<MeshReadinessMyServicesCard />, {
    user,
    routeEntries: ['/'],
  });
}

describe("My services' mesh readiness (home page card)", () => {
  registerMswTestHooks(server);

  it('counts your services per level and lists the lowest scores, linked to their tab', async () => {
    const backend = fakeBackendWithOwnership(server);
    await renderCard('user:default/jane');

    expect(
      await screen.findByText("My services' mesh readiness"),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        '2 services owned by you and your groups (commerce and the groups below) · score 70',
      ),
    ).toBeInTheDocument();
    const levels = screen.getByRole('list', { name: 'Services by level' });
    expect(
      within(levels)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'Not assessed1',
      'Not ready0',
      'Pilot ready0',
      'Production ready1',
      'Optimal0',
    ]);

    // Lowest first; payments-service (38) belongs to another group.
    const lowest = screen.getByRole('list', { name: 'Lowest scores' });
    const items = within(lowest).getAllByRole('listitem');
    expect(items.map(li => li.textContent)).toEqual([
      '25loyalty-serviceNot assessed',
      '94Checkout ServiceProduction ready',
    ]);
    expect(
      within(items[0]).getByRole('link', { name: 'loyalty-service' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/loyalty-service/mesh-readiness',
    );
    expect(
      screen.getByRole('link', { name: 'Open my services on the dashboard' }),
    ).toHaveAttribute('href', '/mesh-readiness?scope=mine');

    const services = backend.to('/services');
    expect(Object.fromEntries(services[0].searchParams.entries())).toEqual({
      ownedBy: 'user:default/jane',
      sort: 'score',
      pageSize: '5',
    });
    expect(backend.to('/summary')[0].searchParams.get('ownedBy')).toBe(
      'user:default/jane',
    );
  });

  it('says when none of your groups owns a service', async () => {
    fakeBackendWithOwnership(server);
    await renderCard('user:default/bob');
    expect(
      await screen.findByText('None of your groups owns a service.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Lowest scores' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'See the whole organisation' }),
    ).toHaveAttribute('href', '/mesh-readiness');
  });

  it('says when you are not in the catalog', async () => {
    fakeBackendWithOwnership(server);
    await renderCard('user:development/guest');
    expect(
      await screen.findByText(
        'You are signed in as user:development/guest, and the catalog has no such User: Mesh Readiness cannot tell which groups you belong to.',
      ),
    ).toBeInTheDocument();
  });

  it('says when the backend cannot be reached', async () => {
    fakeBackendWithOwnership(server);
    server.use(
      rest.get(`${baseUrl}/summary`, (_req, res) =>
        res.networkError('Failed to connect'),
      ),
    );
    await renderCard('user:default/jane');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Your services' mesh readiness could not be loaded:",
    );
  });
});
