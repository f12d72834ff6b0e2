import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';

/*
 * Before the first snapshot every answer is computed live, from the
 * caller's view of the catalog. Callers that ask at the same time must
 * share one computation rather than each scoring the whole catalog.
 */
describe('live answers before the first snapshot', () => {
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        mockServices.rootConfig.factory({ data: catalogConfig() }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForComponents(server, 46);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    await stop?.();
  });

  it('gives concurrent requests of one caller the same live report', async () => {
    const alice = mockCredentials.user.header('user:default/alice');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(server)
          .get(`${API}/${i % 2 ? 'summary' : 'services'}`)
          .set('Authorization', alice),
      ),
    );
    expect(answers.map(a => a.status)).toEqual(answers.map(() => 200));
    const taken = new Set(answers.map(a => a.body.snapshot.takenAt));
    expect(answers[0].body.snapshot.source).toBe('live');
    expect(taken.size).toBe(1);

    // Another caller gets a report of their own.
    const bob = await request(server)
      .get(`${API}/summary`)
      .set('Authorization', mockCredentials.user.header('user:default/bob'));
    expect(bob.status).toBe(200);
    expect(taken.has(bob.body.snapshot.takenAt)).toBe(false);
  });
});
