import { Link, Progress } from '@backstage/core-components';
import {
  identityApiRef,
  useApi,
  useRouteRef,
} from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  READINESS_LEVELS,
  type ServiceRow,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { meshReadinessApiRef } from '../../api';
import { messageOf } from '../common/ApiErrorNotice';
import { LevelChip } from '../common/LevelChip';
import { MY_SERVICES_SCOPE } from '../common/scope';
import { shortRef } from '../OrgDashboardPage/format';

/** How many of the lowest-scoring services the card lists by default. */
export const LOWEST_DEFAULT = 5;

const useStyles = makeStyles(theme => ({
  levels: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    margin: theme.spacing(0, 0, 2),
    padding: 0,
    listStyle: 'none',
  },
  level: { display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) },
  lowest: { margin: theme.spacing(0, 0, 2), padding: 0, listStyle: 'none' },
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
  },
  name: { flex: 1, minWidth: 0, overflowWrap: 'anywhere' },
  score: { fontWeight: 700, minWidth: '2.5em', textAlign: 'right' },
}));

/** The link to a service's Mesh readiness tab. */
function useTabLink(): (row: ServiceRow) => string | undefined {
  const entityRoute = useRouteRef(entityRouteRef);
  return row => {
    try {
      const params = entityRouteParams(row.entityRef, { encodeParams: true });
      return `${entityRoute(params)}/mesh-readiness`;
    } catch {
      return undefined;
    }
  };
}

/**
 * The body of the "My services' mesh readiness" home page card: how many
 * of the services owned by the signed-in user's groups (and the groups below
 * them) sit at each level, and the lowest-scoring few, each linked to its
 * Mesh readiness tab.
 */
export const MyServicesCardContent = (props: {
  /** Where the dashboard is mounted; no link to it without. */
  dashboardPath?: string;
  /** How many of the lowest-scoring services to list. */
  limit?: number;
}) => {
  const classes = useStyles();
  const limit = props.limit ?? LOWEST_DEFAULT;
  const identityApi = useApi(identityApiRef);
  const api = useApi(meshReadinessApiRef);
  const tabLink = useTabLink();
  const state = useAsync(async () => {
    const { userEntityRef } = await identityApi.getBackstageIdentity();
    const [summary, lowest] = await Promise.all([
      api.getSummary({ ownedBy: userEntityRef }),
      api.getServices({
        ownedBy: userEntityRef,
        sort: 'score',
        pageSize: limit,
      }),
    ]);
    return { userEntityRef, summary, lowest };
  }, [identityApi, api, limit]);

  if (state.loading) {
    return <Progress />;
  }
  if (state.error) {
    return (
      <Typography variant="body2" role="alert">
        Your services' mesh readiness could not be loaded:{' '}
        {messageOf(state.error)}
      </Typography>
    );
  }
  const { userEntityRef, summary, lowest } = state.value!;
  const scope = summary.ownedBy;
  const { dashboardPath } = props;

  if (lowest.total === 0) {
    return (
      <>
        <Typography variant="body2" paragraph>
          {scope && !scope.found
            ? `You are signed in as ${userEntityRef}, and the catalog has no such User: Mesh Readiness cannot tell which groups you belong to.`
            : 'None of your groups owns a service.'}
        </Typography>
        {dashboardPath && (
          <Link to={dashboardPath}>See the whole organisation</Link>
        )}
      </>
    );
  }

  const { org } = summary;
  const scored = lowest.items.filter(row => row.score !== null);
  return (
    <>
      <Typography variant="body2" paragraph>
        {lowest.total} service{lowest.total === 1 ? '' : 's'} owned by you and
        your groups
        {scope && scope.groups.length > 0
          ? ` (${scope.groups.map(shortRef).join(', ')}${
              scope.owners.length > scope.groups.length + 1
                ? ' and the groups below'
                : ''
            })`
          : ''}
        {org.score !== null ? ` · score ${org.score}` : ''}
      </Typography>
      <ul className={classes.levels} aria-label="Services by level">
        {READINESS_LEVELS.map(level => (
          <li key={level} className={classes.level}>
            <LevelChip level={level} />
            <Typography variant="body2" component="span">
              {org.levels[level] ?? 0}
            </Typography>
          </li>
        ))}
      </ul>
      {scored.length > 0 && (
        <>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Lowest scores
          </Typography>
          <ol className={classes.lowest} aria-label="Lowest scores">
            {scored.map(row => {
              const to = tabLink(row);
              const name = row.title ?? row.name;
              return (
                <li key={row.entityRef} className={classes.row}>
                  <Typography
                    variant="body2"
                    component="span"
                    className={classes.score}
                    aria-label={`Score ${row.score}`}
                  >
                    {row.score}
                  </Typography>
                  <Typography
                    variant="body2"
                    component="span"
                    className={classes.name}
                  >
                    {to ? <Link to={to}>{name}</Link> : name}
                  </Typography>
                  <LevelChip level={row.level} />
                </li>
              );
            })}
          </ol>
        </>
      )}
      {dashboardPath && (
        <Box>
          <Link to={`${dashboardPath}?scope=${MY_SERVICES_SCOPE}`}>
            Open my services on the dashboard
          </Link>
        </Box>
      )}
    </>
  );
};
