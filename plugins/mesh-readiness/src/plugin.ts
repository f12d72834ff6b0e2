import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';

/**
 * The Mesh Readiness plugin for the classic frontend system.
 * @public
 */
export const meshReadinessPlugin = createPlugin({
  id: 'mesh-readiness',
  routes: { root: rootRouteRef },
});

/**
 * The org dashboard page.
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
 * The scorecard tab for an entity page.
 * @public
 */
export const EntityMeshReadinessContent = meshReadinessPlugin.provide(
  createComponentExtension({
    name: 'EntityMeshReadinessContent',
    component: {
      lazy: () =>
        import('./components/ScorecardTab').then(m => m.ScorecardTab),
    },
  }),
);
