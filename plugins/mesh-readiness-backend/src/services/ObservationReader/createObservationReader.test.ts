import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  ManifestObservation,
  ObservedWorkload,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { ManifestReader } from '../ManifestReader/createManifestReader';
import {
  createObservationReader,
  mergeObservations,
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

  it('is the manifest reader itself without sources', () => {
    const manifests = manifestsOf(new Map());
    expect(
      createObservationReader({
        manifests,
        sources: [],
        logger: mockServices.logger.mock(),
      }),
    ).toBe(manifests);
  });
});
