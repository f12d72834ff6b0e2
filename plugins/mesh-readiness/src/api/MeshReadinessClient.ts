import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CheckDefinition,
  ChecksResponse,
  EntityHistoryResponse,
  EntityResult,
  HistoryPoint,
  HistoryResponse,
  MeshReadinessApi,
  ServicesPage,
  ServicesQuery,
  SnapshotInfo,
  SummaryFilter,
  SummaryResponse,
} from '@mesh-readiness/plugin-mesh-readiness-common';

/** Options of {@link MeshReadinessClient}. @public */
export interface MeshReadinessClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}

type QueryValue = string | number | undefined;

/**
 * The frontend client of the Mesh Readiness backend
 * (`/api/mesh-readiness`). Credentials come from the injected `FetchApi`;
 * every HTTP failure is thrown as a `ResponseError`.
 * @public
 */
export class MeshReadinessClient implements MeshReadinessApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: MeshReadinessClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getChecks(): Promise<CheckDefinition[]> {
    const body = await this.request<ChecksResponse>('/checks');
    return body.items;
  }

  async getEntity(entityRef: CompoundEntityRef): Promise<EntityResult> {
    return this.request<EntityResult>(`/entities/${entityPath(entityRef)}`);
  }

  async getSummary(filter: SummaryFilter = {}): Promise<SummaryResponse> {
    return this.request<SummaryResponse>('/summary', {
      query: {
        owner: filter.owner,
        ownedBy: filter.ownedBy,
        system: filter.system,
        domain: filter.domain,
      },
    });
  }

  async getServices(query: ServicesQuery = {}): Promise<ServicesPage> {
    return this.request<ServicesPage>('/services', {
      query: servicesParams(query),
    });
  }

  async getServicesCsv(query: ServicesQuery = {}): Promise<string> {
    const { page: _page, pageSize: _pageSize, ...filters } = query;
    return this.request<string>('/services', {
      query: { ...servicesParams(filters), format: 'csv' },
      as: 'text',
    });
  }

  async getHistory(
    query: { owner?: string; from?: string; to?: string } = {},
  ): Promise<HistoryPoint[]> {
    const body = await this.request<HistoryResponse>('/history', {
      query: { owner: query.owner, from: query.from, to: query.to },
    });
    return body.items;
  }

  async getEntityHistory(
    entityRef: CompoundEntityRef,
    query: { from?: string; to?: string } = {},
  ): Promise<EntityHistoryResponse> {
    return this.request<EntityHistoryResponse>(
      `/entities/${entityPath(entityRef)}/history`,
      { query: { from: query.from, to: query.to } },
    );
  }

  async refresh(): Promise<SnapshotInfo> {
    return this.request<SnapshotInfo>('/refresh', { method: 'POST' });
  }

  private async request<T>(
    path: string,
    options: {
      method?: 'GET' | 'POST';
      query?: Record<string, QueryValue>;
      as?: 'json' | 'text';
    } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('mesh-readiness');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    const url = `${baseUrl}${path}${search ? `?${search}` : ''}`;
    const response = await this.fetchApi.fetch(url, {
      method: options.method ?? 'GET',
      headers: {
        Accept: options.as === 'text' ? 'text/csv' : 'application/json',
      },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (options.as === 'text') {
      return (await response.text()) as T;
    }
    return (await response.json()) as T;
  }
}

/** `kind/namespace/name`, each part encoded. */
function entityPath(entityRef: CompoundEntityRef): string {
  return [entityRef.kind, entityRef.namespace, entityRef.name]
    .map(part => encodeURIComponent(part))
    .join('/');
}

function servicesParams(query: ServicesQuery): Record<string, QueryValue> {
  return {
    page: query.page,
    pageSize: query.pageSize,
    owner: query.owner,
    ownedBy: query.ownedBy,
    system: query.system,
    domain: query.domain,
    level: query.level,
    check: query.check,
    status: query.status,
    q: query.q,
    sort: query.sort,
  };
}
