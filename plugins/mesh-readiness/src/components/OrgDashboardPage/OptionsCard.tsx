import { Link } from '@backstage/core-components';
import type {
  CostEstimate,
  MeshAssessment,
  MeshOption,
  Recommendation,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Fragment, useState } from 'react';
import { Section } from '../common/Section';
import { SourceLinks, isSafeUrl } from '../common/SourceLinks';
import { StatusChip } from '../common/StatusChip';
import { TextList } from '../common/TextList';
import { meshLabel } from '../common/labels';
import { formatMemory, formatVcpu } from './format';

const useStyles = makeStyles(theme => ({
  nowrap: { whiteSpace: 'nowrap' },
  head: { '& th': { whiteSpace: 'nowrap' } },
  details: {
    backgroundColor: theme.palette.background.default,
  },
  list: { margin: theme.spacing(0.5, 0, 1), paddingLeft: theme.spacing(2.5) },
  figureList: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2.5),
  },
  unknown: {
    font: 'inherit',
    background: 'none',
    border: 'none',
    padding: 0,
    fontStyle: 'italic',
    color: theme.palette.text.secondary,
    borderBottom: `1px dotted ${theme.palette.text.secondary}`,
    cursor: 'help',
  },
  missing: { display: 'block', color: theme.palette.text.secondary },
}));

/**
 * A cost figure, or "unknown" (never 0) when its inputs are missing, with
 * the missing inputs in a tooltip.
 */
const CostCell = (props: {
  value: number | null | undefined;
  format: (n: number) => string;
  missingInputs?: string[];
}) => {
  const classes = useStyles();
  if (typeof props.value === 'number') {
    return <>{props.format(props.value)}</>;
  }
  const missing = props.missingInputs ?? [];
  const title = missing.length
    ? `Unknown: missing ${missing.join('; ')}`
    : 'Unknown: its inputs are not declared';
  return (
    <Tooltip title={title}>
      <button type="button" className={classes.unknown} aria-label={title}>
        unknown
      </button>
    </Tooltip>
  );
};

