import type { HistoryPoint } from '@mesh-readiness/plugin-mesh-readiness-common';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
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
import { ApiErrorNotice } from '../common/ApiErrorNotice';
import { Section } from '../common/Section';
import {
  formatTime,
  timeAxis,
  timeFormatFor,
  timeOf,
} from '../common/timeAxis';

/** The org score and the number of ready services over time. */
export const TrendChart = (props: {
  history: HistoryPoint[] | undefined;
  error?: Error;
}) => {
  const theme = useTheme();
  if (props.error) {
    return (
      <Section title="Trend">
        <ApiErrorNotice error={props.error} what="the history" level={3} />
      </Section>
    );
  }
  const points = [...(props.history ?? [])].sort((a, b) =>
    a.takenAt.localeCompare(b.takenAt),
  );
  if (points.length < 2) {
    return (
      <Section title="Trend">
        <Typography variant="body2">
          Not enough history yet: the trend appears once two snapshots have been
          taken.
        </Typography>
      </Section>
    );
  }
  const data = points.map(p => ({
    at: timeOf(p.takenAt),
    score: p.score,
    ready: (p.levels['production-ready'] ?? 0) + (p.levels.optimal ?? 0),
    inScope: p.inScope,
  }));
  const format = timeFormatFor(data.map(d => d.at));
  const first = data[0];
  const last = data[data.length - 1];
  const summary = `Org score from ${first.score ?? 'none'} on ${format(
    first.at,
  )} to ${last.score ?? 'none'} on ${format(
    last.at,
  )}; production-ready or better from ${first.ready} to ${
    last.ready
  } services.`;
  return (
    <Section title="Trend">
      <div role="img" aria-label={`Line chart. ${summary}`}>
        <ResponsiveContainer width="100%" height={260}>
          <LineChart
            data={data}
            margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis {...timeAxis(data.map(d => d.at))} />
            <YAxis yAxisId="score" domain={[0, 100]} tick={{ fontSize: 12 }} />
            <YAxis
              yAxisId="count"
              orientation="right"
              allowDecimals={false}
              tick={{ fontSize: 12 }}
            />
            <Tooltip labelFormatter={label => formatTime(Number(label))} />
            <Legend />
            <Line
              yAxisId="score"
              type="monotone"
              dataKey="score"
              name="Org score"
              stroke={theme.palette.primary.main}
              strokeWidth={2}
              isAnimationActive={false}
            />
            <Line
              yAxisId="count"
              type="monotone"
              dataKey="ready"
              name="Production ready or better"
              stroke={theme.palette.success?.main ?? '#2e7d32'}
              strokeDasharray="5 3"
              strokeWidth={2}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <Typography variant="body2" component="p">
        {summary}
      </Typography>
    </Section>
  );
};
