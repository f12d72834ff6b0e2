import type { Entity } from '@backstage/catalog-model';
import { resolveConfig } from '@mesh-readiness/plugin-mesh-readiness-common';
import { createReadinessModel } from '../ReadinessModel/createReadinessModel';
import { contextEntitiesOf, workloadViewOf } from './createSnapshotService';

const NOW = new Date('2026-06-01T00:00:00Z');

function service(
  name: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      description: `The ${name} service`,
      tags: ['java', 'pci'],
      links: [{ url: `https://runbooks.example.com/${name}` }],
      annotations: {
        'backstage.io/managed-by-location': `url:https://git.example.com/${name}/catalog-info.yaml`,
        'github.com/project-slug': `acme/${name}`,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
      system: 'checkout',
      providesApis: [`${name}-api`],
      dependsOn: ['resource:default/prod-eu'],
      ...spec,
    },
  };
}

const catalog: Entity[] = [
  service('payments', {
    'mesh-readiness.io/ports': '8080/http, 5432/postgres',
    'mesh-readiness.io/tracing': 'full',
    'mesh-readiness.io/mtls-requirement': 'workload-identity',
    'mesh-readiness.io/needs': 'canary, mtls',
    'mesh-readiness.io/replicas': '6',
    'mesh-readiness.io/peak-rps': '900',
  }),
  service(
    'ledger',
    {
      'mesh-readiness.io/ports': '53/udp',
      'mesh-readiness.io/tracing': 'none',
      'mesh-readiness.io/run-as-uid': '1337',
      'mesh-readiness.io/replicas': '2',
    },
    { type: 'job', lifecycle: 'experimental' },
  ),
  service('fraud', {
    'mesh-readiness.io/tracing': 'partial',
    'mesh-readiness.io/needs': 'fault-injection',
    'mesh-readiness.io/pod-security': 'restricted',
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'payments',
      annotations: {
        'mesh-readiness.io/platform-team': 'true',
        'mesh-readiness.io/mesh-engineers': '2',
      },
    },
    spec: { type: 'team', children: [], members: ['ana', 'bo'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'prod-eu',
      annotations: {
        'mesh-readiness.io/cni': 'calico',
        'mesh-readiness.io/kubernetes-version': '1.29',
        'mesh-readiness.io/nodes': '12',
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'platform' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'lab',
      annotations: {
        'mesh-readiness.io/cni': 'cilium',
        'mesh-readiness.io/kubernetes-version': '1.33',
        'mesh-readiness.io/nodes': '3',
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'platform' },
  },
];

describe('workloadViewOf', () => {
  it('keeps what the org model reads: the org result over any subset is the same', async () => {
    const model = createReadinessModel({
      config: resolveConfig({}),
      customChecks: [],
    });
    const report = await model.evaluateCatalog(catalog, NOW);
    const context = contextEntitiesOf(catalog);
    const workloads = catalog.filter(e => e.kind === 'Component');
    const views = workloads.map(workloadViewOf);
    expect(JSON.stringify(views).length).toBeLessThan(
      JSON.stringify(workloads).length * 0.7,
    );

    const rows = report.entities.filter(r => r.kind === 'Component');
    for (const subset of [rows, rows.slice(0, 1), rows.slice(1), []]) {
      const whole = model.aggregate(subset, [...workloads, ...context], NOW);
      const fromViews = model.aggregate(subset, [...views, ...context], NOW);
      expect(fromViews).toEqual(whole);
    }
    // The catalog decides several gates, so the comparison above is not vacuous.
    const org = model.aggregate(rows, [...views, ...context], NOW);
    expect(org.gates.map(g => g.status)).toContain('pass');
    expect(org.cost.length).toBeGreaterThan(0);
  });
});
