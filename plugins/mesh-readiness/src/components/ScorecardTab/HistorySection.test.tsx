import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  entityHistoryFixture,
  paymentsEntity,
  paymentsResult,
} from '../../__fixtures__';
import { EntityMeshReadinessContent } from '../../plugin';
import {
  fakeBackend,
  headingsAreLogical,
  renderWithApi,
} from '../../__testUtils__';

const server = setupServer();

async function historySection(): Promise<HTMLElement> {
  return screen.findByRole('region', { name: 'History' });
}

describe('EntityMeshReadinessContent: the History section', () => {
  registerMswTestHooks(server);

  it("asks for the service's last 180 days of snapshots", async () => {
    const backend = fakeBackend(server, {
      entity: paymentsResult,
      entityHistory: entityHistoryFixture,
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    await historySection();
    const [asked] = backend.to(
      '/entities/Component/default/payments-service/history',
    );
    expect(asked).toBeDefined();
    const from = new Date(asked.searchParams.get('from')!).getTime();
    const days = (Date.now() - from) / 86_400_000;
    expect(days).toBeGreaterThan(179.9);
    expect(days).toBeLessThan(180.1);
  });

  it('charts score and coverage over time and says how the level moved', async () => {
    fakeBackend(server, {
      entity: paymentsResult,
      entityHistory: entityHistoryFixture,
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const section = await historySection();
    const first = new Date('2026-11-20T06:00:00.000Z').toLocaleDateString(
      undefined,
      { dateStyle: 'medium' },
    );
    const last = new Date('2026-12-04T06:00:00.000Z').toLocaleDateString(
      undefined,
      { dateStyle: 'medium' },
    );
    const summary = `Score from 31 on ${first} to 62 on ${last}; coverage from 72% to 86%.`;
    expect(
      within(section).getByRole('img', { name: `Line chart. ${summary}` }),
    ).toBeInTheDocument();
    expect(within(section).getByTestId('history-summary')).toHaveTextContent(
      summary,
    );
    expect(within(section).getByTestId('history-levels')).toHaveTextContent(
      `Level: Not ready (${first}) → Pilot ready (${last})`,
    );
  });

  it('tells snapshots of one day apart by their time', async () => {
    const [a, b] = entityHistoryFixture.items;
    fakeBackend(server, {
      entity: paymentsResult,
      entityHistory: {
        ...entityHistoryFixture,
        items: [
          { ...a, takenAt: '2026-12-04T06:00:00.000Z' },
          { ...b, takenAt: '2026-12-04T06:30:00.000Z' },
        ],
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const section = await historySection();
    const at = (iso: string) =>
      new Date(iso).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      });
    expect(within(section).getByTestId('history-summary')).toHaveTextContent(
      `on ${at('2026-12-04T06:00:00.000Z')} to`,
    );
    expect(within(section).getByTestId('history-summary')).toHaveTextContent(
      `on ${at('2026-12-04T06:30:00.000Z')};`,
    );
  });

  it('lists each check that changed since the previous snapshot, from and to, and why', async () => {
    fakeBackend(server, {
      entity: paymentsResult,
      entityHistory: entityHistoryFixture,
    });
    const { container } = await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const section = await historySection();
    expect(
      within(section).getByRole('heading', {
        level: 3,
        name: 'What changed since the previous snapshot',
      }),
    ).toBeInTheDocument();
    const list = within(section).getByRole('list', {
      name: 'Checks that changed',
    });
    const items = within(list).getAllByRole('listitem', { hidden: false });
    const changes = items.filter(i => i.hasAttribute('data-change'));
    expect(changes.map(i => i.getAttribute('data-change'))).toEqual([
      'timeouts',
      'protocols',
      'tracing',
    ]);

    const timeouts = changes[0];
    expect(
      within(timeouts).getByRole('heading', { name: 'Timeouts are declared' }),
    ).toBeInTheDocument();
    const chips = timeouts.querySelectorAll('[data-status]');
    expect(Array.from(chips).map(c => c.textContent)).toEqual([
      'Waived',
      'Fail',
    ]);
    expect(timeouts).toHaveTextContent('Its waiver expired on 2026-12-01.');

    const tracing = changes[2];
    expect(tracing).toHaveTextContent(
      'Annotations it reads changed: mesh-readiness.io/tracing: "none" → "full".',
    );
    expect(changes[1]).toHaveTextContent(
      'The facts observed in the running cluster that it was decided on changed.',
    );
    expect(section).toHaveTextContent('3 checks changed status between');
    expect(headingsAreLogical(container, 1)).toBe(true);
  });

  it('says when no check changed, and when there is not enough history for a chart', async () => {
    fakeBackend(server, {
      entity: paymentsResult,
      entityHistory: {
        items: [
          {
            takenAt: '2026-12-04T06:00:00.000Z',
            score: 62,
            coverage: 0.86,
            level: 'pilot-ready',
          },
        ],
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const section = await historySection();
    expect(section).toHaveTextContent(
      'Not enough history yet: the chart appears once two snapshots have scored this service (one so far',
    );
    expect(section).toHaveTextContent('score 62, Pilot ready');
    expect(within(section).queryByRole('img')).toBeNull();
    expect(
      within(section).queryByText('What changed since the previous snapshot'),
    ).toBeNull();
  });

  it('says no check changed between two snapshots that agree', async () => {
    fakeBackend(server, {
      entity: paymentsResult,
      entityHistory: {
        items: entityHistoryFixture.items.slice(0, 2),
        changes: {
          from: entityHistoryFixture.items[0].takenAt,
          to: entityHistoryFixture.items[1].takenAt,
          checks: [],
        },
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const section = await historySection();
    expect(section).toHaveTextContent('No check changed status between');
  });

  it('keeps the scorecard when the history cannot be read, and says why', async () => {
    fakeBackend(server, {
      entity: paymentsResult,
      entityHistory: { status: 503, message: 'the database is down' },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const section = await historySection();
    expect(
      within(section).getByRole('heading', {
        name: 'The catalog is unavailable',
      }),
    ).toBeInTheDocument();
    expect(section).toHaveTextContent('the database is down');
    expect(screen.getByLabelText('Score 38 out of 100')).toBeInTheDocument();
  });
});
