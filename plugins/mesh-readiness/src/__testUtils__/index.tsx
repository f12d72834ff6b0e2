import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  MockFetchApi,
  TestApiProvider,
  renderInTestApp,
} from '@backstage/test-utils';
import type {
  CheckDefinition,
  EntityHistoryResponse,
  EntityResult,
  HistoryPoint,
  ServicesPage,
  SnapshotInfo,
  SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { rest, type RestRequest } from 'msw';
import type { SetupServer } from 'msw/node';
import type { ReactNode } from 'react';
import {
  checksFixture,
  freshSnapshot,
  historyFixture,
  servicesPageFixture,
  summaryFixture,
} from '../__fixtures__';
import { MeshReadinessClient, meshReadinessApiRef } from '../api';
import { rootRouteRef } from '../routes';

export const baseUrl = 'http://localhost:7007/api/mesh-readiness';

/** A failure the fake backend answers with. */
export interface Failure {
  status: number;
  message?: string;
  /** Response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  /** Simulates a network failure (no answer at all). */
  network?: boolean;
}

type Answer<T> = T | Failure | ((req: RestRequest) => T | Failure);

export interface FakeBackend {
  checks?: Answer<CheckDefinition[]>;
  entity?: Answer<EntityResult>;
  summary?: Answer<SummaryResponse>;
  services?: Answer<ServicesPage>;
  csv?: Answer<string>;
  history?: Answer<HistoryPoint[]>;
  /** `GET /entities/:kind/:namespace/:name/history`; no snapshots by default. */
  entityHistory?: Answer<EntityHistoryResponse>;
  refresh?: Answer<SnapshotInfo>;
}

function isFailure(value: unknown): value is Failure {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'status' in value &&
    typeof (value as Failure).status === 'number' &&
    !('org' in value)
  );
}

const ERROR_NAMES: Record<number, string> = {
  400: 'InputError',
  403: 'NotAllowedError',
  404: 'NotFoundError',
  429: 'TooManyRefreshesError',
  500: 'Error',
  503: 'ServiceUnavailableError',
};

/**
 * Serves the REST contract from msw with fixtures, and records every
 * request so tests can assert what the UI asked for.
 */
export function fakeBackend(server: SetupServer, backend: FakeBackend = {}) {
  const requests: URL[] = [];
  const methods: string[] = [];

  const reply =
    <T,>(
      answer: Answer<T> | undefined,
      fallback: T,
      options: { as?: 'json' | 'text'; wrap?: (value: T) => unknown } = {},
    ) =>
    (req: RestRequest, res: any, ctx: any) => {
      requests.push(new URL(req.url.toString()));
      methods.push(req.method);
      const value =
        typeof answer === 'function'
          ? (answer as (r: RestRequest) => T | Failure)(req)
          : answer ?? fallback;
      if (isFailure(value)) {
        if (value.network) {
          return res.networkError('Failed to connect');
        }
        return res(
          ctx.status(value.status),
          ...Object.entries(value.headers ?? {}).map(([name, header]) =>
            ctx.set(name, header),
          ),
          ctx.json({
            error: {
              name: ERROR_NAMES[value.status] ?? 'Error',
              message: value.message ?? `HTTP ${value.status}`,
            },
            request: { method: req.method, url: req.url.pathname },
            response: { statusCode: value.status },
          }),
        );
      }
      if (options.as === 'text') {
        return res(
          ctx.set('Content-Type', 'text/csv'),
          ctx.body(value as string),
        );
      }
      return res(ctx.json(options.wrap ? options.wrap(value as T) : value));
    };
  const items = <T,>(value: T) => ({ items: value });

  server.use(
    rest.get(
      `${baseUrl}/checks`,
      reply(backend.checks, checksFixture, { wrap: items }),
    ),
    rest.get(
      `${baseUrl}/entities/:kind/:namespace/:name`,
      reply(backend.entity, { status: 404 } as Failure as any),
    ),
    rest.get(
      `${baseUrl}/entities/:kind/:namespace/:name/history`,
      reply(backend.entityHistory, { items: [] } as EntityHistoryResponse),
    ),
    rest.get(`${baseUrl}/summary`, reply(backend.summary, summaryFixture)),
    rest.get(`${baseUrl}/services`, (req, res, ctx) =>
      req.url.searchParams.get('format') === 'csv'
        ? reply(backend.csv, 'entityRef,score\n', { as: 'text' })(req, res, ctx)
        : reply(backend.services, servicesPageFixture)(req, res, ctx),
    ),
    rest.get(
      `${baseUrl}/history`,
      reply(backend.history, historyFixture, { wrap: items }),
    ),
    rest.post(`${baseUrl}/refresh`, reply(backend.refresh, freshSnapshot)),
  );

  return {
    requests,
    methods,
    /** Requests to one route, e.g. `/services`. */
    to(path: string): URL[] {
      return requests.filter(u => u.pathname === `/api/mesh-readiness${path}`);
    },
  };
}

export function createClient() {
  return new MeshReadinessClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: new MockFetchApi(),
  });
}

/** Renders inside a test app with the real client (talking to msw). */
export function renderWithApi(
  ui: ReactNode,
  options: { entity?: Entity; routeEntries?: string[] } = {},
) {
  const client = createClient();
  return renderInTestApp(
    <TestApiProvider apis={[[meshReadinessApiRef, client]]}>
      {options.entity ? (
        <EntityProvider entity={options.entity}>{ui}</EntityProvider>
      ) : (
        ui
      )}
    </TestApiProvider>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/mesh-readiness': rootRouteRef,
      },
    },
  );
}

/** The heading levels in document order, e.g. `['h2 Checks', 'h3 Workload']`. */
export function headingOutline(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(
    h => `${h.tagName.toLowerCase()} ${h.textContent?.trim()}`,
  );
}

/** True when no heading skips a level going down (h2 → h4). */
export function headingsAreLogical(container: HTMLElement, start = 1): boolean {
  let previous = start;
  for (const h of Array.from(container.querySelectorAll('h1,h2,h3,h4,h5,h6'))) {
    const level = Number(h.tagName.slice(1));
    if (level > previous + 1) {
      return false;
    }
    previous = level;
  }
  return true;
}
