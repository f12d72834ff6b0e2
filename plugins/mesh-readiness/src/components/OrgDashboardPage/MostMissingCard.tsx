import type { OrgResult } from '@mesh-readiness/plugin-mesh-readiness-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Section } from '../common/Section';

const Hidden = (props: { children: string }) => (
  <span style={{ position: 'absolute', left: -10000 }}>{props.children}</span>
);

/** The prerequisites most often missing, each a shortcut to the table. */
export const MostMissingCard = (props: {
  mostMissing: OrgResult['mostMissing'];
  onShowCheck: (checkId: string) => void;
}) => (
  <Section title="Most-missing prerequisites">
    {props.mostMissing.length === 0 ? (
      <Typography variant="body2">Nothing is missing anywhere.</Typography>
    ) : (
      <Table size="small" aria-label="Most-missing prerequisites">
        <TableHead>
          <TableRow>
            <TableCell>Prerequisite</TableCell>
            <TableCell align="right">Services missing it</TableCell>
            <TableCell>
              <Hidden>Actions</Hidden>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.mostMissing.map(m => (
            <TableRow key={m.checkId}>
              <TableCell>{m.title}</TableCell>
              <TableCell align="right">{m.count}</TableCell>
              <TableCell align="right">
                <Button
                  size="small"
                  color="primary"
                  onClick={() => props.onShowCheck(m.checkId)}
                  aria-label={`Show services missing ${m.title}`}
                >
                  Show services
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    )}
  </Section>
);

/** How many services expose operations a mesh would retry unsafely. */
export const RetryRiskCard = (props: {
  retryRisk: OrgResult['retryRisk'];
  onShow: () => void;
}) => {
  const { services, operations } = props.retryRisk;
  return (
    <Section title="Retry risk">
      <Typography
        component="p"
        style={{ fontSize: '2.5rem', fontWeight: 700, lineHeight: 1.1 }}
      >
        {services}
      </Typography>
      <Typography variant="body1" component="p" paragraph>
        {services === 1 ? 'service exposes' : 'services expose'}{' '}
        <strong>{operations}</strong> non-idempotent{' '}
        {operations === 1 ? 'operation' : 'operations'} that the mesh would
        retry. A mesh retries by default: fix these before adopting one.
      </Typography>
      {services > 0 && (
        <Button
          variant="outlined"
          color="primary"
          size="small"
          onClick={props.onShow}
          aria-label="Show services at retry risk"
        >
          Show services
        </Button>
      )}
    </Section>
  );
};
