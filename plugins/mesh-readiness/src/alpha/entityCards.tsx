import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';

/** The Mesh readiness card on Component overview pages, beside About. */
export const meshReadinessEntityCard = EntityCardBlueprint.make({
  params: {
    filter: 'kind:component',
    type: 'info',
    loader: () =>
      import('../components/ScorecardCard').then(m => <m.ScorecardCard />),
  },
});
