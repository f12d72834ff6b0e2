import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The org dashboard. */
export const rootRouteRef = createRouteRef();
