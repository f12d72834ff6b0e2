/*
 * The Mesh Readiness demo backend: the catalog on the demo organisation in
 * examples/, guest sign-in, allow-all permissions, Backstage's Kubernetes
 * backend (reading the demo cluster, `yarn demo:cluster`), the Mesh
 * Readiness backend plugin with its catalog and Kubernetes modules, and
 * Backstage's MCP actions backend, which serves the plugin's actions to AI
 * assistants at /api/mcp-actions/v1.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Notifications in the app; Mesh Readiness notifies the owners of services.
backend.add(import('@backstage/plugin-notifications-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

backend.add(import('@mesh-readiness/plugin-mesh-readiness-backend'));
backend.add(
  import('@mesh-readiness/plugin-catalog-backend-module-mesh-readiness'),
);
backend.add(
  import('@mesh-readiness/plugin-mesh-readiness-backend-module-kubernetes'),
);

backend.start();
