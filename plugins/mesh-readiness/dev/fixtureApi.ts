import type {
  MeshReadinessApi,
  ServiceRow,
  ServicesQuery,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  bareResult,
  checksFixture,
  checkoutResult,
  entityHistoryFixture,
  freshSnapshot,
  historyFixture,
  orderResult,
  paymentsResult,
  serviceRows,
  summaryFixture,
  undeterminedSummaryFixture,
} from '../src/__fixtures__';

/**
 * `?fixture=undetermined` in the address shows the org of a catalog that
 * declares too little to decide (an undetermined verdict).
 */
function undetermined(): boolean {
  return (
    typeof window !== 'undefined' &&
    new URLSearchParams(window.location.search).get('fixture') ===
      'undetermined'
  );
}

function matches(row: ServiceRow, query: ServicesQuery): boolean {
  const text = `${row.name} ${row.title ?? ''}`.toLowerCase();
  return (
    (!query.q || text.includes(query.q.toLowerCase())) &&
    (!query.owner || row.owner === query.owner) &&
    (!query.system || row.system === query.system) &&
    (!query.domain || row.domain === query.domain) &&
    (!query.level || row.level === query.level) &&
    (!query.check ||
      (query.status === 'unknown' ? row.unknown : row.failing).includes(
        query.check,
      ))
  );
}

/** The Mesh Readiness API answered from the test fixtures. */
export function fixtureApi(): MeshReadinessApi {
  const rows = (query: ServicesQuery) =>
    serviceRows.filter(row => matches(row, query));
  return {
    getChecks: async () => checksFixture,
    getEntity: async ref => {
      if (ref.name === checkoutResult.name) return checkoutResult;
      if (ref.name === bareResult.name) return bareResult;
      if (ref.name === orderResult.name) return orderResult;
      return paymentsResult;
    },
    getSummary: async () =>
      undetermined() ? undeterminedSummaryFixture : summaryFixture,
    getServices: async (query = {}) => {
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 25;
      const all = rows(query);
      return {
        snapshot: freshSnapshot,
        items: all.slice((page - 1) * pageSize, page * pageSize),
        page,
        pageSize,
        total: all.length,
      };
    },
    getServicesCsv: async (query = {}) =>
      [
        'entityRef,score,level',
        ...rows(query).map(r => `${r.entityRef},${r.score},${r.level}`),
      ].join('\n'),
    getHistory: async () => historyFixture,
    getEntityHistory: async () => entityHistoryFixture,
    refresh: async () => freshSnapshot,
  };
}
