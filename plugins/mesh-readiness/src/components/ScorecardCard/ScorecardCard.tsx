import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { meshReadinessApiRef } from '../../api';
import { messageOf, statusOf } from '../common/ApiErrorNotice';
import { LevelChip } from '../common/LevelChip';
import { StatusChip } from '../common/StatusChip';
import { useCheckDefinitions } from '../common/useCheckDefinitions';
import { countStatuses } from '../ScorecardTab/model';
import { COVERAGE_HELP, formatCoverage } from '../common/labels';

const useStyles = makeStyles(theme => ({
  score: { fontSize: '2.75rem', fontWeight: 700, lineHeight: 1 },
  outOf: { color: theme.palette.text.secondary, marginLeft: 4 },
  list: { margin: 0, padding: 0, listStyle: 'none' },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
}));

const CardBody = () => {
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useApi(meshReadinessApiRef);
  const ref = getCompoundEntityRef(entity);
  const state = useAsync(
    () => api.getEntity(ref),
    [api, ref.kind, ref.namespace, ref.name],
  );
  const { byId } = useCheckDefinitions();

  if (state.loading) {
    return <Progress />;
  }
  if (state.error) {
    const status = statusOf(state.error);
    return (
      <Typography variant="body2" role="alert">
        {status === 404
          ? 'No mesh readiness result for this entity yet.'
          : `Mesh readiness could not be loaded: ${messageOf(state.error)}`}
      </Typography>
    );
  }
  const result = state.value!;
  if (!result.inScope) {
    return (
      <Typography variant="body2">
        Not in scope
        {result.scopeReason ? `: ${result.scopeReason}` : '.'}
      </Typography>
    );
  }
  const counts = countStatuses(result.checks);
  const top = result.topMissing.slice(0, 3);
  const inspected = (result.manifests?.workloads.length ?? 0) > 0;
  return (
    <>
      <Box display="flex" alignItems="center" gridGap={16} mb={1}>
        <Typography
          component="p"
          aria-label={`Score ${result.score ?? 'none'} out of 100`}
        >
          <span className={classes.score}>{result.score ?? '–'}</span>
          <span className={classes.outOf}>/ 100</span>
        </Typography>
        <LevelChip level={result.level} size="medium" />
      </Box>
      <Typography variant="body2" component="p" paragraph>
        <span title={COVERAGE_HELP}>
          Coverage {formatCoverage(result.coverage)}
        </span>
        {' · '}
        {counts.byStatus.pass ?? 0} of {counts.applicable} checks pass
        {' · '}
        {inspected ? (
          <span
            title="Facts read from the workload's Kubernetes manifests"
            data-testid="facts-source"
          >
            Inspected
          </span>
        ) : (
          <span
            title="No manifests read: every fact comes from annotations"
            data-testid="facts-source"
          >
            Declared only
          </span>
        )}
      </Typography>
      {result.level === 'not-assessed' && (
        <Typography variant="body2" component="p" paragraph>
          Not assessed: too little is declared to judge this service. The
          scorecard lists the annotations to declare.
        </Typography>
      )}
      {top.length > 0 ? (
        <>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Top missing prerequisites
          </Typography>
          <ol className={classes.list}>
            {top.map(id => {
              const check = result.checks.find(c => c.id === id);
              return (
                <li key={id} className={classes.item}>
                  {check && <StatusChip status={check.status} />}
                  <Typography variant="body2" component="span">
                    {byId.get(id)?.title ?? id}
                  </Typography>
                </li>
              );
            })}
          </ol>
        </>
      ) : (
        <Typography variant="body2">
          Nothing missing: every prerequisite is met.
        </Typography>
      )}
    </>
  );
};

/** The Mesh readiness card for an entity's overview page. */
export const ScorecardCard = () => (
  <InfoCard
    title="Mesh readiness"
    titleTypographyProps={{ component: 'h2' }}
    deepLink={{ title: 'View the scorecard', link: './mesh-readiness' }}
  >
    <CardBody />
  </InfoCard>
);
