import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { meshReadinessFactSourcesExtensionPoint } from '@mesh-readiness/plugin-mesh-readiness-node';
import { createKubernetesFactSource } from './createKubernetesFactSource';
import { readKubernetesFactOptions } from './options';

/**
 * Adds the running cluster as a source of observed facts: each Component's
 * workloads, read through Backstage's Kubernetes backend.
 *
 * @public
 */
export const meshReadinessModuleKubernetes = createBackendModule({
  pluginId: 'mesh-readiness',
  moduleId: 'kubernetes',
  register(env) {
    env.registerInit({
      deps: {
        factSources: meshReadinessFactSourcesExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ factSources, config, discovery, auth, logger }) {
        const options = readKubernetesFactOptions(config);
        if (!options.enabled) {
          logger.info(
            'Kubernetes facts are off (meshReadiness.kubernetes.enabled: false)',
          );
          return;
        }
        factSources.addFactSource(
          createKubernetesFactSource({
            discovery,
            auth,
            logger,
            config: options,
          }),
        );
      },
    });
  },
});
