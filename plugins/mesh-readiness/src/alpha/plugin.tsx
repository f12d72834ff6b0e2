import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import SettingsEthernetIcon from '@material-ui/icons/SettingsEthernet';
import { meshReadinessApi } from './apis';
import { meshReadinessEntityCard } from './entityCards';
import { meshReadinessEntityContent } from './entityContent';
import { meshReadinessMyServicesWidget } from './homePageWidgets';
import { meshReadinessPage } from './pages';
import { rootRouteRef } from './routes';

/**
 * The Mesh Readiness plugin for the new frontend system: the API, the org
 * dashboard page (and its nav item), the entity tab, the entity card and the
 * "My services" widget for the home page.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'mesh-readiness',
  title: 'Mesh readiness',
  icon: <SettingsEthernetIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    meshReadinessApi,
    meshReadinessPage,
    meshReadinessEntityContent,
    meshReadinessEntityCard,
    meshReadinessMyServicesWidget,
  ],
});
