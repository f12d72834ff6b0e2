import type { FactEvidence } from '@mesh-readiness/plugin-mesh-readiness-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import { useId, useState } from 'react';
import { FactSourceChip, FactSourceLabel } from '../common/FactSourceChip';

/** How many facts show before the rest fold behind a button. */
const VISIBLE = 4;

const useStyles = makeStyles(theme => ({
  table: {
    tableLayout: 'fixed',
    marginTop: theme.spacing(1),
    marginBottom: theme.spacing(0.5),
    '& td, & th': {
      paddingLeft: 0,
      paddingRight: theme.spacing(2),
      verticalAlign: 'top',
    },
  },
  head: { color: theme.palette.text.secondary },
  fact: { width: '28%', overflowWrap: 'anywhere' },
  value: { width: '24%', overflowWrap: 'anywhere' },
  source: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    overflowWrap: 'anywhere',
    '& > :first-child': { flexShrink: 0, minWidth: 96 },
    '& > :last-child': { paddingTop: 2 },
  },
}));

/**
 * The facts a check was decided on, each with where it was read: observed
 * in a manifest, declared by an annotation, or a Kubernetes default.
 */
export const EvidenceTable = (props: {
  evidence: FactEvidence[];
  /** Names the table for assistive technology, e.g. the check's title. */
  label: string;
}) => {
  const classes = useStyles();
  const [all, setAll] = useState(false);
  const tableId = useId();
  const { evidence } = props;
  if (evidence.length === 0) {
    return null;
  }
  const shown = all ? evidence : evidence.slice(0, VISIBLE);
  const hidden = evidence.length - shown.length;
  return (
    <>
      <Table
        size="small"
        id={tableId}
        className={classes.table}
        aria-label={`Evidence: ${props.label}`}
        data-testid="evidence"
      >
        <TableHead>
          <TableRow>
            <TableCell className={`${classes.head} ${classes.fact}`}>
              Fact
            </TableCell>
            <TableCell className={`${classes.head} ${classes.value}`}>
              Value
            </TableCell>
            <TableCell className={classes.head}>Source</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map((e, i) => (
            <TableRow
              key={`${e.fact}-${e.source.label}-${i}`}
              data-source={e.source.kind}
            >
              <TableCell className={classes.fact}>{e.fact}</TableCell>
              <TableCell className={classes.value}>{e.value}</TableCell>
              <TableCell>
                <div className={classes.source}>
                  <FactSourceChip
                    kind={e.source.kind}
                    cluster={e.source.cluster}
                  />
                  <FactSourceLabel source={e.source} />
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {evidence.length > VISIBLE && (
        <Button
          size="small"
          color="primary"
          aria-expanded={all}
          aria-controls={tableId}
          onClick={() => setAll(v => !v)}
        >
          {all ? 'Show fewer facts' : `Show ${hidden} more facts`}
        </Button>
      )}
    </>
  );
};
