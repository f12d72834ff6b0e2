export { OrgDashboardPage } from './OrgDashboardPage';
export { OrgDashboardContent } from './OrgDashboardContent';
