/*
 * `yarn start` in this folder: the plugin alone in a development app, on
 * the fixtures the tests use, so the dashboard can be worked on without a
 * backend. Open http://localhost:3000/mesh-readiness (the catalog pages,
 * which the dashboard links to, need a backend). To run it against the
 * real backend instead, run `yarn start` at the repository root.
 */
import '@backstage/cli/asset-types';
import { createApp } from '@backstage/frontend-defaults';
import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import ReactDOM from 'react-dom/client';
import meshReadinessPlugin from '../src/alpha';
import { meshReadinessApiRef } from '../src/api';
import { fixtureApi } from './fixtureApi';

const fixtures = createFrontendModule({
  pluginId: 'mesh-readiness',
  extensions: [
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: meshReadinessApiRef,
          deps: {},
          factory: () => fixtureApi(),
        }),
    }),
  ],
});

// The catalog gives the entity links of the dashboard their target.
const app = createApp({
  features: [catalogPlugin, meshReadinessPlugin, fixtures],
});

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
