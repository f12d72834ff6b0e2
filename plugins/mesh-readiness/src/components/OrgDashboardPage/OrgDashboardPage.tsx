import { Content, InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/** Placeholder for the org dashboard. */
export const OrgDashboardPage = () => (
  <Content>
    <InfoCard title="Mesh readiness of the organisation">
      <Typography>The org verdict and recommendation appear here.</Typography>
    </InfoCard>
  </Content>
);
