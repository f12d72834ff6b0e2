import { CodeSnippet } from '@backstage/core-components';
import type {
  CheckDefinition,
  CheckResult,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useId, useState } from 'react';
import { SourceLinks } from '../common/SourceLinks';
import { STATUS_STYLES, StatusChip } from '../common/StatusChip';
import { EvidenceTable } from './EvidenceTable';
import { WaiverLine } from './WaiversSection';
import { fixOf } from './model';

const useStyles = makeStyles(theme => ({
  root: {
    borderLeft: `4px solid`,
    paddingLeft: theme.spacing(2),
    paddingBottom: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  title: { fontSize: '1rem', fontWeight: 600, margin: 0 },
  label: { fontWeight: 600 },
  meta: { color: theme.palette.text.secondary },
}));

const EXPANDED_BY_DEFAULT = ['fail', 'invalid', 'unknown', 'warn'];

/** One check: status, message, why it matters, the fix and its sources. */
export const CheckItem = (props: {
  check: CheckResult;
  definition?: CheckDefinition;
}) => {
  const classes = useStyles();
  const { check, definition } = props;
  const [open, setOpen] = useState(EXPANDED_BY_DEFAULT.includes(check.status));
  const headingId = useId();
  const detailsId = useId();
  const fix = fixOf(check, definition);
  const title = definition?.title ?? check.id;
  const color = STATUS_STYLES[check.status]?.color;
  return (
    <section
      className={classes.root}
      style={{ borderLeftColor: color }}
      aria-labelledby={headingId}
      data-check={check.id}
    >
      <div className={classes.header}>
        <Typography component="h4" className={classes.title} id={headingId}>
          {title}
        </Typography>
        <StatusChip status={check.status} />
        {definition?.gate && (
          <Typography variant="caption" className={classes.meta}>
            Gate: a failure caps the level at Not ready
          </Typography>
        )}
      </div>
      <Typography variant="body2" component="p" style={{ marginTop: 4 }}>
        {check.message}
      </Typography>
      {check.assumption && (
        <Typography
          variant="body2"
          component="p"
          className={classes.meta}
          style={{ marginTop: 2 }}
          data-testid="assumption"
        >
          <span className={classes.label}>Assumed: </span>
          {check.assumption}
        </Typography>
      )}
      {check.evidence && check.evidence.length > 0 && (
        <EvidenceTable evidence={check.evidence} label={title} />
      )}
      {check.waiver && <WaiverLine waiver={check.waiver} />}
      <Button
        size="small"
        color="primary"
        aria-expanded={open}
        aria-controls={detailsId}
        aria-label={`${open ? 'Hide details' : 'Show details'} for ${title}`}
        onClick={() => setOpen(o => !o)}
      >
        {open ? 'Hide details' : 'Show details'}
      </Button>
      <div id={detailsId} hidden={!open}>
        {open && (
          <Box mt={1}>
            {definition?.rationale && (
              <Typography variant="body2" component="p" paragraph>
                <span className={classes.label}>Why it matters: </span>
                {definition.rationale}
              </Typography>
            )}
            {definition?.remediation && check.status !== 'pass' && (
              <Typography variant="body2" component="p" paragraph>
                <span className={classes.label}>How to fix: </span>
                {definition.remediation}
              </Typography>
            )}
            {fix && (
              <Box mb={1}>
                <Typography
                  variant="body2"
                  component="p"
                  className={classes.label}
                >
                  {fix.specific
                    ? 'Add to catalog-info.yaml'
                    : 'Example (adapt the values to this service)'}
                </Typography>
                <CodeSnippet
                  text={fix.yaml}
                  language="yaml"
                  showCopyCodeButton
                />
              </Box>
            )}
            {check.id === 'retry-safety' && check.operations?.length ? (
              <Typography variant="body2" component="p" paragraph>
                The operation table and the mesh configuration are in the{' '}
                <a href="#retry-safety">Retry safety</a> section below.
              </Typography>
            ) : null}
            <SourceLinks sources={definition?.sources} />
          </Box>
        )}
      </div>
    </section>
  );
};
