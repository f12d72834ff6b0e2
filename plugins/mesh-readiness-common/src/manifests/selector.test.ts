import type { Entity } from '@backstage/catalog-model';
import fc from 'fast-check';
import { workloadSelectorOf } from './selector';

function component(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/shop',
    },
  };
}

const LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';

describe('workloadSelectorOf', () => {
  it('names the workloads by the entity name when no annotation is set', () => {
    expect(workloadSelectorOf(component('currency'))).toEqual({
      selector: { name: 'currency' },
    });
  });

  it('reads backstage.io/kubernetes-id', () => {
    expect(
      workloadSelectorOf(
        component('storefront-web', {
          'backstage.io/kubernetes-id': ' storefront ',
        }),
      ),
    ).toEqual({
      selector: { name: 'storefront-web', kubernetesId: 'storefront' },
    });
  });

  it('reads the equality terms of backstage.io/kubernetes-label-selector', () => {
    expect(
      workloadSelectorOf(
        component('reviews', {
          [LABEL_SELECTOR]: 'app=reviews, tier==backend,empty=',
        }),
      ),
    ).toEqual({
      selector: {
        name: 'reviews',
        labelSelector: { app: 'reviews', tier: 'backend', empty: '' },
      },
    });
  });

  it('keeps the key=value terms of a selector with set-based terms, and says so', () => {
    const { selector, problem } = workloadSelectorOf(
      component('reviews', {
        [LABEL_SELECTOR]:
          'app=reviews,tier in (x, y),environment notin (dev,qa),!canary,track!=beta,release',
      }),
    );
    expect(selector.labelSelector).toEqual({ app: 'reviews' });
    expect(problem).toBe(
      `${LABEL_SELECTOR}: 'tier in (x, y)', 'environment notin (dev,qa)', '!canary', 'track!=beta', 'release' ` +
        'cannot be read (only key=value terms are read), so workloads are matched on app=reviews alone.',
    );
  });

  it('says what is matched instead when no term can be read', () => {
    expect(
      workloadSelectorOf(
        component('reviews', { [LABEL_SELECTOR]: 'app in (reviews)' }),
      ),
    ).toEqual({
      selector: { name: 'reviews' },
      problem: expect.stringContaining(
        'cannot be read (only key=value terms are read), so the selector is not used, and workloads are matched by the name reviews',
      ),
    });
    expect(
      workloadSelectorOf(
        component('reviews', {
          [LABEL_SELECTOR]: 'app in (reviews)',
          'backstage.io/kubernetes-id': 'reviews',
        }),
      ).problem,
    ).toContain('matched by backstage.io/kubernetes-id');
  });

  it('never throws, whatever the annotations hold', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (id, labels) => {
        const { selector } = workloadSelectorOf(
          component('x', {
            'backstage.io/kubernetes-id': id,
            [LABEL_SELECTOR]: labels,
          }),
        );
        expect(selector.name).toBe('x');
        // Never an empty selector, which would match every workload.
        expect(
          selector.labelSelector === undefined ||
            Object.keys(selector.labelSelector).length > 0,
        ).toBe(true);
      }),
    );
    expect(() => workloadSelectorOf({} as Entity)).not.toThrow();
  });
});
