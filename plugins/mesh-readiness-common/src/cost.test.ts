import { resolveConfig } from './config';
import { CostInputs, estimateCost } from './cost';
import { evaluateCatalog } from './engine';
import { cluster, component } from './__testUtils__/entities';

const inputs: CostInputs = {
  pods: 500,
  peakRps: 10_000,
  nodes: 10,
  waypoints: 2,
  l7PeakRps: 2_000,
  ciliumIsCni: false,
  servicesMissingInputs: 0,
};

const MB = 1e6 / 1048576;

function byMesh(i: CostInputs, config = resolveConfig()) {
  return Object.fromEntries(estimateCost(i, config).map(e => [e.mesh, e]));
}

describe('estimateCost', () => {
  const cost = byMesh(inputs);

  it('Istio sidecars: 500 pods × 60 MB ≈ 30 GB; 0.20 vCPU per 1000 rps per proxy, two proxies', () => {
    expect(cost['istio-sidecar'].memoryMiB).toBeCloseTo(500 * 60 * MB, 0);
    expect(cost['istio-sidecar'].formula).toMatch(/500 pods × 60 MB = 30 GB/);
    expect(cost['istio-sidecar'].vcpu).toBeCloseTo(10 * 0.2 * 2, 5);
  });

  it('Linkerd: 26 MB per proxy, flagged as a vendor figure', () => {
    expect(cost.linkerd.memoryMiB).toBeCloseTo(500 * 26 * MB, 0);
    expect(cost.linkerd.formula).toMatch(/13 GB \(vendor benchmark\)/);
    expect(cost.linkerd.figures[0].name).toMatch(/vendor benchmark/);
    expect(cost.linkerd.figures[0].source.url).toMatch(
      /linkerd\.io\/2021\/11\/29/,
    );
  });

  it('Istio ambient: ztunnel per node plus waypoints', () => {
    expect(cost['istio-ambient'].memoryMiB).toBeCloseTo(
      (10 * 12 + 2 * 60) * MB,
      0,
    );
    expect(cost['istio-ambient'].vcpu).toBeCloseTo(10 * 0.06 * 2 + 2 * 0.25, 5);
  });

  it('Cilium: agent per node plus per-pod memory; ≈ 0 when already the CNI', () => {
    expect(cost.cilium.memoryMiB).toBeCloseTo(
      10 * (438 + (10.5 * 500) / 1024),
      0,
    );
    const already = byMesh({ ...inputs, ciliumIsCni: true });
    expect(already.cilium.memoryMiB).toBe(0);
    expect(already.cilium.vcpu).toBe(0);
    expect(already.cilium.formula).toMatch(/marginal cost ≈ 0/);
  });

  it('Cilium: only nodes of clusters without Cilium as the CNI count', () => {
    const partly = byMesh({ ...inputs, nodesWithoutCilium: 4 });
    expect(partly.cilium.memoryMiB).toBeCloseTo(
      4 * (438 + (10.5 * 500) / 1024),
      0,
    );
    expect(partly.cilium.formula).toMatch(/6 nodes already run Cilium/);
  });

  it('no mesh costs nothing', () => {
    expect(cost.none).toMatchObject({ memoryMiB: 0, vcpu: 0 });
  });

  it('takes its figures from the configuration', () => {
    const c = byMesh(
      inputs,
      resolveConfig({ cost: { istioSidecarMemoryMB: 100, proxyHops: 1 } }),
    );
    expect(c['istio-sidecar'].memoryMiB).toBeCloseTo(500 * 100 * MB, 0);
    expect(c['istio-sidecar'].vcpu).toBeCloseTo(10 * 0.2, 5);
    expect(c['istio-sidecar'].figures.find(f => f.unit === 'MB')?.value).toBe(
      100,
    );
  });

  it('gives every figure a source and reports the inputs', () => {
    for (const e of estimateCost(inputs, resolveConfig())) {
      expect(e.inputs).toEqual({ pods: 500, peakRps: 10_000, nodes: 10 });
      for (const f of e.figures) {
        expect(f.source.url).toMatch(/^https:\/\//);
      }
    }
  });

  it('is computed from replicas, peak rps and nodes of the catalog', () => {
    const { org } = evaluateCatalog([
      cluster('prod', { 'mesh-readiness.io/nodes': '4' }),
      component(
        'a',
        {
          'mesh-readiness.io/replicas': '3',
          'mesh-readiness.io/peak-rps': '500',
        },
        { dependsOn: ['resource:default/prod'] },
      ),
      component(
        'b',
        { 'mesh-readiness.io/replicas': '2' },
        { dependsOn: ['resource:default/prod'] },
      ),
    ]);
    const sidecar = org.cost.find(c => c.mesh === 'istio-sidecar')!;
    expect(sidecar.inputs).toEqual({ pods: 5, peakRps: 500, nodes: 4 });
    expect(sidecar.servicesMissingInputs).toBe(1);
  });
});
