import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ReadinessService } from '../services/ReadinessService/types';
import { registerEntityReadinessAction } from './entityReadiness';
import { registerListChecksAction } from './listChecks';
import { registerOrgReadinessAction } from './orgReadiness';
import { registerRetrySafetyAction } from './retrySafety';
import { registerValidateAnnotationsAction } from './validateAnnotations';

/**
 * Registers the read-only Mesh Readiness actions with Backstage's actions
 * registry, where `@backstage/plugin-mcp-actions-backend` serves them as
 * MCP tools (with `backend.actions.pluginSources: ['mesh-readiness']`).
 * Each action runs with the caller's credentials: the catalog decides what
 * they see, as it does for the REST API.
 */
export function registerMeshReadinessActions(options: {
  actionsRegistry: ActionsRegistryService;
  readiness: ReadinessService;
  catalog: CatalogService;
  maxDefinitionBytes?: number;
}): void {
  const { actionsRegistry, readiness, catalog, maxDefinitionBytes } = options;
  registerEntityReadinessAction(actionsRegistry, { readiness });
  registerOrgReadinessAction(actionsRegistry, { readiness });
  registerListChecksAction(actionsRegistry, { readiness });
  registerRetrySafetyAction(actionsRegistry, {
    readiness,
    catalog,
    maxDefinitionBytes,
  });
  registerValidateAnnotationsAction(actionsRegistry, { readiness });
}
