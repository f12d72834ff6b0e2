import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  CheckChange,
  EntityHistoryChanges,
  EntityHistoryPoint,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import useAsync from 'react-use/esm/useAsync';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { meshReadinessApiRef } from '../../api';
import { ApiErrorNotice } from '../common/ApiErrorNotice';
import { Section } from '../common/Section';
import { StatusChip } from '../common/StatusChip';
import {
  formatCoverage,
  formatDate,
  formatDateTime,
  levelLabel,
} from '../common/labels';
import {
  formatTime,
  timeAxis,
  timeFormatFor,
  timeOf,
} from '../common/timeAxis';

/** How far back the tab looks, as the dashboard's trend does. */
const HISTORY_DAYS = 180;

function scoreText(score: number | null): string {
  return score === null ? 'none' : String(score);
}

/** The level each time it changed: "Not ready (20 Nov) → Pilot ready (4 Dec)". */
function levelSteps(
  points: EntityHistoryPoint[],
  format: (ms: number) => string,
): string {
  const steps: string[] = [];
  let previous: string | null | undefined;
  for (const point of points) {
    if (point.level !== previous) {
      steps.push(
        `${levelLabel(point.level)} (${format(timeOf(point.takenAt))})`,
      );
      previous = point.level;
    }
  }
  return steps.join(' → ');
}

/** Score and coverage over time, like the dashboard's trend. */
const ScoreChart = (props: { points: EntityHistoryPoint[] }) => {
  const theme = useTheme();
  const data = props.points.map(p => ({
    at: timeOf(p.takenAt),
    score: p.score,
    coverage: p.coverage === null ? null : Math.round(p.coverage * 100),
    level: levelLabel(p.level),
  }));
  const format = timeFormatFor(data.map(d => d.at));
  const first = props.points[0];
  const last = props.points[props.points.length - 1];
  const summary = `Score from ${scoreText(first.score)} on ${format(
    timeOf(first.takenAt),
  )} to ${scoreText(last.score)} on ${format(
    timeOf(last.takenAt),
  )}; coverage from ${formatCoverage(first.coverage)} to ${formatCoverage(
    last.coverage,
  )}.`;
  return (
    <>
      <div role="img" aria-label={`Line chart. ${summary}`}>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart
            data={data}
            margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis {...timeAxis(data.map(d => d.at))} />
            <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} />
            <Tooltip
              labelFormatter={(label, payload) =>
                `${formatTime(Number(label))}: ${
                  payload?.[0]?.payload?.level ?? ''
                }`
              }
            />
            <Legend />
            <Line
              type="monotone"
              dataKey="score"
              name="Score"
              stroke={theme.palette.primary.main}
              strokeWidth={2}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="coverage"
              name="Coverage (%)"
              stroke={theme.palette.success?.main ?? '#2e7d32'}
              strokeDasharray="5 3"
              strokeWidth={2}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <Typography variant="body2" component="p" data-testid="history-summary">
        {summary}
      </Typography>
      <Typography variant="body2" component="p" data-testid="history-levels">
        Level: {levelSteps(props.points, format)}
      </Typography>
    </>
  );
};

const ChangeItem = (props: { change: CheckChange }) => {
  const { change } = props;
  return (
    <ListItem
      divider
      disableGutters
      data-change={change.checkId}
      style={{ display: 'block' }}
    >
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        <Typography variant="subtitle1" component="h4">
          {change.title}
        </Typography>
        {change.from ? (
          <StatusChip status={change.from} />
        ) : (
          <Typography variant="body2">not run</Typography>
        )}
        <ArrowForwardIcon fontSize="small" aria-label="became" />
        {change.to ? (
          <StatusChip status={change.to} />
        ) : (
          <Typography variant="body2">not run</Typography>
        )}
      </Box>
      <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
        {change.reasons.map((reason, i) => (
          <li key={i} data-reason={reason.kind}>
            <Typography variant="body2">{reason.message}</Typography>
          </li>
        ))}
      </ul>
    </ListItem>
  );
};

/** The checks whose status changed between the last two snapshots, and why. */
const ChangesList = (props: { changes: EntityHistoryChanges }) => {
  const { changes } = props;
  const between = (
    <>
      between{' '}
      <time dateTime={changes.from}>{formatDateTime(changes.from)}</time> and{' '}
      <time dateTime={changes.to}>{formatDateTime(changes.to)}</time>
    </>
  );
  return (
    <Box mt={3}>
      <Typography variant="h6" component="h3">
        What changed since the previous snapshot
      </Typography>
      {changes.checks.length === 0 ? (
        <Typography variant="body2">
          No check changed status {between}.
        </Typography>
      ) : (
        <>
          <Typography variant="body2" color="textSecondary">
            {changes.checks.length} check
            {changes.checks.length === 1 ? '' : 's'} changed status {between}.
          </Typography>
          <List dense aria-label="Checks that changed">
            {changes.checks.map(change => (
              <ChangeItem key={change.checkId} change={change} />
            ))}
          </List>
        </>
      )}
    </Box>
  );
};

/**
 * The service's score, coverage and level in each snapshot of the last
 * 180 days, and what changed in its checks since the previous snapshot.
 */
export const HistorySection = (props: { entityRef: CompoundEntityRef }) => {
  const api = useApi(meshReadinessApiRef);
  const { kind, namespace, name } = props.entityRef;
  const state = useAsync(() => {
    const from = new Date(Date.now() - HISTORY_DAYS * 86_400_000).toISOString();
    return api.getEntityHistory({ kind, namespace, name }, { from });
  }, [api, kind, namespace, name]);

  let body;
  if (state.loading) {
    body = <Progress />;
  } else if (state.error) {
    body = (
      <ApiErrorNotice
        error={state.error}
        what="this service's history"
        level={3}
      />
    );
  } else {
    const { items, changes } = state.value!;
    body = (
      <>
        {items.length < 2 ? (
          <Typography variant="body2">
            Not enough history yet: the chart appears once two snapshots have
            scored this service
            {items.length === 1
              ? ` (one so far, ${formatDate(
                  items[0].takenAt,
                )}: score ${scoreText(items[0].score)}, ${levelLabel(
                  items[0].level,
                )})`
              : ''}
            .
          </Typography>
        ) : (
          <ScoreChart points={items} />
        )}
        {changes && <ChangesList changes={changes} />}
      </>
    );
  }
  return <Section title="History">{body}</Section>;
};
