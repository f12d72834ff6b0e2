export { OrgDashboardPage } from './OrgDashboardPage';
