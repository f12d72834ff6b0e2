import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  READINESS_LEVELS,
  type OwnedByScope,
  type ServicesPage,
  type ServicesSort,
  type SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { RestRequest } from 'msw';
import type { SetupServer } from 'msw/node';
import type { ReactNode } from 'react';
import {
  freshSnapshot,
  orgFixture,
  serviceRows,
  servicesPageFixture,
  summaryFixture,
} from '../__fixtures__';
import { meshReadinessApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { createClient, fakeBackend } from '.';

/**
 * A small organisation as the backend's catalog would see it: jane is a
 * member of commerce, whose sub-groups checkout and customer-engagement own
 * checkout-service and loyalty-service; payments (another group) owns
 * payments-service; bob's group owns nothing.
 */
const members: Record<string, string[]> = {
  'user:default/jane': ['group:default/commerce'],
  'user:default/bob': ['group:default/empty-team'],
};
const children: Record<string, string[]> = {
  'group:default/commerce': [
    'group:default/checkout',
    'group:default/customer-engagement',
  ],
  'group:default/checkout': [],
  'group:default/customer-engagement': [],
  'group:default/payments': [],
  'group:default/empty-team': [],
};

/** What `ownedBy` resolves to: the user, their groups and every group below. */
export function scopeOf(ref: string): OwnedByScope {
  const groups = members[ref];
  if (!groups) {
    return { entityRef: ref, found: false, groups: [], owners: [ref] };
  }
  const owners = [ref];
  const queue = [...groups];
  while (queue.length > 0) {
    const group = queue.shift()!;
    owners.push(group);
    queue.push(...(children[group] ?? []));
  }
  return { entityRef: ref, found: true, groups, owners };
}

function rowsOwnedBy(ownedBy: string | null) {
  if (!ownedBy) {
    return serviceRows;
  }
  const owners = new Set(scopeOf(ownedBy).owners);
  return serviceRows.filter(r => r.owner && owners.has(r.owner));
}

function sorted(rows: typeof serviceRows, sort: ServicesSort | null) {
  if (sort !== 'score') {
    return rows;
  }
  return [...rows].sort((a, b) => (a.score ?? 101) - (b.score ?? 101));
}

/**
 * The fake backend of `fakeBackend`, answering `ownedBy` on `/summary` and
 * `/services` as the real one does: only the rows whose owner the scope
 * counts, and the scope itself in the summary.
 */
export function fakeBackendWithOwnership(server: SetupServer) {
  return fakeBackend(server, {
    summary: (req: RestRequest): SummaryResponse => {
      const ownedBy = req.url.searchParams.get('ownedBy');
      if (!ownedBy) {
        return summaryFixture;
      }
      const rows = rowsOwnedBy(ownedBy);
      const levels = Object.fromEntries(
        READINESS_LEVELS.map(l => [l, rows.filter(r => r.level === l).length]),
      ) as SummaryResponse['org']['levels'];
      const owners = [...new Set(rows.map(r => r.owner!))];
      return {
        snapshot: freshSnapshot,
        org: {
          ...orgFixture,
          counts: {
            entities: rows.length,
            inScope: rows.length,
            excluded: 0,
            withProblems: 0,
          },
          score: rows.length > 0 ? 70 : null,
          levels,
          rollups: {
            ...orgFixture.rollups,
            owner: orgFixture.rollups.owner.filter(o => owners.includes(o.key)),
          },
        },
        ownedBy: scopeOf(ownedBy),
      };
    },
    services: (req: RestRequest): ServicesPage => {
      const ownedBy = req.url.searchParams.get('ownedBy');
      if (!ownedBy) {
        return servicesPageFixture;
      }
      const rows = sorted(
        rowsOwnedBy(ownedBy),
        req.url.searchParams.get('sort') as ServicesSort | null,
      );
      const pageSize = Number(req.url.searchParams.get('pageSize') ?? 25);
      return {
        snapshot: freshSnapshot,
        items: rows.slice(0, pageSize),
        page: 1,
        pageSize,
        total: rows.length,
      };
    },
  });
}

/**
 * Renders signed in as `user`, with the real client (talking to msw), the
 * dashboard at /mesh-readiness and entity pages under /catalog.
 */
export function renderSignedIn(
  ui: ReactNode,
  options: { user: string; routeEntries?: string[] },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [meshReadinessApiRef, createClient()],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: options.user,
            ownershipEntityRefs: [options.user],
          }),
        ],
      ]}
    >
      {ui}
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
