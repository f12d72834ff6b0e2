import { Content } from '@backstage/core-components';
import { PageBlueprint } from '@backstage/frontend-plugin-api';
import SettingsEthernetIcon from '@material-ui/icons/SettingsEthernet';
import { rootRouteRef } from './routes';

/**
 * The org dashboard. The framework draws the page header and, from the
 * title and icon, the sidebar item; the loader renders the content only.
 */
export const meshReadinessPage = PageBlueprint.make({
  params: {
    path: '/mesh-readiness',
    title: 'Mesh readiness',
    icon: <SettingsEthernetIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('../components/OrgDashboardPage').then(m => (
        <Content>
          <m.OrgDashboardContent />
        </Content>
      )),
  },
});
