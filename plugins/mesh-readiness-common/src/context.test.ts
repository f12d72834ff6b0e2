import type { Entity } from '@backstage/catalog-model';
import { buildCatalogContext } from './context';
import { evaluateCatalog } from './engine';

function component(name: string, extra: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...extra },
    spec: {
      type: 'service',
      owner: 'group:default/team',
      lifecycle: 'production',
    },
  };
}

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team' },
  spec: { type: 'team', children: [], members: ['alice'] },
};

describe('buildCatalogContext', () => {
  it('finds every entity by ref, case-insensitively, the first of duplicates winning', () => {
    const first = component('checkout', { title: 'first' });
    const second = component('checkout', { title: 'second' });
    const context = buildCatalogContext([first, group, second]);

    expect(context.getEntity('component:default/checkout')).toBe(first);
    expect(context.getEntity('Component:Default/checkout')).toBe(first);
    expect(context.entities.get('group:default/team')).toBe(group);
    expect(context.entities.size).toBe(2);
    expect([...context.entities.keys()]).toEqual([
      'component:default/checkout',
      'group:default/team',
    ]);
    expect([...context.entities.values()]).toEqual([first, group]);
    expect(context.getEntity('component:default/nowhere')).toBeUndefined();
  });

  it('gives custom checks every entity of the catalog through getEntity', () => {
    const api: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'orders' },
      spec: { type: 'openapi', owner: 'team', lifecycle: 'production' },
    };
    const report = evaluateCatalog([component('orders-service'), api, group], {
      customChecks: [
        {
          definition: {
            id: 'api-registered',
            title: 'Its API is in the catalog',
            category: 'ownership',
            weight: 1,
            gate: false,
            scope: 'entity',
            appliesTo: 'workloads',
            rationale: 'An API that is not in the catalog cannot be analysed.',
            remediation: 'Register the API.',
            sources: [],
          },
          evaluate: (_entity, context) =>
            context.getEntity('api:default/orders')
              ? { status: 'pass', message: 'api:default/orders is registered.' }
              : { status: 'fail', message: 'api:default/orders is missing.' },
        },
      ],
    });
    const row = report.entities.find(r => r.name === 'orders-service')!;
    expect(row.checks.find(c => c.id === 'api-registered')).toMatchObject({
      status: 'pass',
      message: 'api:default/orders is registered.',
    });
  });
});
