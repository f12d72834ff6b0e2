import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';

/** The Mesh readiness card on Component overview pages. */
export const meshReadinessEntityCard = EntityCardBlueprint.make({
  params: {
    filter: 'kind:component',
    loader: () =>
      import('../components/ScorecardCard').then(m => <m.ScorecardCard />),
  },
});
