import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';

/** Placeholder for the per-service scorecard. */
export const ScorecardTab = () => {
  const { entity } = useEntity();
  return (
    <InfoCard title="Mesh readiness">
      <Typography>
        The mesh readiness scorecard for {entity.metadata.name} appears here.
      </Typography>
    </InfoCard>
  );
};
