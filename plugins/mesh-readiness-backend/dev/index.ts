/*
 * `yarn start` in this folder: the plugin in a minimal backend on port
 * 7007, with the real catalog on the demo organisation in examples/ (the
 * repository's app-config.yaml), mocked auth and permissions off
 * (dev/app-config.yaml), so the API answers without a token:
 *
 *   curl http://localhost:7007/api/mesh-readiness/summary
 *   curl 'http://localhost:7007/api/mesh-readiness/services?sort=-score'
 *   curl http://localhost:7007/api/mesh-readiness/entities/component/default/payments-service
 *
 * The catalog needs a few seconds to read the examples: a snapshot taken
 * before that is empty, and `curl -X POST .../api/mesh-readiness/refresh`
 * takes a new one. `yarn start` in plugins/mesh-readiness serves the
 * frontend; `yarn start` at the repository root runs the demo app.
 */
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('../src'));

backend.start();
