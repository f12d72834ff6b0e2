import { Progress } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { meshReadinessApiRef } from '../../api';
import { ApiErrorNotice } from '../common/ApiErrorNotice';
import { MY_SERVICES_SCOPE } from '../common/scope';
import { useCheckDefinitions } from '../common/useCheckDefinitions';
import { LevelChart } from './LevelChart';
import { MostMissingCard, RetryRiskCard } from './MostMissingCard';
import { MyServicesEmpty, MyServicesScope, ScopeToggle } from './MyServices';
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

/** The dashboard of one scope: the whole organisation or `ownedBy`'s. */
const DashboardBody = (props: { ownedBy?: string; onShowOrg: () => void }) => {
  const { ownedBy } = props;
  const api = useApi(meshReadinessApiRef);
  const summary = useAsyncRetry(
    () => api.getSummary(ownedBy ? { ownedBy } : {}),
    [api, ownedBy],
  );
  // The table's first page is asked for now, beside the summary, instead of
  // once the summary has come back and the table has mounted.
  // If it fails, the table asks again and reports the error itself.
  const [firstPage] = useState(() => {
    const page = api.getServices({
      page: 1,
      pageSize: DEFAULT_PAGE_SIZE,
      ownedBy,
    });
    page.catch(() => {});
    return page;
  });
  // My services are told apart from none only once the first page is in.
  const firstPageState = useAsync(
    () => (ownedBy ? firstPage.catch(() => undefined) : Promise.resolve()),
    [firstPage, ownedBy],
  );
  const [historyKey, setHistoryKey] = useState(0);
  // History is kept for the organisation and per owner, not for a user's
  // groups: the trend is the organisation's only.
  const history = useAsync(async () => {
    if (ownedBy) {
      return undefined;
    }
    const from = new Date(Date.now() - HISTORY_DAYS * 86_400_000).toISOString();
    return api.getHistory({ from });
  }, [api, historyKey, ownedBy]);
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

  if ((summary.loading && !summary.value) || firstPageState.loading) {
    return <Progress />;
  }
  if (summary.error && !summary.value) {
    return (
      <ApiErrorNotice
        error={summary.error}
        what={
          ownedBy
            ? "your services' mesh readiness"
            : "the organisation's mesh readiness"
        }
      />
    );
  }
  const { snapshot, org, ownedBy: scope } = summary.value!;
  const myPage = firstPageState.value;
  if (ownedBy && scope && myPage && myPage.total === 0) {
    return <MyServicesEmpty scope={scope} onShowOrg={props.onShowOrg} />;
  }

  return (
    <Grid container spacing={3}>
      {ownedBy && scope && (
        <Grid item xs={12}>
          <MyServicesScope scope={scope} services={myPage?.total} />
        </Grid>
      )}
      <Grid item xs={12}>
        <SnapshotBar
          snapshot={snapshot}
          refreshing={refreshing}
          refreshError={refreshError}
          onRefresh={refresh}
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <VerdictCard org={org} mine={Boolean(ownedBy)} />
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
      <Grid item xs={12} lg={ownedBy ? 12 : 6}>
        <LevelChart
          levels={org.levels}
          inScope={org.counts.inScope}
          coverage={org.coverage}
          inspected={org.inspected}
          clusters={org.observedClusters}
        />
      </Grid>
      {!ownedBy && (
        <Grid item xs={12} lg={6}>
          <TrendChart history={history.value} error={history.error} />
        </Grid>
      )}
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
          ownedBy={ownedBy}
        />
      </Grid>
    </Grid>
  );
};

/**
 * The org dashboard without a page header: the new frontend system gives
 * pages their header; the classic page wraps this in one. With
 * `?scope=mine` it shows the services the signed-in user's groups own
 * (and the groups below them), otherwise the whole organisation.
 */
export const OrgDashboardContent = () => {
  const [params, setParams] = useSearchParams();
  const mine = params.get('scope') === MY_SERVICES_SCOPE;
  const identityApi = useApi(identityApiRef);
  const user = useAsync(
    async () =>
      mine ? (await identityApi.getBackstageIdentity()).userEntityRef : '',
    [identityApi, mine],
  );

  const setMine = (next: boolean) =>
    setParams(
      current => {
        const updated = new URLSearchParams(current);
        if (next) {
          updated.set('scope', MY_SERVICES_SCOPE);
        } else {
          updated.delete('scope');
        }
        return updated;
      },
      { replace: true },
    );

  let body;
  if (user.loading) {
    body = <Progress />;
  } else if (user.error) {
    body = (
      <ApiErrorNotice error={user.error} what="who you are signed in as" />
    );
  } else {
    // A new body per scope: the summary, table and filters start afresh.
    body = (
      <DashboardBody
        key={mine ? `mine:${user.value}` : 'org'}
        ownedBy={mine ? user.value : undefined}
        onShowOrg={() => setMine(false)}
      />
    );
  }
  return (
    <>
      <ScopeToggle mine={mine} onChange={setMine} />
      {body}
    </>
  );
};
