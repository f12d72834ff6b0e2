import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import BlockIcon from '@material-ui/icons/Block';
import SearchIcon from '@material-ui/icons/Search';
import useAsync from 'react-use/esm/useAsync';
import { meshReadinessApiRef } from '../../api';
import { ApiErrorNotice, statusOf } from '../common/ApiErrorNotice';
import { Notice } from '../common/Notice';
import { useCheckDefinitions } from '../common/useCheckDefinitions';
import { HistorySection } from './HistorySection';
import { ScorecardView } from './ScorecardView';

/** The Mesh readiness tab of an entity page. */
export const ScorecardTab = () => {
  const { entity } = useEntity();
  const api = useApi(meshReadinessApiRef);
  const ref = getCompoundEntityRef(entity);
  const state = useAsync(
    () => api.getEntity(ref),
    [api, ref.kind, ref.namespace, ref.name],
  );
  const checks = useCheckDefinitions();

  if (state.loading || (checks.loading && !state.error)) {
    return <Progress />;
  }
  if (state.error) {
    if (statusOf(state.error) === 404) {
      return (
        <Notice
          title="No mesh readiness result for this entity"
          icon={<SearchIcon />}
        >
          <Typography variant="body1" paragraph>
            Mesh Readiness has no result for{' '}
            <code>{stringifyEntityRef(entity)}</code>. It may have been added to
            the catalog after the last snapshot (it appears after the next
            refresh), or you may not have permission to see it.
          </Typography>
        </Notice>
      );
    }
    return <ApiErrorNotice error={state.error} what="this scorecard" />;
  }
  const result = state.value!;
  if (!result.inScope) {
    return (
      <Notice title="Not in scope for mesh readiness" icon={<BlockIcon />}>
        <Typography variant="body1" paragraph>
          {result.scopeReason ??
            'This entity is not a workload that would run in the mesh.'}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Only Components that run on a Kubernetes cluster are scored. If this
          one should be, remove its <code>mesh-readiness.io/exclude</code>{' '}
          annotation or give it a workload <code>spec.type</code> (service,
          website, job, cronjob).
        </Typography>
      </Notice>
    );
  }
  return (
    <>
      <ScorecardView
        entity={entity}
        result={result}
        defs={checks.byId}
        checksError={checks.error}
      />
      <Box mt={3}>
        <HistorySection entityRef={ref} />
      </Box>
    </>
  );
};
