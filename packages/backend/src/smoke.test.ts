import path from 'node:path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import meshReadinessPlugin from '@mesh-readiness/plugin-mesh-readiness-backend';
import catalogModuleMeshReadiness from '@mesh-readiness/plugin-catalog-backend-module-mesh-readiness';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const demoCatalog = path.resolve(__dirname, '../../../examples/all.yaml');

/*
 * Boots the real catalog backend with our plugin and catalog module on the
 * demo organisation in examples/, as `yarn start` does.
 */
describe('demo backend', () => {
  it('serves the demo catalog and the mesh-readiness health endpoint', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        catalogModuleMeshReadiness,
        mockServices.rootConfig.factory({
          data: {
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
              locations: [{ type: 'file', target: demoCatalog }],
            },
          },
        }),
      ],
    });

    const health = await request(server).get('/api/mesh-readiness/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });

    // The catalog processes the demo files in the background; wait for them.
    let components: Array<{ metadata: { name: string } }> = [];
    for (let attempt = 0; attempt < 100; attempt++) {
      const res = await request(server)
        .get('/api/catalog/entities?filter=kind=component')
        .set('Authorization', mockCredentials.user.header());
      components = res.body;
      if (components.length >= 40) break;
      await new Promise(resolve => setTimeout(resolve, 300));
    }
    expect(components.length).toBeGreaterThanOrEqual(40);

    const groups = await request(server)
      .get('/api/catalog/entities?filter=kind=group')
      .set('Authorization', mockCredentials.user.header());
    expect(groups.body.length).toBeGreaterThanOrEqual(6);
  });
});
