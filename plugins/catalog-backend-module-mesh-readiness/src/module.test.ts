import {
  createBackendModule,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogProcessingExtensionPoint,
  processingResult,
} from '@backstage/plugin-catalog-node';
import path from 'node:path';
import { catalogModuleMeshReadiness } from './module';

jest.setTimeout(90_000);

const demoCatalog = path.resolve(__dirname, '../../../examples/all.yaml');

function catalogConfig(target: string) {
  return {
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
          ],
        },
      ],
      locations: [{ type: 'file', target }],
    },
  };
}

async function get(base: string, urlPath: string) {
  const res = await fetch(`${base}${urlPath}`, {
    headers: { Authorization: mockCredentials.user.header() },
  });
  return { status: res.status, body: res.ok ? await res.json() : undefined };
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function start(features: any[]) {
  const backend = await startTestBackend({ features });
  const address = backend.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { backend, base: `http://localhost:${port}/api/catalog` };
}

describe('catalogModuleMeshReadiness on the real catalog', () => {
  it('shows annotation problems on the entity and still serves it', async () => {
    const { backend, base } = await start([
      catalogPlugin,
      catalogModuleMeshReadiness,
      mockServices.rootConfig.factory({ data: catalogConfig(demoCatalog) }),
    ]);
    try {
      // recommendations declares `ports: 8080/grcp`.
      const entity = await waitFor(
        'recommendations with its status',
        async () => {
          const res = await get(
            base,
            '/entities/by-name/component/default/recommendations',
          );
          return res.body?.status?.items?.length ? res.body : undefined;
        },
      );
      expect(entity.metadata.name).toBe('recommendations');
      expect(entity.spec.owner).toBeDefined();
      const items = entity.status.items;
      expect(items).toEqual([
        expect.objectContaining({
          type: 'backstage.io/catalog-processing',
          level: 'error',
          error: expect.objectContaining({
            name: 'MeshReadinessAnnotationError',
            message: expect.stringMatching(
              /mesh-readiness\.io\/ports.*grcp.*grpc/s,
            ),
          }),
        }),
      ]);

      // The misspelled key and the bad waivers are reported too.
      for (const [name, pattern] of [
        ['reviews-service', /mesh-readiness\.io\/timeout\b/],
        ['label-printer', /2026-02-30/],
        ['product-catalog', /tracing/],
      ] as const) {
        const other = await waitFor(name, async () => {
          const res = await get(
            base,
            `/entities/by-name/component/default/${name}`,
          );
          return res.body?.status?.items?.length ? res.body : undefined;
        });
        expect(
          other.status.items.map((i: any) => i.error.message).join('\n'),
        ).toMatch(pattern);
      }

      // A well-annotated entity carries no status.
      const good = await get(
        base,
        '/entities/by-name/component/default/payment-gateway',
      );
      expect(good.status).toBe(200);
      expect(good.body.status).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });

  it('is needed because an emitted inputError keeps the entity out of the catalog', async () => {
    const dir = createMockDirectory();
    dir.setContent({
      'catalog.yaml': [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: blocked-by-input-error',
        'spec: { type: service, lifecycle: production, owner: team-a }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: witness',
        'spec: { type: service, lifecycle: production, owner: team-a }',
      ].join('\n'),
    });
    // A processor that reports its finding the tempting way.
    const emitsInputError = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'emits-input-error',
      register(env) {
        env.registerInit({
          deps: {
            catalog: catalogProcessingExtensionPoint,
            logger: coreServices.logger,
          },
          async init({ catalog }) {
            catalog.addProcessor({
              getProcessorName: () => 'EmitsInputError',
              async postProcessEntity(entity, location, emit) {
                if (entity.metadata.name === 'blocked-by-input-error') {
                  emit(processingResult.inputError(location, 'bad annotation'));
                }
                return entity;
              },
            });
          },
        });
      },
    });
    const { backend, base } = await start([
      catalogPlugin,
      emitsInputError,
      mockServices.rootConfig.factory({
        data: catalogConfig(dir.resolve('catalog.yaml')),
      }),
    ]);
    try {
      await waitFor('the witness entity', async () => {
        const res = await get(
          base,
          '/entities/by-name/component/default/witness',
        );
        return res.status === 200 ? true : undefined;
      });
      // Give the blocked one the same chance, then check it never appeared.
      await new Promise(resolve => setTimeout(resolve, 1500));
      const blocked = await get(
        base,
        '/entities/by-name/component/default/blocked-by-input-error',
      );
      expect(blocked.status).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});
