import type {
  CheckStatus,
  EntityResult,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { LevelChip } from '../common/LevelChip';
import { Section } from '../common/Section';
import { StatusChip } from '../common/StatusChip';
import { COVERAGE_HELP, STATUS_ORDER, formatCoverage } from '../common/labels';
import { countStatuses } from './model';

const useStyles = makeStyles(theme => ({
  score: {
    fontSize: '3.5rem',
    fontWeight: 700,
    lineHeight: 1,
  },
  outOf: {
    fontSize: '1.25rem',
    color: theme.palette.text.secondary,
    marginLeft: theme.spacing(0.5),
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
    padding: 0,
    listStyle: 'none',
  },
}));

/** Score, level and check counts at a glance. */
export const ScoreSummary = (props: { result: EntityResult }) => {
  const classes = useStyles();
  const { result } = props;
  const counts = countStatuses(result.checks);
  const passing = counts.byStatus.pass ?? 0;
  return (
    <Section title="Mesh readiness">
      <Box display="flex" alignItems="baseline" flexWrap="wrap" gridGap={16}>
        <Typography
          component="p"
          aria-label={`Score ${result.score ?? 'none'} out of 100`}
        >
          <span className={classes.score}>{result.score ?? '–'}</span>
          <span className={classes.outOf}>/ 100</span>
        </Typography>
        <LevelChip level={result.level} size="medium" />
      </Box>
      <Typography
        variant="body1"
        component="p"
        style={{ marginTop: 12 }}
        title={COVERAGE_HELP}
        data-testid="coverage"
      >
        Coverage <strong>{formatCoverage(result.coverage)}</strong>: the share
        of check weight whose status is known
      </Typography>
      <Typography variant="body1" component="p" style={{ marginTop: 4 }}>
        {passing} of {counts.applicable} checks pass
      </Typography>
      <ul className={classes.chips} aria-label="Checks by status">
        {STATUS_ORDER.filter(s => s !== 'pass' && counts.byStatus[s]).map(
          (status: CheckStatus) => (
            <li key={status}>
              <Box display="flex" alignItems="center" gridGap={4}>
                <StatusChip status={status} />
                <Typography variant="body2" component="span">
                  × {counts.byStatus[status]}
                </Typography>
              </Box>
            </li>
          ),
        )}
      </ul>
    </Section>
  );
};
