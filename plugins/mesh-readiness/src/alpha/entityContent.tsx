import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';

/** The Mesh readiness tab on Component pages. */
export const meshReadinessEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/mesh-readiness',
    title: 'Mesh readiness',
    filter: 'kind:component',
    loader: () =>
      import('../components/ScorecardTab').then(m => <m.ScorecardTab />),
  },
});
