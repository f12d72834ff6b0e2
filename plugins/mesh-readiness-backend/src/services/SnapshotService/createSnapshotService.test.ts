import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  buildCatalogContext,
  evaluateCatalog,
  orgVerdict,
  resolveConfig,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { DatabaseSnapshotStore } from '../../database/DatabaseSnapshotStore';
import { MODEL_KINDS } from '../CatalogReader/createCatalogReader';
import type { CatalogReader } from '../CatalogReader/types';
import type { SnapshotRecord } from '../../database/types';
import { createReadinessModel } from '../ReadinessModel/createReadinessModel';
import { createSnapshotService } from './createSnapshotService';

const P = 'mesh-readiness.io/';
const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

function group(name: string, spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], ...spec },
  };
}

function component(
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/** team-b runs a PCI service that needs workload identity; team-a does not. */
function catalog(): Entity[] {
  return [
    group('team-a', { members: ['user:default/ann'] }),
    group('team-b', { members: ['user:default/bo'] }),
    component('shop', 'group:default/team-a', { [`${P}tracing`]: 'full' }),
    component('payments', 'group:default/team-b', {
      [`${P}compliance`]: 'pci',
      [`${P}mtls-requirement`]: 'workload-identity',
      [`${P}tracing`]: 'none',
    }),
  ];
}

/** A Component whose spec cannot be read: the engine reports it broken. */
function broken(): Entity {
  const entity: any = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'haunted', namespace: 'default' },
  };
  Object.defineProperty(entity, 'spec', {
    enumerable: true,
    get() {
      throw new Error('spec is haunted');
    },
  });
  return entity;
}

/**
 * A catalog reader over a list, as the real one pages: by kind, one
 * entity a page, each page handed to `onItems` before the next is read.
 */
function readerOf(entities: Entity[], pages: string[][] = []): CatalogReader {
  return {
    async readAll(_credentials, options = {}) {
      const kinds = (options.kinds ?? MODEL_KINDS).map(k => k.toLowerCase());
      const items = entities.filter(e => kinds.includes(e.kind.toLowerCase()));
      for (const item of items) {
        pages.push([item.metadata.name]);
        await options.onItems?.([item]);
      }
      return items;
    },
  } as CatalogReader;
}

describe('createSnapshotService', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const config = resolveConfig({ thresholds: { complianceServices: 1 } });

  async function snapshotOf(entities: Entity[], pages: string[][] = []) {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseSnapshotStore.create({
      database: mockServices.database({ knex }),
    });
    const service = createSnapshotService({
      store,
      reader: readerOf(entities, pages),
      model: createReadinessModel({ config, customChecks: [] }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      retentionMs: 90 * 86_400_000,
    });
    const record = await service.takeSnapshot();
    const history = async (owner: string) =>
      (await store.getHistory({ owner })).map(p => p.verdict);
    return { history, store, record };
  }

  /**
   * Expects a snapshot's org report and rows to be those of the whole
   * catalog scored at once, as the model scores it with custom checks.
   */
  async function expectScoredAtOnce(
    store: DatabaseSnapshotStore,
    record: SnapshotRecord,
    entities: Entity[],
  ) {
    const model = createReadinessModel({ config, customChecks: [] });
    const whole = await model.evaluateCatalog(entities, record.takenAt);
    expect(record.org).toEqual(whole.org);
    const { rows } = await store.listServices(record.id, {
      filter: {},
      sort: 'name',
    });
    expect(rows.map(r => [r.name, r.score, r.level])).toEqual(
      whole.entities
        .filter(r => r.kind === 'Component')
        .map(r => [r.name, r.score, r.level])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  }

  /** The verdict orgVerdict gives over an owner's rows of the catalog. */
  function expected(entities: Entity[], owner: string) {
    const rows = evaluateCatalog(entities, { config, now }).entities;
    return orgVerdict(
      rows.filter(r => r.owner === owner),
      buildCatalogContext(entities, { now }),
      config,
    ).verdict;
  }

  it.each([
    ['from the engine', catalog()],
    ['from the stored rows when an entity broke', [...catalog(), broken()]],
  ])("stores each owner's verdict, %s", async (_how, entities) => {
    const { history } = await snapshotOf(entities);
    const a = expected(entities, 'group:default/team-a');
    const b = expected(entities, 'group:default/team-b');
    // The owners are decided apart, so the comparison can fail.
    expect(a).not.toBe(b);
    expect(await history('group:default/team-a')).toEqual([a]);
    expect(await history('group:default/team-b')).toEqual([b]);
  });

  it('scores the Components page by page after the kinds the checks look up, as evaluateCatalog scores the catalog at once', async () => {
    const entities = [...catalog(), component('cart', 'group:default/team-a')];
    const pages: string[][] = [];
    const { store, record } = await snapshotOf(entities, pages);
    expect(pages).toEqual([
      ['team-a'],
      ['team-b'],
      ['shop'],
      ['payments'],
      ['cart'],
    ]);
    await expectScoredAtOnce(store, record, entities);
  });

  it('scores each snapshot as evaluateCatalog does, when the recommended mesh changes between them and when it stays', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseSnapshotStore.create({
      database: mockServices.database({ knex }),
    });
    let current = catalog();
    const service = createSnapshotService({
      store,
      reader: {
        readAll: (credentials, options) =>
          readerOf(current).readAll(credentials, options),
      } as CatalogReader,
      model: createReadinessModel({ config, customChecks: [] }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      retentionMs: 90 * 86_400_000,
    });
    // Without the PCI service no need remains, so no mesh is recommended.
    const withoutNeed = catalog().filter(e => e.metadata.name !== 'payments');
    const meshes: string[] = [];
    for (const entities of [catalog(), withoutNeed, withoutNeed, catalog()]) {
      current = entities;
      const record = await service.takeSnapshot();
      meshes.push(record.org.recommendation.mesh);
      await expectScoredAtOnce(store, record, entities);
    }
    expect(meshes[0]).not.toBe('none');
    expect(meshes.slice(1)).toEqual(['none', 'none', meshes[0]]);
  });

  it('reports the broken entity instead of taking the snapshot down', () => {
    const options = { config, now, verdictByOwner: true };
    const report = evaluateCatalog([...catalog(), broken()], options);
    // The owners' verdicts are those of the catalog without it.
    expect(report.verdictByOwner).toEqual(
      evaluateCatalog(catalog(), options).verdictByOwner,
    );
    expect(
      report.entities.find(r => r.name === 'haunted')?.problems[0]?.message,
    ).toMatch(/could not be evaluated \(spec is haunted\)/);
  });
});
