import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  checkoutResult,
  mainframeEntity,
  orderEntity,
  orderResult,
  outOfScopeResult,
  paymentsEntity,
  paymentsResult,
} from '../../__fixtures__';
import { EntityMeshReadinessCard } from '../../plugin';
import { fakeBackend, renderWithApi } from '../../__testUtils__';

const server = setupServer();

describe('EntityMeshReadinessCard', () => {
  registerMswTestHooks(server);

  it('shows score, level, the top three missing prerequisites and links to the tab', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessCard />, {
      entity: paymentsEntity,
    });
    expect(
      await screen.findByLabelText('Score 38 out of 100'),
    ).toBeInTheDocument();
    expect(screen.getByText('Not ready')).toBeInTheDocument();
    expect(screen.getByText(/2 of 9 checks pass/)).toHaveTextContent(
      'Coverage 86% · 2 of 9 checks pass',
    );
    expect(
      screen.getByRole('heading', { level: 2, name: 'Mesh readiness' }),
    ).toBeInTheDocument();
    const list = screen.getByRole('heading', {
      name: 'Top missing prerequisites',
    }).nextElementSibling as HTMLElement;
    const items = within(list).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      'FailProvided APIs are safe to retry',
      'FailNot running as the proxy UID',
      'UnknownTrace context propagated',
    ]);
    expect(
      screen.queryByText('Server-first protocols declared opaque'),
    ).toBeNull();
    expect(
      screen.getByRole('link', { name: /View the scorecard/ }),
    ).toHaveAttribute('href', expect.stringMatching(/\/mesh-readiness$/));
  });

  it('says whether the facts were read from manifests or only declared', async () => {
    fakeBackend(server, { entity: orderResult });
    const first = await renderWithApi(<EntityMeshReadinessCard />, {
      entity: orderEntity,
    });
    expect(await screen.findByTestId('facts-source')).toHaveTextContent(
      /^Inspected$/,
    );
    first.unmount();
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessCard />, {
      entity: paymentsEntity,
    });
    expect(await screen.findByTestId('facts-source')).toHaveTextContent(
      /^Declared only$/,
    );
  });

  it('says when nothing is missing', async () => {
    fakeBackend(server, { entity: checkoutResult });
    await renderWithApi(<EntityMeshReadinessCard />, {
      entity: paymentsEntity,
    });
    expect(
      await screen.findByText('Nothing missing: every prerequisite is met.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Production ready')).toBeInTheDocument();
  });

  it('shows why an entity is out of scope', async () => {
    fakeBackend(server, { entity: outOfScopeResult });
    await renderWithApi(<EntityMeshReadinessCard />, {
      entity: mainframeEntity,
    });
    expect(
      await screen.findByText(
        'Not in scope: Excluded by mesh-readiness.io/exclude: runs on the mainframe',
      ),
    ).toBeInTheDocument();
  });

  it('says there is no result yet on 404', async () => {
    fakeBackend(server, { entity: { status: 404 } });
    await renderWithApi(<EntityMeshReadinessCard />, {
      entity: paymentsEntity,
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No mesh readiness result for this entity yet.',
    );
  });

  it('reports other errors without breaking the overview page', async () => {
    fakeBackend(server, { entity: { status: 503, message: 'catalog down' } });
    await renderWithApi(<EntityMeshReadinessCard />, {
      entity: paymentsEntity,
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /Mesh readiness could not be loaded: .*catalog down/,
    );
  });
});
