import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  ManifestObservation,
  ObservedCluster,
  ObservedWorkload,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { MeshReadinessFactSource } from '@mesh-readiness/plugin-mesh-readiness-node';
import { DatabaseSnapshotStore } from '../../database/DatabaseSnapshotStore';
import type { ManifestReader } from '../ManifestReader/createManifestReader';
import {
  createObservationReader,
  mergeObservations,
  withStale,
} from './createObservationReader';

const REF = 'component:default/checkout';
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

function workload(name: string, label: string): ObservedWorkload {
  return {
    kind: 'Deployment',
    name,
    source: { kind: 'manifest', label },
    matchedBy: 'name',
    podLabels: {},
    podAnnotations: {},
    containers: [],
    containerPorts: [],
    services: [],
    servicePorts: [],
    probes: [],
  };
}

const written: ManifestObservation = {
  locations: ['./deploy/'],
  files: 2,
  workloads: [workload('checkout', 'Deployment checkout, deploy/a.yaml:1')],
  problems: [{ file: 'deploy/b.yaml', message: 'does not parse' }],
};
const running: ManifestObservation = {
  locations: ['cluster prod'],
  files: 0,
  workloads: [workload('checkout', 'Deployment checkout, cluster prod')],
  problems: [],
};
const unanswered: ManifestObservation = {
  locations: ['cluster prod'],
  files: 0,
  workloads: [],
  problems: [{ file: 'cluster prod', message: 'timed out' }],
};

function manifestsOf(
  observations: Map<string, ManifestObservation>,
): ManifestReader {
  return {
    session: () => ({
      observe: async () => observations,
      stats: () => ({ entities: 0, locations: 0, problems: 0 }),
    }),
  };
}

describe('mergeObservations', () => {
  it('scores the running workloads over the written ones and keeps both locations and problems', () => {
    expect(mergeObservations([running, written])).toEqual({
      locations: ['cluster prod', './deploy/'],
      files: 2,
      workloads: running.workloads,
      problems: written.problems,
      // Kept so that the drift check can compare what runs with what is written.
      written: written.workloads,
    });
  });

  it('falls back to the manifests when the cluster observed nothing, with its reason', () => {
    const merged = mergeObservations([unanswered, written]);
    expect(merged?.workloads).toBe(written.workloads);
    expect(merged?.problems.map(p => p.message)).toEqual([
      'timed out',
      'does not parse',
    ]);
  });

  it('passes a lone observation through', () => {
    expect(mergeObservations([undefined, written])).toBe(written);
    expect(mergeObservations([undefined, undefined])).toBeUndefined();
  });
});

jest.setTimeout(60_000);

describe('withStale', () => {
  const read: ObservedCluster = {
    name: 'prod',
    kubernetesVersion: '1.33',
    nodes: 3,
    meshes: ['linkerd'],
    source: {
      kind: 'manifest',
      label: 'cluster prod',
      cluster: 'prod',
      observedAt: '2026-12-14T10:00:00.000Z',
    },
    problems: [],
  };
  const silent: ObservedCluster = {
    name: 'prod',
    meshes: [],
    source: { ...read.source, observedAt: '2026-12-14T11:00:00.000Z' },
    problems: [
      'The Kubernetes version could not be read: did not answer in time.',
    ],
  };

  it('keeps the last figures of a cluster that answered nothing, stale, with why and when they were read', () => {
    expect(withStale([silent], [read])).toEqual([
      { ...read, problems: silent.problems, stale: true },
    ]);
  });

  it('keeps the last clusters when none could be listed, and takes fresh figures as they come', () => {
    expect(withStale([], [read])).toEqual([{ ...read, stale: true }]);
    const fresh = { ...read, kubernetesVersion: '1.34' };
    expect(withStale([fresh], [read])).toEqual([fresh]);
    expect(withStale([silent], [])).toEqual([silent]);
  });
});

describe('createObservationReader', () => {
  it('merges each source with the manifests, and a throwing source observes nothing', async () => {
    const logger = mockServices.logger.mock();
    const reader = createObservationReader({
      manifests: manifestsOf(new Map([[REF, written]])),
      sources: [
        {
          id: 'broken',
          observe: async () => {
            throw new Error('boom');
          },
        },
        { id: 'cluster', observe: async () => new Map([[REF, running]]) },
      ],
      logger,
    });
    const observed = await reader.session().observe([entity]);
    expect(observed.get(REF)?.workloads).toBe(running.workloads);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Fact source broken failed'),
    );
  });

  it('reads the manifests alone without sources', async () => {
    const reader = createObservationReader({
      manifests: manifestsOf(new Map([[REF, written]])),
      sources: [],
      logger: mockServices.logger.mock(),
    });
    expect((await reader.session().observe([entity])).get(REF)).toBe(written);
    expect(await reader.session().clusters()).toEqual([]);
  });
});

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

describe.each(databases.eachSupportedId())(
  'createObservationReader with its store (%s)',
  id => {
    const cluster: ObservedCluster = {
      name: 'prod',
      kubernetesVersion: '1.33',
      nodes: 3,
      meshes: [],
      source: { kind: 'manifest', label: 'cluster prod', cluster: 'prod' },
      problems: [],
    };

    it('asks sources during snapshots only, and a restarted backend still has their answers', async () => {
      const knex = await databases.init(id);
      const database = mockServices.database({ knex });
      const asked: Array<ReadonlyMap<string, ManifestObservation>> = [];
      let answer = running;
      const source: MeshReadinessFactSource = {
        id: 'cluster',
        observe: async (_entities, { previous }) => {
          asked.push(previous);
          return new Map([[REF, answer]]);
        },
        observeClusters: async () => [cluster],
      };
      const readerOn = async () =>
        createObservationReader({
          manifests: manifestsOf(new Map([[REF, written]])),
          sources: [source],
          store: await DatabaseSnapshotStore.create({ database }),
          logger: mockServices.logger.mock(),
        });

      const first = await readerOn();
      // An entity request before any snapshot: nothing stored, nothing asked.
      expect(
        (await first.session().observe([entity])).get(REF)?.workloads,
      ).toBe(written.workloads);
      expect(asked).toHaveLength(0);

      const snapshot = first.session({ ask: true });
      await snapshot.observe([entity]);
      expect(await snapshot.clusters()).toEqual([cluster]);
      expect(asked).toEqual([new Map()]);

      // "Restarted": a new reader over the same database.
      const second = await readerOn();
      const request = second.session();
      expect((await request.observe([entity])).get(REF)?.workloads).toEqual(
        running.workloads,
      );
      expect(await request.clusters()).toEqual([cluster]);
      expect(asked).toHaveLength(1);

      // The next snapshot hands the source what it answered last.
      answer = unanswered;
      await second.session({ ask: true }).observe([entity]);
      expect(asked[1]).toEqual(new Map([[REF, running]]));
      // An answer without workloads is stored, but not handed back.
      await second.session({ ask: true }).observe([entity]);
      expect(asked[2]).toEqual(new Map());
    });
  },
);
