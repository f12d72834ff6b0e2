import type {
  GateResult,
  OrgResult,
  OrgVerdict,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { blueGrey, green, grey, red } from '@material-ui/core/colors';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import { Section } from '../common/Section';
import { SourceLinks } from '../common/SourceLinks';
import { StatusChip } from '../common/StatusChip';
import {
  COVERAGE_HELP,
  VERDICT_LABELS,
  formatCoverage,
} from '../common/labels';
import { formatFigure, humanizeKey } from './format';

const VERDICT_STYLE: Record<
  OrgVerdict,
  { color: string; Icon: typeof CancelIcon }
> = {
  ready: { color: green[800], Icon: CheckCircleIcon },
  'not-ready': { color: red[700], Icon: CancelIcon },
  'not-needed': { color: blueGrey[700], Icon: RemoveCircleOutlineIcon },
  undetermined: { color: grey[700], Icon: HelpOutlineIcon },
};

/** The verdict in one sentence, of the organisation or of your services. */
const LEADS: Record<'org' | 'mine', Record<OrgVerdict, string>> = {
  org: {
    ready: 'The organisation is ready to adopt a service mesh.',
    'not-ready':
      'A mesh would help, but the organisation is not ready to run one yet.',
    'not-needed': 'Nothing declared today needs a service mesh.',
    undetermined:
      'Too little is declared to decide whether the organisation needs a mesh.',
  },
  mine: {
    ready: 'Your services are ready for a service mesh.',
    'not-ready':
      'A mesh would help your services, but they are not ready to run in one yet.',
    'not-needed': 'Nothing your services declare today needs a service mesh.',
    undetermined:
      'Too little is declared to decide whether your services need a mesh.',
  },
};

const useStyles = makeStyles(theme => ({
  verdict: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    fontSize: '2.5rem',
    fontWeight: 700,
    lineHeight: 1.1,
    margin: 0,
  },
  icon: { fontSize: '2.75rem' },
  gate: {
    borderTop: `1px solid ${theme.palette.divider}`,
    paddingTop: theme.spacing(1.5),
    marginTop: theme.spacing(1.5),
  },
  figures: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 2),
    margin: theme.spacing(1, 0),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, fontWeight: 600 },
    '& div': { display: 'flex', gap: theme.spacing(0.5) },
  },
  toDecide: {
    border: `1px solid ${theme.palette.divider}`,
    borderLeft: `4px solid ${grey[600]}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1, 2),
    margin: theme.spacing(1.5, 0),
    '& ul': {
      margin: theme.spacing(0.5, 0, 0),
      paddingLeft: theme.spacing(2.5),
    },
  },
}));

/** What to declare to decide an undetermined verdict, with counts. */
const ToDecide = (props: { org: OrgResult }) => {
  const classes = useStyles();
  const items = props.org.toDecide ?? [];
  if (items.length === 0) {
    return null;
  }
  const gateTitle = (id: string) =>
    props.org.gates.find(g => g.id === id)?.title ?? id;
  return (
    <section className={classes.toDecide} aria-label="Declare these to decide">
      <Typography variant="h6" component="h3" style={{ margin: 0 }}>
        Declare these to decide
      </Typography>
      <ul>
        {items.map(item => (
          <li key={`${item.gate}\u0000${item.declare}`}>
            <Typography variant="body2" component="span">
              <strong>{item.declare}</strong>: {item.count.toLocaleString()}{' '}
              {item.count === 1 ? 'lacks' : 'lack'} it ({gateTitle(item.gate)})
            </Typography>
          </li>
        ))}
      </ul>
    </section>
  );
};

const Gate = (props: { gate: GateResult }) => {
  const classes = useStyles();
  const { gate } = props;
  const figures = Object.entries(gate.figures ?? {});
  return (
    <section
      className={classes.gate}
      aria-label={gate.title}
      data-gate={gate.id}
    >
      <Box display="flex" alignItems="center" gridGap={8} flexWrap="wrap">
        <Typography variant="h6" component="h3" style={{ margin: 0 }}>
          {gate.title}
        </Typography>
        <StatusChip status={gate.status} />
      </Box>
      <Typography variant="body2" component="p" style={{ marginTop: 4 }}>
        {gate.message}
      </Typography>
      {figures.length > 0 && (
        <dl className={classes.figures}>
          {figures.map(([key, value]) => (
            <div key={key}>
              <dt>{humanizeKey(key)}:</dt>
              <dd>{formatFigure(key, value)}</dd>
            </div>
          ))}
        </dl>
      )}
      <SourceLinks sources={gate.sources} />
    </section>
  );
};

/** The verdict, its reasons and the three gates behind it. */
export const VerdictCard = (props: {
  org: OrgResult;
  /** Whether these are the signed-in user's services ("My services"). */
  mine?: boolean;
}) => {
  const classes = useStyles();
  const { org } = props;
  const verdict = org.verdict in VERDICT_STYLE ? org.verdict : 'not-ready';
  const style = VERDICT_STYLE[verdict];
  const lead = LEADS[props.mine ? 'mine' : 'org'][verdict];
  const { Icon } = style;
  return (
    <Section title="Verdict: should we adopt a service mesh?">
      <p className={classes.verdict} style={{ color: style.color }}>
        <Icon className={classes.icon} aria-hidden />
        <span>{VERDICT_LABELS[org.verdict] ?? org.verdict}</span>
      </p>
      <Typography variant="body1" component="p" style={{ marginTop: 8 }}>
        {lead}
      </Typography>
      {org.verdict === 'undetermined' && <ToDecide org={org} />}
      {org.verdictReasons.length > 0 && (
        <ul aria-label="Reasons for the verdict">
          {org.verdictReasons.map(reason => (
            <li key={reason}>
              <Typography variant="body1" component="span">
                {reason}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      <Typography variant="body2" color="textSecondary" component="p">
        {org.counts.inScope} services in scope of {org.counts.entities}{' '}
        components ({org.counts.excluded} excluded, {org.counts.withProblems}{' '}
        with annotation problems). {props.mine ? 'Score' : 'Org score'}:{' '}
        {org.score ?? '–'} / 100,{' '}
        <span title={COVERAGE_HELP}>
          coverage {formatCoverage(org.coverage)}
        </span>
        .
        {org.inspected !== undefined &&
          ` Facts read from manifests for ${org.inspected} of ${org.counts.inScope} services; the others are declared only.`}
      </Typography>
      {org.gates.map(gate => (
        <Gate key={gate.id} gate={gate} />
      ))}
    </Section>
  );
};
