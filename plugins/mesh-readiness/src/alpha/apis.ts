import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { MeshReadinessClient, meshReadinessApiRef } from '../api';

/** The Mesh Readiness client over DiscoveryApi + FetchApi. */
export const meshReadinessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: meshReadinessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MeshReadinessClient({ discoveryApi, fetchApi }),
    }),
});
