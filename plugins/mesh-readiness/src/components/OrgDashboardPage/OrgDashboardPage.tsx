import { Content, Header, Page } from '@backstage/core-components';
import { OrgDashboardContent } from './OrgDashboardContent';

/** The org dashboard as a classic page, with its own header. */
export const OrgDashboardPage = () => (
  <Page themeId="tool">
    <Header
      title="Mesh readiness"
      subtitle="Should we adopt a service mesh, which one, and what is still missing?"
    />
    <Content>
      <OrgDashboardContent />
    </Content>
  </Page>
);
