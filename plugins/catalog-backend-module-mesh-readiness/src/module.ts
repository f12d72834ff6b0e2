import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { MeshReadinessAnnotationProcessor } from './MeshReadinessAnnotationProcessor';

/**
 * Validates `mesh-readiness.io/*` annotations during catalog processing and
 * reports each problem on the entity.
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
        logger: coreServices.logger,
      },
      async init({ catalog }) {
        catalog.addProcessor(new MeshReadinessAnnotationProcessor());
      },
    });
  },
});
