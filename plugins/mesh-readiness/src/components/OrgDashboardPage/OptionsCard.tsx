import { Link } from '@backstage/core-components';
import type {
  CostEstimate,
  MeshAssessment,
  MeshOption,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
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
}));

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
}) => {
  const classes = useStyles();
  const [open, setOpen] = useState<Set<MeshOption>>(
    () => new Set([props.recommended]),
  );
  const costOf = (mesh: MeshOption) => props.cost.find(c => c.mesh === mesh);
  const inputs = props.cost[0]?.inputs;
  const missing = props.cost.length
    ? Math.max(...props.cost.map(c => c.servicesMissingInputs))
    : 0;
  const toggle = (mesh: MeshOption) =>
    setOpen(prev => {
      const next = new Set(prev);
      if (next.has(mesh)) next.delete(mesh);
      else next.add(mesh);
      return next;
    });

  return (
    <Section title="Options and estimated proxy cost">
      <Typography variant="body2" component="p" paragraph>
        {inputs
          ? `Cost for ${inputs.pods.toLocaleString()} pods serving ${inputs.peakRps.toLocaleString()} requests/s at peak on ${inputs.nodes.toLocaleString()} nodes.`
          : 'No cost estimate: no service declares replicas or peak-rps.'}
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
                    selected={alt.mesh === props.recommended}
                    data-option={alt.mesh}
                  >
                    <TableCell>{index + 1}</TableCell>
                    <TableCell className={classes.nowrap}>
                      <strong>{meshLabel(alt.mesh)}</strong>
                      {alt.mesh === props.recommended && (
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
                    <TableCell align="right" className={classes.nowrap}>
                      {cost ? formatMemory(cost.memoryMiB) : '—'}
                    </TableCell>
                    <TableCell align="right" className={classes.nowrap}>
                      {cost ? formatVcpu(cost.vcpu) : '—'}
                    </TableCell>
                    <TableCell>
                      {alt.reasons[0] ?? alt.caveats[0] ?? ''}
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
