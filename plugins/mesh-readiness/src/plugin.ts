import type { Entity } from '@backstage/catalog-model';
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MeshReadinessClient, meshReadinessApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The Mesh Readiness plugin for the classic frontend system.
 * @public
 */
export const meshReadinessPlugin = createPlugin({
  id: 'mesh-readiness',
  apis: [
    createApiFactory({
      api: meshReadinessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MeshReadinessClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The org dashboard page, with its header. Mount it at `/mesh-readiness`.
 * @public
 */
export const MeshReadinessPage = meshReadinessPlugin.provide(
  createRoutableExtension({
    name: 'MeshReadinessPage',
    component: () =>
      import('./components/OrgDashboardPage').then(m => m.OrgDashboardPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The scorecard tab of an entity page; mount it in an `EntityLayout.Route`.
 * @public
 */
export const EntityMeshReadinessContent = meshReadinessPlugin.provide(
  createComponentExtension({
    name: 'EntityMeshReadinessContent',
    component: {
      lazy: () => import('./components/ScorecardTab').then(m => m.ScorecardTab),
    },
  }),
);

/**
 * The overview card of an entity page: score, level, top missing
 * prerequisites and a link to the tab.
 * @public
 */
export const EntityMeshReadinessCard = meshReadinessPlugin.provide(
  createComponentExtension({
    name: 'EntityMeshReadinessCard',
    component: {
      lazy: () =>
        import('./components/ScorecardCard').then(m => m.ScorecardCard),
    },
  }),
);

/**
 * True for the entities Mesh Readiness scores (Components); use it with
 * `EntitySwitch.Case if={isMeshReadinessAvailable}`.
 * @public
 */
export function isMeshReadinessAvailable(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}
