import { useRouteRef } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MY_SERVICES_TITLE } from '../components/MyServicesCard/title';
import { rootRouteRef } from './routes';

/**
 * "My services' mesh readiness" on the home page (`@backstage/plugin-home`):
 * the services of the signed-in user's groups by level, and the
 * lowest-scoring few.
 */
export const meshReadinessMyServicesWidget = HomePageWidgetBlueprint.make({
  name: 'my-services',
  params: {
    name: 'MeshReadinessMyServices',
    title: MY_SERVICES_TITLE,
    description:
      'How ready for a service mesh the services of your groups (and the groups below them) are, and which score lowest',
    layout: {
      width: { minColumns: 4, defaultColumns: 6 },
      height: { minRows: 4, defaultRows: 6 },
    },
    components: () =>
      import('../components/MyServicesCard').then(m => {
        const Content = () => {
          // Undefined while no page of this plugin is installed: no link then.
          const dashboard = useRouteRef(rootRouteRef);
          return <m.MyServicesCardContent dashboardPath={dashboard?.()} />;
        };
        return { Content };
      }),
  },
});
