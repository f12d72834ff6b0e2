import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  type CustomCheck,
  meshReadinessPermissions,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  MeshReadinessChecksExtensionPoint,
  meshReadinessChecksExtensionPoint,
  MeshReadinessFactSource,
  MeshReadinessFactSourcesExtensionPoint,
  meshReadinessFactSourcesExtensionPoint,
} from '@mesh-readiness/plugin-mesh-readiness-node';
import { registerMeshReadinessActions } from './actions';
import { DatabaseSnapshotStore } from './database/DatabaseSnapshotStore';
import { readMeshReadinessOptions, SNAPSHOT_TASK_ID } from './options';
import { createRouter } from './router';
import { createCatalogReader } from './services/CatalogReader/createCatalogReader';
import { createManifestReader } from './services/ManifestReader/createManifestReader';
import { createOwnerNotifier } from './services/NotificationService/createOwnerNotifier';
import { readNotificationOptions } from './services/NotificationService/notificationOptions';
import { NotificationStore } from './services/NotificationService/NotificationStore';
import { createObservationReader } from './services/ObservationReader/createObservationReader';
import { createReadinessModel } from './services/ReadinessModel/createReadinessModel';
import { createReadinessService } from './services/ReadinessService/createReadinessService';
import { createRefreshGuard } from './services/RefreshGuard/createRefreshGuard';
import { createSnapshotService } from './services/SnapshotService/createSnapshotService';
import { createVisibilityService } from './services/VisibilityService/createVisibilityService';

class ChecksExtension implements MeshReadinessChecksExtensionPoint {
  readonly checks: CustomCheck[] = [];

  addChecks(...checks: CustomCheck[]): void {
    this.checks.push(...checks.flat());
  }
}

class FactSourcesExtension implements MeshReadinessFactSourcesExtensionPoint {
  readonly sources: MeshReadinessFactSource[] = [];

  addFactSource(...sources: MeshReadinessFactSource[]): void {
    this.sources.push(...sources.flat());
  }
}

/**
 * The Mesh Readiness backend plugin: the REST API at
 * `/api/mesh-readiness`, scheduled org snapshots with history, and the
 * `mesh-readiness.checks` and `mesh-readiness.fact-sources` extension points.
 *
 * @public
 */
export const meshReadinessPlugin = createBackendPlugin({
  pluginId: 'mesh-readiness',
  register(env) {
    const checksExtension = new ChecksExtension();
    env.registerExtensionPoint(
      meshReadinessChecksExtensionPoint,
      checksExtension,
    );
    const factSources = new FactSourcesExtension();
    env.registerExtensionPoint(
      meshReadinessFactSourcesExtensionPoint,
      factSources,
    );

    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        logger: coreServices.logger,
        database: coreServices.database,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        urlReader: coreServices.urlReader,
        // Its default sends to the notifications backend over HTTP; without
        // that backend, sends fail and wait (logged); the plugin runs on.
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        httpRouter,
        httpAuth,
        auth,
        logger,
        database,
        config,
        scheduler,
        catalog,
        urlReader,
        notifications,
        permissions,
        permissionsRegistry,
        actionsRegistry,
      }) {
        const options = readMeshReadinessOptions(config);
        const notificationOptions = readNotificationOptions(config);
        permissionsRegistry.addPermissions(meshReadinessPermissions);
        const model = createReadinessModel({
          config: options.model,
          customChecks: checksExtension.checks,
          maxDefinitionBytes: options.maxDefinitionBytes,
        });
        const store = await DatabaseSnapshotStore.create({ database });
        const reader = createCatalogReader({ catalog });
        // The manifests Components link, merged with what fact sources
        // (the running cluster) observe: the more trusted wins per entity.
        const manifests = createObservationReader({
          manifests: createManifestReader({
            urlReader,
            limits: options.manifests,
            logger,
          }),
          sources: factSources.sources,
          store,
          logger,
        });
        const snapshots = createSnapshotService({
          store,
          reader,
          model,
          auth,
          logger,
          retentionMs: options.retentionMs,
          manifests,
          afterWrite: createOwnerNotifier({
            store: new NotificationStore(await database.getClient()),
            notifications,
            settings: notificationOptions,
            logger,
          }).afterSnapshot,
        });
        const readiness = createReadinessService({
          store,
          reader,
          model,
          snapshots,
          visibility: createVisibilityService({ reader, logger }),
          logger,
          manifests,
        });

        await scheduler.scheduleTask({
          id: SNAPSHOT_TASK_ID,
          ...options.schedule,
          fn: async () => {
            await snapshots.takeSnapshot();
          },
        });

        // Read-only MCP tools (served by @backstage/plugin-mcp-actions-backend).
        registerMeshReadinessActions({
          actionsRegistry,
          readiness,
          catalog,
          maxDefinitionBytes: options.maxDefinitionBytes,
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            readiness,
            refreshGuard: createRefreshGuard({
              permissions,
              limits: options.refresh,
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
