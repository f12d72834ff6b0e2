import type { OrgResult } from '@mesh-readiness/plugin-mesh-readiness-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Section } from '../common/Section';

/** The prerequisites most often missing, each a shortcut to the table. */
export const MostMissingCard = (props: {
  mostMissing: OrgResult['mostMissing'];
  onShowCheck: (checkId: string, status: 'fail' | 'unknown') => void;
}) => {
  // Snapshots taken before the split was kept give the total only.
  const split = props.mostMissing.every(m => m.failing !== undefined);
  return (
    <Section title="Most-missing prerequisites">
      <Typography variant="body2" component="p" paragraph>
        {split
          ? 'Checks most often failing or invalid across the services in scope, then those most often unknown: a fact neither declared nor observed, which linking manifests or declaring it answers.'
          : 'Checks most often failing, invalid or unknown across the services in scope.'}
      </Typography>
      {props.mostMissing.length === 0 ? (
        <Typography variant="body2">Nothing is missing anywhere.</Typography>
      ) : (
        <Table size="small" aria-label="Most-missing prerequisites">
          <TableHead>
            <TableRow>
              <TableCell>Prerequisite</TableCell>
              {split ? (
                <>
                  <TableCell align="right">Failing</TableCell>
                  <TableCell align="right">Unknown</TableCell>
                </>
              ) : (
                <TableCell align="right">Services</TableCell>
              )}
              <TableCell align="right">Show in the table</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.mostMissing.map(m => (
              <TableRow key={m.checkId}>
                <TableCell>{m.title}</TableCell>
                {split ? (
                  <>
                    <TableCell align="right">{m.failing}</TableCell>
                    <TableCell align="right">{m.unknown}</TableCell>
                  </>
                ) : (
                  <TableCell align="right">{m.count}</TableCell>
                )}
                <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
                  <Button
                    size="small"
                    color="primary"
                    disabled={split && m.failing === 0}
                    onClick={() => props.onShowCheck(m.checkId, 'fail')}
                    aria-label={`Show services failing ${m.title}`}
                  >
                    Failing
                  </Button>
                  <Button
                    size="small"
                    color="primary"
                    disabled={split && m.unknown === 0}
                    onClick={() => props.onShowCheck(m.checkId, 'unknown')}
                    aria-label={`Show services where ${m.title} is unknown`}
                  >
                    Unknown
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
};

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
