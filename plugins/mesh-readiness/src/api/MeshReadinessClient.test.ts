import { ResponseError } from '@backstage/errors';
import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import {
  checksFixture,
  entityHistoryFixture,
  historyFixture,
  paymentsResult,
  servicesPageFixture,
  summaryFixture,
} from '../__fixtures__';
import { MeshReadinessClient } from './MeshReadinessClient';

const server = setupServer();
const baseUrl = 'http://localhost:7007/api/mesh-readiness';

describe('MeshReadinessClient', () => {
  registerMswTestHooks(server);

  const discoveryApi = { getBaseUrl: jest.fn(async () => baseUrl) };
  const client = new MeshReadinessClient({
    discoveryApi,
    fetchApi: new MockFetchApi(),
  });

  it('reads the check catalogue from the mesh-readiness plugin', async () => {
    server.use(
      rest.get(`${baseUrl}/checks`, (_req, res, ctx) =>
        res(ctx.json({ items: checksFixture })),
      ),
    );
    await expect(client.getChecks()).resolves.toEqual(checksFixture);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('mesh-readiness');
  });

  it('encodes every part of the entity path', async () => {
    let path = '';
    server.use(
      rest.get(`${baseUrl}/entities/*`, (req, res, ctx) => {
        path = req.url.pathname;
        return res(ctx.json(paymentsResult));
      }),
    );
    await expect(
      client.getEntity({ kind: 'Component', namespace: 'team a', name: 'a/b' }),
    ).resolves.toEqual(paymentsResult);
    expect(path).toBe('/api/mesh-readiness/entities/Component/team%20a/a%2Fb');
  });

  it('sends only the summary filters that are set', async () => {
    let search = '';
    server.use(
      rest.get(`${baseUrl}/summary`, (req, res, ctx) => {
        search = req.url.search;
        return res(ctx.json(summaryFixture));
      }),
    );
    await client.getSummary({ owner: 'group:default/payments', system: '' });
    expect(search).toBe('?owner=group%3Adefault%2Fpayments');
    await client.getSummary();
    expect(search).toBe('');
  });

  it('sends paging, filters and sort to /services', async () => {
    let params: URLSearchParams | undefined;
    server.use(
      rest.get(`${baseUrl}/services`, (req, res, ctx) => {
        params = req.url.searchParams;
        return res(ctx.json(servicesPageFixture));
      }),
    );
    const page = await client.getServices({
      page: 2,
      pageSize: 50,
      owner: 'group:default/checkout',
      level: 'pilot-ready',
      check: 'tracing',
      status: 'unknown',
      q: 'cart & co',
      sort: '-score',
    });
    expect(page.total).toBe(60);
    expect(Object.fromEntries(params!.entries())).toEqual({
      page: '2',
      pageSize: '50',
      owner: 'group:default/checkout',
      level: 'pilot-ready',
      check: 'tracing',
      status: 'unknown',
      q: 'cart & co',
      sort: '-score',
    });
  });

  it('fetches the CSV as text with the filters and without paging', async () => {
    let params: URLSearchParams | undefined;
    let accept: string | null = null;
    server.use(
      rest.get(`${baseUrl}/services`, (req, res, ctx) => {
        params = req.url.searchParams;
        accept = req.headers.get('accept');
        return res(
          ctx.set('Content-Type', 'text/csv'),
          ctx.body('entityRef,score\ncomponent:default/a,40\n'),
        );
      }),
    );
    const csv = await client.getServicesCsv({
      page: 3,
      pageSize: 25,
      level: 'not-ready',
    });
    expect(csv).toBe('entityRef,score\ncomponent:default/a,40\n');
    expect(Object.fromEntries(params!.entries())).toEqual({
      level: 'not-ready',
      format: 'csv',
    });
    expect(accept).toBe('text/csv');
  });

  it('reads history and unwraps the items', async () => {
    let search = '';
    server.use(
      rest.get(`${baseUrl}/history`, (req, res, ctx) => {
        search = req.url.search;
        return res(ctx.json({ items: historyFixture }));
      }),
    );
    await expect(
      client.getHistory({ from: '2026-01-01T00:00:00.000Z' }),
    ).resolves.toEqual(historyFixture);
    expect(search).toBe('?from=2026-01-01T00%3A00%3A00.000Z');
  });

  it("reads an entity's history, with its path encoded and the range as sent", async () => {
    let url: URL | undefined;
    server.use(
      rest.get(
        `${baseUrl}/entities/:kind/:namespace/:name/history`,
        (req, res, ctx) => {
          url = req.url;
          return res(ctx.json(entityHistoryFixture));
        },
      ),
    );
    await expect(
      client.getEntityHistory(
        { kind: 'Component', namespace: 'team a', name: 'pay' },
        { from: '2026-01-01' },
      ),
    ).resolves.toEqual(entityHistoryFixture);
    expect(url?.pathname).toBe(
      '/api/mesh-readiness/entities/Component/team%20a/pay/history',
    );
    expect(url?.search).toBe('?from=2026-01-01');
  });

  it('refreshes with a POST', async () => {
    let method = '';
    server.use(
      rest.post(`${baseUrl}/refresh`, (req, res, ctx) => {
        method = req.method;
        return res(ctx.json(summaryFixture.snapshot));
      }),
    );
    await expect(client.refresh()).resolves.toEqual(summaryFixture.snapshot);
    expect(method).toBe('POST');
  });

  it('throws a ResponseError carrying the backend error', async () => {
    server.use(
      rest.get(`${baseUrl}/entities/*`, (_req, res, ctx) =>
        res(
          ctx.status(404),
          ctx.json({
            error: {
              name: 'NotFoundError',
              message: 'No entity component:default/ghost',
            },
            request: {
              method: 'GET',
              url: '/entities/component/default/ghost',
            },
            response: { statusCode: 404 },
          }),
        ),
      ),
    );
    const error = await client
      .getEntity({ kind: 'component', namespace: 'default', name: 'ghost' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe('No entity component:default/ghost');
  });

  it('throws a ResponseError on a 503 without a JSON body', async () => {
    server.use(
      rest.get(`${baseUrl}/summary`, (_req, res, ctx) =>
        res(ctx.status(503), ctx.text('catalog down')),
      ),
    );
    const error = await client.getSummary().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(503);
  });
});
