import { mockServices } from '@backstage/backend-test-utils';
import type { ManifestObservation } from '@mesh-readiness/plugin-mesh-readiness-common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKubernetesFactSource } from './createKubernetesFactSource';
import { DEFAULT_OPTIONS } from './options';

const NOW = new Date('2026-12-14T12:00:00.000Z');
const REF = 'component:default/cartservice';
const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cartservice',
    annotations: { 'backstage.io/kubernetes-id': 'cartservice' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

function seenAgo(minutes: number): ManifestObservation {
  const at = new Date(NOW.getTime() - minutes * 60_000).toISOString();
  return {
    locations: ['cluster local'],
    files: 0,
    workloads: [
      {
        kind: 'Deployment',
        name: 'cartservice',
        namespace: 'shop',
        source: {
          kind: 'manifest',
          label: 'Deployment shop/cartservice, cluster local',
          cluster: 'local',
          observedAt: at,
        },
        matchedBy: 'backstage.io/kubernetes-id',
        podLabels: {},
        podAnnotations: {},
        containers: [],
        containerPorts: [],
        services: [],
        servicePorts: [],
        probes: [],
      },
    ],
    problems: [],
    observedAt: at,
  };
}

/*
 * The Kubernetes backend is outside what is tested here: a local server
 * stands in for it, answering 503 as it does when its cluster is down.
 */
describe('createKubernetesFactSource when the cluster does not answer', () => {
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.statusCode = 503;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ error: { message: 'cluster unreachable' } }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  function source(maxAgeMinutes: number) {
    return createKubernetesFactSource({
      discovery: { getBaseUrl: async () => baseUrl } as any,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      config: { ...DEFAULT_OPTIONS, maxAgeMinutes },
      now: () => NOW,
    });
  }

  it('uses the last facts, stale, with their age, while they are younger than maxAgeMinutes', async () => {
    const previous = seenAgo(30);
    const out = await source(120).observe([entity], {
      previous: new Map([[REF, previous]]),
    });
    const observation = out.get(REF)!;
    expect(observation.stale).toBe(true);
    expect(observation.observedAt).toBe(previous.observedAt);
    expect(observation.workloads).toEqual(previous.workloads);
    expect(observation.problems.map(p => p.message)).toEqual([
      expect.stringContaining('answered 503 (cluster unreachable)'),
      `The facts observed 30 minute(s) ago (${previous.observedAt}) are used, stale, until the cluster answers (meshReadiness.kubernetes.maxAgeMinutes: 120).`,
    ]);
  });

  it('drops facts older than maxAgeMinutes: unknown, with the reason', async () => {
    const previous = seenAgo(180);
    const out = await source(120).observe([entity], {
      previous: new Map([[REF, previous]]),
    });
    const observation = out.get(REF)!;
    expect(observation.workloads).toEqual([]);
    expect(observation.stale).toBeUndefined();
    expect(observation.problems.map(p => p.message)).toEqual([
      expect.stringContaining('answered 503'),
      `The facts last observed at ${previous.observedAt} are older than meshReadiness.kubernetes.maxAgeMinutes (120) and are not used.`,
    ]);
  });

  it('describes no cluster when the clusters cannot be listed', async () => {
    expect(await source(120).observeClusters!()).toEqual([]);
  });
});
