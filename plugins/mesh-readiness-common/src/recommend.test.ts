import type { Entity } from '@backstage/catalog-model';
import { MeshReadinessConfig, resolveConfig } from './config';
import { buildCatalogContext } from './context';
import { computeOrgFacts, scopeOf } from './facts';
import { recommendMesh } from './recommend';
import type { MeshOption } from './types';
import { cluster, component, READY } from './__testUtils__/entities';

const P = 'mesh-readiness.io/';

function clusterWith(over: Record<string, string> = {}) {
  return cluster('prod', {
    [`${P}cni`]: 'calico',
    [`${P}kernel-version`]: '6.1',
    // Inside both default windows: Istio 1.31 (1.32–1.36) and Linkerd 2.20 (1.29–1.35).
    [`${P}kubernetes-version`]: '1.32',
    [`${P}nodes`]: '10',
    ...over,
  });
}

function svc(
  name: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
) {
  return component(
    name,
    { ...READY, ...annotations },
    { dependsOn: ['resource:default/prod'], ...spec },
  );
}

function recommend(
  entities: Entity[],
  config: MeshReadinessConfig = {},
  need: 'pass' | 'fail' | undefined = 'pass',
) {
  const cfg = resolveConfig(config);
  const context = buildCatalogContext(entities);
  const workloads = entities.filter(
    e => scopeOf(e, context.annotationsOf(e).values, cfg).inScope,
  );
  const facts = computeOrgFacts(workloads, context);
  return recommendMesh(
    facts,
    cfg,
    need ? { status: need, message: `need ${need}` } : undefined,
  );
}

const identity = { [`${P}mtls-requirement`]: 'workload-identity' };
const encryption = { [`${P}mtls-requirement`]: 'encryption' };

describe('recommendMesh', () => {
  it.each<[string, Entity[], MeshOption, RegExp, MeshReadinessConfig]>([
    [
      'no declared need → none',
      [clusterWith(), svc('a', {})],
      'none',
      /least complex option/,
      {},
    ],
    [
      'encryption only, Cilium already the CNI → cilium',
      [clusterWith({ [`${P}cni`]: 'cilium' }), svc('a', encryption)],
      'cilium',
      /WireGuard or IPsec/,
      {},
    ],
    [
      'encryption only, another CNI → linkerd',
      [clusterWith(), svc('a', encryption)],
      'linkerd',
      /Cilium is not the CNI of prod \(calico\)/,
      {},
    ],
    [
      'workload identity rules Cilium out even as the CNI',
      [clusterWith({ [`${P}cni`]: 'cilium' }), svc('a', identity)],
      'linkerd',
      /deprecated as of v1.20/,
      {},
    ],
    [
      'need mtls without a requirement counts as workload identity',
      [
        clusterWith({ [`${P}cni`]: 'cilium' }),
        svc('a', { [`${P}needs`]: 'mtls' }),
      ],
      'linkerd',
      /require workload-identity mTLS/,
      {},
    ],
    [
      'canary is served by Linkerd routes',
      [
        clusterWith({ [`${P}cni`]: 'cilium' }),
        svc('a', { [`${P}needs`]: 'canary' }),
      ],
      'linkerd',
      /GAMMA producer routes/,
      {},
    ],
    [
      'fault-injection rules Cilium out',
      [
        clusterWith({ [`${P}cni`]: 'cilium' }),
        svc('a', { [`${P}needs`]: 'fault-injection' }),
      ],
      'linkerd',
      /fault-injection/,
      {},
    ],
    [
      'Kubernetes outside the Linkerd window → istio-ambient',
      [clusterWith({ [`${P}kubernetes-version`]: '1.36' }), svc('a', identity)],
      'istio-ambient',
      /outside that window: prod \(1.36\)/,
      {},
    ],
    [
      'old kernel rules Cilium out',
      [
        clusterWith({ [`${P}cni`]: 'cilium', [`${P}kernel-version`]: '4.19' }),
        svc('a', encryption),
      ],
      'linkerd',
      /Cilium needs Linux 5.10\+; prod runs 4.19/,
      {},
    ],
    [
      'Jobs without native sidecars rule sidecar meshes out',
      [
        clusterWith({ [`${P}kubernetes-version`]: '1.28' }),
        svc('a', identity),
        svc('job', identity, { type: 'job' }),
      ],
      'istio-ambient',
      /finish normally/,
      { versions: { istio: { min: '1.27', max: '1.33' } } },
    ],
  ])('%s', (_name, entities, mesh, reason, config) => {
    const r = recommend(entities, config);
    expect(r.mesh).toBe(mesh);
    expect(r.reasons.join('\n')).toMatch(reason);
    expect(r.alternatives).toHaveLength(5);
    expect(r.alternatives[0].mesh).toBe(mesh);
  });

  it('ranks fitting options first by complexity, then the rest by unmet constraints', () => {
    const r = recommend([clusterWith(), svc('a', identity)]);
    const fits = r.alternatives.filter(a => a.fits);
    expect(fits.map(a => a.mesh)).toEqual([
      'linkerd',
      'istio-ambient',
      'istio-sidecar',
    ]);
    expect(r.alternatives.slice(0, 3).every(a => a.fits)).toBe(true);
    expect(r.alternatives.slice(3).every(a => !a.fits)).toBe(true);
    for (const a of r.alternatives) {
      expect(a.complexity).toBe(
        ['none', 'cilium', 'linkerd', 'istio-ambient', 'istio-sidecar'].indexOf(
          a.mesh,
        ),
      );
    }
  });

  it('cites a source for every option that gives a reason', () => {
    const r = recommend([
      clusterWith({ [`${P}cni`]: 'cilium' }),
      svc('a', { ...identity, [`${P}needs`]: 'canary, observability' }),
    ]);
    for (const a of r.alternatives.filter(x => x.mesh !== 'none')) {
      expect(a.sources.length).toBeGreaterThan(0);
    }
    expect(r.sources.length).toBeGreaterThan(0);
  });

  it('recommends none while the genuine-need gate has not passed, naming the best option', () => {
    const r = recommend([clusterWith(), svc('a', identity)], {}, 'fail');
    expect(r.mesh).toBe('none');
    expect(r.reasons[0]).toMatch(/genuine-need gate is 'fail'. need fail/);
    expect(r.reasons[1]).toMatch(/Linkerd/);
  });

  it('picks the option missing the fewest constraints when none fits', () => {
    const r = recommend([
      clusterWith({
        [`${P}kubernetes-version`]: '1.40',
        [`${P}cni`]: 'cilium',
      }),
      svc('a', identity),
    ]);
    expect(r.alternatives.every(a => !a.fits)).toBe(true);
    expect(r.reasons[0]).toMatch(/No option meets every constraint/);
  });

  it('caveats UDP, server-first ports, Istio default retries and unknown cluster facts', () => {
    const r = recommend([
      cluster('prod'),
      svc('a', { ...identity, [`${P}ports`]: '514/udp, 4222/nats' }),
    ]);
    const all = r.alternatives.flatMap(a => a.caveats).join('\n');
    expect(all).toMatch(/UDP ports/);
    expect(all).toMatch(/server-first protocols/);
    expect(all).toMatch(/Istio retries by default/);
    expect(all).toMatch(/version of 1 cluster is unknown/);
  });
});
