import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../../routes';
import { MyServicesCardContent } from './MyServicesCard';

/**
 * The card's body in the classic frontend system, linking to the dashboard
 * where the app mounted `MeshReadinessPage`.
 */
export const ClassicMyServicesCardContent = (props: { limit?: number }) => {
  const dashboard = useRouteRef(rootRouteRef);
  return (
    <MyServicesCardContent dashboardPath={dashboard()} limit={props.limit} />
  );
};
