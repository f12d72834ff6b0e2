import {
  type ObservedCluster,
  READINESS_LEVELS,
  type ReadinessLevel,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { LEVEL_COLORS } from '../common/LevelChip';
import { Section } from '../common/Section';
import { formatCoverage, levelLabel } from '../common/labels';

/**
 * `Cluster prod: Kubernetes 1.33, 3 nodes, Linkerd installed; seen …`:
 * what the cluster itself reported, with when.
 */
function clusterLine(c: ObservedCluster): string {
  const time = c.source.observedAt ? new Date(c.source.observedAt) : undefined;
  const seen =
    time && !isNaN(time.getTime())
      ? `; ${
          c.stale ? 'not answering, last seen' : 'seen'
        } ${time.toLocaleString(undefined, {
          dateStyle: 'medium',
          timeStyle: 'short',
        })}`
      : '';
  const facts = [
    c.kubernetesVersion
      ? `Kubernetes ${c.kubernetesVersion}`
      : 'Kubernetes version unknown',
    c.nodes !== undefined
      ? `${c.nodes} node${c.nodes === 1 ? '' : 's'}`
      : 'node count unknown',
    c.meshes.length > 0
      ? `mesh APIs installed: ${c.meshes.join(', ')}`
      : 'no mesh installed',
  ];
  return `Cluster ${c.name}: ${facts.join(', ')}${seen}${
    c.problems.length > 0 ? ` (${c.problems.length} not read)` : ''
  }.`;
}

/** How many in-scope services sit at each level, as a bar chart. */
export const LevelChart = (props: {
  levels: Record<ReadinessLevel, number>;
  inScope: number;
  /** Mean coverage of the in-scope services. */
  coverage?: number | null;
  /** In-scope services whose manifests were read; undefined when not served. */
  inspected?: number;
  /** What the running clusters said about themselves, when they were read. */
  clusters?: ObservedCluster[];
}) => {
  const theme = useTheme();
  const data = READINESS_LEVELS.map(level => ({
    level,
    label: levelLabel(level),
    services: props.levels[level] ?? 0,
  }));
  const summary = data.map(d => `${d.label}: ${d.services}`).join(', ');
  return (
    <Section title="Services by level">
      <div
        role="img"
        aria-label={`Bar chart of services by level. ${summary}.`}
      >
        <ResponsiveContainer width="100%" height={240}>
          <BarChart
            data={data}
            margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fill: theme.palette.text.primary, fontSize: 12 }}
            />
            <YAxis
              allowDecimals={false}
              tick={{ fill: theme.palette.text.primary, fontSize: 12 }}
            />
            <Tooltip />
            <Bar dataKey="services" name="Services" isAnimationActive={false}>
              {data.map(d => (
                <Cell key={d.level} fill={LEVEL_COLORS[d.level]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Box
        component="ul"
        display="flex"
        flexWrap="wrap"
        gridGap={16}
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
        aria-label="Services per level"
      >
        {data.map(d => (
          <li key={d.level}>
            <Box display="flex" alignItems="center" gridGap={6}>
              <span
                aria-hidden
                style={{
                  width: 12,
                  height: 12,
                  borderRadius: 2,
                  background: LEVEL_COLORS[d.level],
                  display: 'inline-block',
                }}
              />
              <Typography variant="body2" component="span">
                {d.label}: <strong>{d.services}</strong>
              </Typography>
            </Box>
          </li>
        ))}
      </Box>
      {props.inspected !== undefined && (
        <Typography
          variant="body2"
          component="p"
          style={{ marginTop: 12 }}
          data-testid="inspected"
        >
          <strong>
            {props.inspected} of {props.inScope}
          </strong>{' '}
          services inspected (facts read from their Kubernetes manifests or the
          running cluster); {Math.max(props.inScope - props.inspected, 0)}{' '}
          declared only.
        </Typography>
      )}
      {(props.clusters ?? []).length > 0 && (
        <Box
          component="ul"
          m={0}
          mt={1}
          pl={2.5}
          aria-label="Clusters read"
          data-testid="observed-clusters"
        >
          {props.clusters!.map(c => (
            <li key={c.name}>
              <Typography variant="body2" component="span">
                {clusterLine(c)}
              </Typography>
            </li>
          ))}
        </Box>
      )}
      <Typography
        variant="caption"
        color="textSecondary"
        component="p"
        style={{ marginTop: 8 }}
      >
        {props.inScope} services in scope; mean coverage{' '}
        {formatCoverage(props.coverage)} (the share of check weight whose status
        is known).
        {(props.levels['not-assessed'] ?? 0) > 0 &&
          ' Not assessed: too little is known about a service to judge it.'}
      </Typography>
    </Section>
  );
};
