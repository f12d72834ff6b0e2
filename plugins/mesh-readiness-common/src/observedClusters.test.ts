/*
 * What a running cluster says about itself (version, nodes, meshes) lays
 * over the cluster Resource's annotations in the org checks and the cost,
 * and reaches the org result with its source.
 */
import { evaluateCatalog } from './engine';
import type { ObservedCluster } from './observed';
import { baseOrg, cluster, component, READY } from './__testUtils__/entities';

const NOW = new Date('2026-06-01T00:00:00Z');

function observed(
  name: string,
  version: string,
  nodes: number,
): ObservedCluster {
  return {
    name,
    kubernetesVersion: version,
    nodes,
    meshes: ['linkerd'],
    source: {
      kind: 'manifest',
      label: `cluster ${name}: /version, /api/v1/nodes, /apis`,
      cluster: name,
      observedAt: '2026-06-01T00:00:00.000Z',
    },
    problems: [],
  };
}

function orgOf(clusters?: ObservedCluster[]) {
  const entities = [
    ...baseOrg().filter(e => e.kind !== 'Resource'),
    cluster('prod', { 'mesh-readiness.io/kubernetes-version': '1.27' }),
    component('checkout', READY),
  ];
  return evaluateCatalog(entities, { now: NOW, clusters }).org;
}

describe('observed clusters', () => {
  it("replace the Resource's declared version and node count, and say so", () => {
    const declared = orgOf();
    const read = orgOf([observed('prod', '1.33', 4)]);
    const check = (org: typeof read) =>
      org.orgChecks?.find(c => c.id === 'kubernetes-version');
    // Declared 1.27 predates native sidecars; the cluster runs 1.33.
    expect(check(declared)?.message).toContain('prod (1.27)');
    expect(check(read)?.message).not.toContain('1.27');
    expect(check(read)?.message).toContain(
      'Read from the running cluster: prod 1.33.',
    );
    expect(read.observedClusters).toEqual([observed('prod', '1.33', 4)]);
    expect(declared.observedClusters).toBeUndefined();
  });

  it('add a cluster the catalog does not hold', () => {
    const org = orgOf([observed('edge', '1.20', 2)]);
    const check = org.orgChecks?.find(c => c.id === 'kubernetes-version');
    expect(check?.message).toContain('edge (1.20, read from the cluster)');
  });
});
