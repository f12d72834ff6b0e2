import type {
  CheckDefinition,
  WaiverInfo,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { Section } from '../common/Section';
import { formatDate } from '../common/labels';

/** A waiver next to its check: in force, or expired and ignored. */
export const WaiverLine = (props: { waiver: WaiverInfo }) => {
  const { waiver } = props;
  return (
    <Alert
      severity={waiver.expired ? 'warning' : 'info'}
      variant="outlined"
      style={{ marginTop: 8, marginBottom: 4 }}
    >
      {waiver.expired
        ? `Expired waiver (ended ${formatDate(
            waiver.until,
          )}), so it is ignored: `
        : `Waived until ${formatDate(waiver.until)}: `}
      {waiver.reason}
    </Alert>
  );
};

/** Every waiver on the entity; expired ones flagged. */
export const WaiversSection = (props: {
  waivers: WaiverInfo[];
  defs: Map<string, CheckDefinition>;
}) => {
  if (props.waivers.length === 0) {
    return null;
  }
  const expired = props.waivers.filter(w => w.expired).length;
  return (
    <Section title="Waivers">
      {expired > 0 && (
        <Alert severity="warning" style={{ marginBottom: 16 }}>
          {expired === 1
            ? '1 waiver has expired and is ignored: the check counts again. Renew it or fix the check.'
            : `${expired} waivers have expired and are ignored: the checks count again. Renew them or fix the checks.`}
        </Alert>
      )}
      <Table size="small" aria-label="Waivers">
        <TableHead>
          <TableRow>
            <TableCell>Check</TableCell>
            <TableCell>Until</TableCell>
            <TableCell>Reason</TableCell>
            <TableCell>State</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.waivers.map(w => (
            <TableRow key={`${w.checkId}-${w.until}`}>
              <TableCell>
                {props.defs.get(w.checkId)?.title ?? w.checkId}
              </TableCell>
              <TableCell>
                <time dateTime={w.until}>{w.until}</time>
              </TableCell>
              <TableCell>{w.reason}</TableCell>
              <TableCell>
                <Typography
                  variant="body2"
                  color={w.expired ? 'error' : 'textPrimary'}
                  component="span"
                >
                  {w.expired ? 'Expired — ignored' : 'In force'}
                </Typography>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
};
