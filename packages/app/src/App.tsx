import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import apiDocsPlugin from '@backstage/plugin-api-docs/alpha';
import homePlugin from '@backstage/plugin-home/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import meshReadinessPlugin from '@mesh-readiness/plugin-mesh-readiness/alpha';
import { navModule } from './modules/nav';

export default createApp({
  features: [
    catalogPlugin,
    apiDocsPlugin,
    orgPlugin,
    notificationsPlugin,
    homePlugin,
    meshReadinessPlugin,
    navModule,
  ],
});
