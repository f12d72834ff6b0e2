import {
  createFrontendPlugin,
  createRouteRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import SettingsEthernetIcon from '@material-ui/icons/SettingsEthernet';

const rootRouteRef = createRouteRef();

const meshReadinessPage = PageBlueprint.make({
  params: {
    path: '/mesh-readiness',
    title: 'Mesh readiness',
    icon: <SettingsEthernetIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('../components/OrgDashboardPage').then(m => (
        <m.OrgDashboardPage />
      )),
  },
});

const meshReadinessEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/mesh-readiness',
    title: 'Mesh readiness',
    filter: 'kind:component',
    loader: () =>
      import('../components/ScorecardTab').then(m => <m.ScorecardTab />),
  },
});

/**
 * The Mesh Readiness plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'mesh-readiness',
  title: 'Mesh readiness',
  icon: <SettingsEthernetIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: { root: rootRouteRef },
  extensions: [meshReadinessPage, meshReadinessEntityContent],
});
