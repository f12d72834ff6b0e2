import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { MeshReadinessAnnotationProcessor } from './MeshReadinessAnnotationProcessor';

/**
 * Validates `mesh-readiness.io/*` annotations during catalog processing and
 * shows each problem on the entity, without keeping it out of the catalog.
 *
 * @public
 */
export const catalogModuleMeshReadiness = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'mesh-readiness',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ catalog }) {
        catalog.addProcessor(new MeshReadinessAnnotationProcessor());
      },
    });
  },
});
