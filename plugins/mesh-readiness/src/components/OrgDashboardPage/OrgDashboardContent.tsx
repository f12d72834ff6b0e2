import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useCallback, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { meshReadinessApiRef } from '../../api';
import { ApiErrorNotice } from '../common/ApiErrorNotice';
import { useCheckDefinitions } from '../common/useCheckDefinitions';
import { LevelChart } from './LevelChart';
import { MostMissingCard, RetryRiskCard } from './MostMissingCard';
import { OptionsCard } from './OptionsCard';
import { RecommendationCard } from './RecommendationCard';
import { RollupsCard } from './RollupsCard';
import {
  DEFAULT_PAGE_SIZE,
  ServicesTable,
  type ServicesFilters,
} from './ServicesTable';
import { SnapshotBar } from './SnapshotBar';
import { TrendChart } from './TrendChart';
import { VerdictCard } from './VerdictCard';

const HISTORY_DAYS = 180;

/**
 * The org dashboard without a page header: the new frontend system gives
 * pages their header; the classic page wraps this in one.
 */
export const OrgDashboardContent = () => {
  const api = useApi(meshReadinessApiRef);
  const summary = useAsyncRetry(() => api.getSummary(), [api]);
  // The table's first page is asked for now, beside the summary, instead of
  // once the summary has come back and the table has mounted.
  // If it fails, the table asks again and reports the error itself.
  const [firstPage] = useState(() => {
    const page = api.getServices({ page: 1, pageSize: DEFAULT_PAGE_SIZE });
    page.catch(() => {});
    return page;
  });
  const [historyKey, setHistoryKey] = useState(0);
  const history = useAsync(() => {
    const from = new Date(Date.now() - HISTORY_DAYS * 86_400_000).toISOString();
    return api.getHistory({ from });
  }, [api, historyKey]);
  const checks = useCheckDefinitions();
  const [filters, setFilters] = useState<ServicesFilters>({});
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<Error>();
  const [reloadKey, setReloadKey] = useState(0);
  const tableAnchor = useRef<HTMLDivElement>(null);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    setRefreshError(undefined);
    try {
      await api.refresh();
      summary.retry();
      setHistoryKey(k => k + 1);
      setReloadKey(k => k + 1);
    } catch (e) {
      setRefreshError(e as Error);
    } finally {
      setRefreshing(false);
    }
  }, [api, summary]);

  const showInTable = useCallback((patch: ServicesFilters) => {
    setFilters(patch);
    tableAnchor.current?.scrollIntoView?.({ behavior: 'smooth' });
  }, []);

  const checkList = useMemo(() => [...checks.byId.values()], [checks.byId]);

  if (summary.loading && !summary.value) {
    return <Progress />;
  }
  if (summary.error && !summary.value) {
    return (
      <ApiErrorNotice
        error={summary.error}
        what="the organisation's mesh readiness"
      />
    );
  }
  const { snapshot, org } = summary.value!;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SnapshotBar
          snapshot={snapshot}
          refreshing={refreshing}
          refreshError={refreshError}
          onRefresh={refresh}
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <VerdictCard org={org} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <RecommendationCard recommendation={org.recommendation} />
      </Grid>
      <Grid item xs={12}>
        <OptionsCard
          alternatives={org.recommendation.alternatives}
          cost={org.cost}
          recommended={org.recommendation.mesh}
          basis={org.recommendation.basis}
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <LevelChart
          levels={org.levels}
          inScope={org.counts.inScope}
          coverage={org.coverage}
          inspected={org.inspected}
          clusters={org.observedClusters}
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <TrendChart history={history.value} error={history.error} />
      </Grid>
      <Grid item xs={12} lg={8}>
        <MostMissingCard
          mostMissing={org.mostMissing}
          onShowCheck={(check, status) => showInTable({ check, status })}
        />
      </Grid>
      <Grid item xs={12} lg={4}>
        <RetryRiskCard
          retryRisk={org.retryRisk}
          onShow={() => showInTable({ check: 'retry-safety', status: 'fail' })}
        />
      </Grid>
      <Grid item xs={12}>
        <RollupsCard
          rollups={org.rollups}
          onFilter={(dimension, key) => showInTable({ [dimension]: key })}
        />
      </Grid>
      <Grid item xs={12}>
        <div ref={tableAnchor} />
        <ServicesTable
          filters={filters}
          onFiltersChange={setFilters}
          owners={org.rollups.owner.map(r => r.key)}
          systems={org.rollups.system.map(r => r.key)}
          domains={org.rollups.domain.map(r => r.key)}
          checks={checkList}
          reloadKey={reloadKey}
          firstPage={firstPage}
        />
      </Grid>
    </Grid>
  );
};
