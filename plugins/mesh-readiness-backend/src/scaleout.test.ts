import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import { meshReadinessPlugin } from './plugin';

jest.setTimeout(120_000);

/*
 * Scale-out runs on Backstage's own machinery: the snapshot is a global
 * task of the real scheduler, whose lock lives in the plugin's database.
 * Two backend instances on one PostgreSQL database must take one snapshot
 * per cadence between them.
 */

function entity(kind: string, name: string, spec: object = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      annotations: { 'mesh-readiness.io/tracing': 'full' },
    },
    spec,
  };
}

const entities: Entity[] = [
  entity('Group', 'team-a', { type: 'team', children: [], members: ['alice'] }),
  entity('User', 'alice', { memberOf: ['team-a'] }),
  ...Array.from({ length: 20 }, (_, i) =>
    entity('Component', `svc-${i}`, {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
    }),
  ),
];

/** Captures the plugin's scheduler so the test can look at its tasks. */
function schedulerProbe() {
  const probe: { scheduler?: SchedulerService } = {};
  const module = createBackendModule({
    pluginId: 'mesh-readiness',
    moduleId: 'scheduler-probe',
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          probe.scheduler = scheduler;
        },
      });
    },
  });
  return { probe, module };
}

async function startInstance(knex: Knex, schedule?: object) {
  const { probe, module } = schedulerProbe();
  const backend = await startTestBackend({
    features: [
      meshReadinessPlugin,
      module,
      schedulerServiceFactory,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: schedule ? { meshReadiness: { schedule } } : {},
      }),
    ],
  });
  return { backend, scheduler: probe.scheduler! };
}

async function snapshotTimes(knex: Knex): Promise<number[]> {
  const rows = await knex('snapshots').select('taken_at').orderBy('id');
  return rows.map(r => new Date(r.taken_at).getTime());
}

describe('snapshot task on the real scheduler', () => {
  const sqlite = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });

  it('is a global task with the default 30-minute cadence', async () => {
    const knex = await sqlite.init('SQLITE_3');
    const { backend, scheduler } = await startInstance(knex);
    try {
      const tasks = await scheduler.getScheduledTasks();
      expect(tasks).toEqual([
        expect.objectContaining({
          id: 'mesh-readiness-snapshot',
          scope: 'global',
          settings: expect.objectContaining({ cadence: 'PT30M' }),
        }),
      ]);
    } finally {
      await backend.stop();
    }
  });
});

// PostgreSQL where it is configured (CI sets
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING); no cases otherwise.
const postgres = TestDatabases.create({
  ids: ['POSTGRES_15'],
  disableDocker: true,
});

for (const [id] of postgres.eachSupportedId()) {
  describe(`two backend instances on one database (${id})`, () => {
    it('take one snapshot per cadence between them', async () => {
      const knexA = await postgres.init(id);
      // A second, independent connection pool to the same database.
      const knexB = knexFactory({
        client: knexA.client.config.client,
        connection: knexA.client.config.connection,
        pool: { min: 0, max: 5 },
      });
      const cadenceMs = 3000;
      const schedule = {
        frequency: { seconds: cadenceMs / 1000 },
        timeout: { minutes: 1 },
      };
      // One after the other: two first starts at once on an empty database
      // race to create the scheduler's own migrations table (Backstage's
      // knex migrations, not this plugin's), which fails one of them.
      const started = Date.now();
      const a = await startInstance(knexA, schedule);
      const b = await startInstance(knexB, schedule);
      try {
        // Long enough for several cadences on both instances.
        await new Promise(resolve => setTimeout(resolve, 4 * cadenceMs + 1500));
      } finally {
        await Promise.all([a.backend.stop(), b.backend.stop()]);
      }
      const elapsed = Date.now() - started;
      const times = await snapshotTimes(knexA);
      await knexB.destroy();

      // At most one per cadence window, and the task did keep running.
      expect(times.length).toBeGreaterThanOrEqual(3);
      expect(times.length).toBeLessThanOrEqual(
        Math.floor(elapsed / cadenceMs) + 1,
      );
      for (let i = 1; i < times.length; i++) {
        expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(cadenceMs - 250);
      }
    });
  });
}
