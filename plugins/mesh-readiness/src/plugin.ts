import type { Entity } from '@backstage/catalog-model';
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createCardExtension } from '@backstage/plugin-home-react';
import { MeshReadinessClient, meshReadinessApiRef } from './api';
import { MY_SERVICES_TITLE } from './components/MyServicesCard/title';
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
 * "My services' mesh readiness", a card for the home page
 * (`@backstage/plugin-home`): how many of the services owned by the
 * signed-in user's groups, and the groups below them, sit at each level, and
 * the lowest-scoring few with links to their tab. Put it in a
 * `CustomHomepageGrid` or anywhere on the home page; `limit` sets how many
 * services it lists (default 5). Needs `MeshReadinessPage` mounted, which it
 * links to.
 * @public
 */
export const MeshReadinessMyServicesCard = meshReadinessPlugin.provide(
  createCardExtension<{ limit?: number }>({
    name: 'MeshReadinessMyServicesCard',
    title: MY_SERVICES_TITLE,
    description:
      'How ready for a service mesh the services of your groups are, and which score lowest',
    components: () =>
      import('./components/MyServicesCard').then(m => ({
        Content: m.ClassicMyServicesCardContent,
      })),
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