const OptionDetails = (props: {
  option: MeshAssessment;
  cost?: CostEstimate;
}) => {
  const classes = useStyles();
  const { option, cost } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        {option.reasons.length > 0 && (
          <>
            <Typography variant="subtitle2" component="p">
              Why
            </Typography>
            <TextList items={option.reasons} className={classes.list} />
          </>
        )}
        {option.caveats.length > 0 && (
          <>
            <Typography variant="subtitle2" component="p">
              Caveats
            </Typography>
            <TextList items={option.caveats} className={classes.list} />
          </>
        )}
        {(option.missingInputs?.length ?? 0) > 0 && (
          <>
            <Typography variant="subtitle2" component="p">
              Not yet known (declare to assess)
            </Typography>
            <TextList
              items={option.missingInputs ?? []}
              className={classes.list}
            />
          </>
        )}
        <SourceLinks sources={option.sources} />
      </Grid>
      <Grid item xs={12} md={6}>
        <Typography variant="subtitle2" component="p">
          How the cost is estimated
        </Typography>
        {cost ? (
          <>
            <Typography variant="body2" component="p">
              {cost.formula}
            </Typography>
            {(cost.memoryMiB === null || cost.vcpu === null) && (
              <Typography variant="body2" component="p">
                Unknown
                {cost.missingInputs?.length
                  ? `: missing ${cost.missingInputs.join('; ')}`
                  : ': its inputs are not declared'}
                .
              </Typography>
            )}
            {cost.figures.length > 0 && (
              <ul className={classes.figureList}>
                {cost.figures.map(f => (
                  <li key={f.name}>
                    <Typography variant="body2" component="span">
                      {f.name}: {f.value.toLocaleString()} {f.unit}
                      {isSafeUrl(f.source.url) && (
                        <>
                          {' — '}
                          <Link to={f.source.url} externalLinkIcon>
                            {f.source.title}
                          </Link>
                        </>
                      )}
                    </Typography>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <Typography variant="body2" component="p">
            No data-plane cost.
          </Typography>
        )}
      </Grid>
    </Grid>
  );
};

/**
 * Every option the recommendation considered, best first: whether it fits
 * and why, with its estimated proxy cost, formula and published figures.
 */
export const OptionsCard = (props: {
  alternatives: MeshAssessment[];
  cost: CostEstimate[];
  recommended: MeshOption;
  /** The recommendation's basis: `undetermined` means nothing is recommended. */
  basis?: Recommendation['basis'];
}) => {
  const classes = useStyles();
  const undetermined = props.basis === 'undetermined';
  const recommended = undetermined ? undefined : props.recommended;
  const [open, setOpen] = useState<Set<MeshOption>>(
    () => new Set(recommended ? [recommended] : []),
  );
  const costOf = (mesh: MeshOption) => props.cost.find(c => c.mesh === mesh);
  const inputs = props.cost[0]?.inputs;
  const anyKnown = props.cost.some(
    c => typeof c.memoryMiB === 'number' || typeof c.vcpu === 'number',
  );
  const missing = props.cost.length
    ? Math.max(...props.cost.map(c => c.servicesMissingInputs))
    : 0;
  let costIntro = 'No cost estimate: no service declares replicas or peak-rps.';
  if (inputs && !anyKnown) {
    costIntro = 'Cost unknown: its inputs are not declared (see each option).';
  } else if (inputs) {
    costIntro = `Cost for ${inputs.pods.toLocaleString()} pods serving ${inputs.peakRps.toLocaleString()} requests/s at peak on ${inputs.nodes.toLocaleString()} nodes.`;
  }
  const toggle = (mesh: MeshOption) =>
    setOpen(prev => {
      const next = new Set(prev);
      if (next.has(mesh)) next.delete(mesh);
      else next.add(mesh);
      return next;
    });

  return (
    <Section title="Options and estimated proxy cost">
      {undetermined && (
        <Typography variant="body2" component="p" paragraph>
          <strong>Ranked as if a need is confirmed.</strong> No option is
          recommended until it is.
        </Typography>
      )}
      <Typography variant="body2" component="p" paragraph>
        {costIntro}
        {missing > 0 &&
          ` ${missing} service${
            missing === 1 ? '' : 's'
          } declare no replicas or peak-rps and are not counted.`}
      </Typography>
      <Box style={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Options considered, best first">
          <TableHead>
            <TableRow className={classes.head}>
              <TableCell>Rank</TableCell>
              <TableCell>Option</TableCell>
              <TableCell>Fits</TableCell>
              <TableCell align="right">Complexity</TableCell>
              <TableCell align="right">Memory</TableCell>
              <TableCell align="right">CPU</TableCell>
              <TableCell>Main reason</TableCell>
              <TableCell>
                <span style={{ position: 'absolute', left: -10000 }}>
                  Details
                </span>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.alternatives.map((alt, index) => {
              const cost = costOf(alt.mesh);
              const expanded = open.has(alt.mesh);
              const detailsId = `mesh-option-${alt.mesh}`;
              return (
                <Fragment key={alt.mesh}>
                  <TableRow
                    selected={alt.mesh === recommended}
                    data-option={alt.mesh}
                  >
                    <TableCell>{index + 1}</TableCell>
                    <TableCell className={classes.nowrap}>
                      <strong>{meshLabel(alt.mesh)}</strong>
                      {alt.mesh === recommended && (
                        <Typography variant="caption" component="span">
                          {' '}
                          (recommended)
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell className={classes.nowrap}>
                      <StatusChip
                        status={alt.fits ? 'pass' : 'fail'}
                        label={alt.fits ? 'Fits' : 'Does not fit'}
                      />
                    </TableCell>
                    <TableCell align="right">{alt.complexity}</TableCell>
                    {(['memoryMiB', 'vcpu'] as const).map(key => (
                      <TableCell
                        key={key}
                        align="right"
                        className={classes.nowrap}
                      >
                        {cost ? (
                          <CostCell
                            value={cost[key]}
                            format={key === 'vcpu' ? formatVcpu : formatMemory}
                            missingInputs={cost.missingInputs}
                          />
                        ) : (
                          '—'
                        )}
                      </TableCell>
                    ))}
                    <TableCell>
                      {alt.reasons[0] ?? alt.caveats[0] ?? ''}
                      {(alt.missingInputs?.length ?? 0) > 0 && (
                        <Typography
                          variant="caption"
                          component="span"
                          className={classes.missing}
                        >
                          Not yet known: {alt.missingInputs!.join('; ')}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        color="primary"
                        aria-expanded={expanded}
                        aria-controls={detailsId}
                        aria-label={`${
                          expanded ? 'Hide' : 'Show'
                        } details of ${meshLabel(alt.mesh)}`}
                        onClick={() => toggle(alt.mesh)}
                      >
                        {expanded ? 'Hide' : 'Details'}
                      </Button>
                    </TableCell>
                  </TableRow>
                  <TableRow
                    id={detailsId}
                    hidden={!expanded}
                    className={classes.details}
                  >
                    <TableCell colSpan={8}>
                      {expanded && <OptionDetails option={alt} cost={cost} />}
                    </TableCell>
                  </TableRow>
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </Box>
    </Section>
  );
};
