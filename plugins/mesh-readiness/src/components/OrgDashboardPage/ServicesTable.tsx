import { Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  READINESS_LEVELS,
  type CheckDefinition,
  type CheckStatus,
  type ServiceRow,
  type ServicesPage,
  type ServicesQuery,
  type ServicesSort,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import GetAppIcon from '@material-ui/icons/GetApp';
import { Alert } from '@material-ui/lab';
import { messageOf } from '../common/ApiErrorNotice';
import { useEffect, useRef, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { meshReadinessApiRef } from '../../api';
import { LevelChip } from '../common/LevelChip';
import { Section } from '../common/Section';
import {
  COVERAGE_HELP,
  formatCoverage,
  levelLabel,
  statusLabel,
} from '../common/labels';
import { shortRef } from './format';

/**
 * A /services row; `coverage` (0–1) is served by backends that store it.
 */
export type ServiceRowWithCoverage = ServiceRow & { coverage?: number | null };

/** The filters the table and the CSV export share. */
export type ServicesFilters = Pick<
  ServicesQuery,
  'owner' | 'system' | 'domain' | 'level' | 'check' | 'status' | 'q'
>;

export const CSV_FILE_NAME = 'mesh-readiness-services.csv';

/** Rows on the table's first page. */
export const DEFAULT_PAGE_SIZE = 25;

const SORTABLE: Record<string, ServicesSort> = {
  name: 'name',
  owner: 'owner',
  score: 'score',
  level: 'level',
};

const CHECK_STATUSES_FOR_FILTER: CheckStatus[] = [
  'fail',
  'invalid',
  'unknown',
  'warn',
  'waived',
];

const FACTS_HELP =
  "Inspected: read from the service's Kubernetes manifests. Declared only: from annotations alone.";

/** Inspected, declared only, or a dash while the backend does not say. */
function factsLabel(inspected: boolean | undefined): string {
  if (inspected === undefined) {
    return '–';
  }
  return inspected ? 'Inspected' : 'Declared only';
}

/** Starts a browser download of `text` as a CSV file. */
export function downloadCsv(text: string, fileName: string) {
  const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function clean(filters: ServicesFilters): ServicesFilters {
  const out: ServicesFilters = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  if (!out.check) {
    delete out.status;
  }
  return out;
}

const Select = (props: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  options: Array<{ value: string; label: string }>;
  anyLabel: string;
  disabled?: boolean;
}) => (
  <TextField
    id={props.id}
    select
    fullWidth
    variant="outlined"
    size="small"
    label={props.label}
    value={props.value ?? ''}
    disabled={props.disabled}
    onChange={e => props.onChange(e.target.value || undefined)}
    SelectProps={{ native: true }}
    InputLabelProps={{ shrink: true }}
  >
    <option value="">{props.anyLabel}</option>
    {props.options.map(o => (
      <option key={o.value} value={o.value}>
        {o.label}
      </option>
    ))}
  </TextField>
);

/** The services table: server-side paging, sorting, filters, CSV export. */
export const ServicesTable = (props: {
  filters: ServicesFilters;
  onFiltersChange: (filters: ServicesFilters) => void;
  owners: string[];
  systems: string[];
  domains: string[];
  checks: CheckDefinition[];
  /** Changes when the data was refreshed; reloads the current page. */
  reloadKey: number;
  /**
   * The first page (no filter, default sort), requested by the page before
   * the table mounts so that it loads beside the summary; used once, for
   * the table's first query, when that query is the same.
   */
  firstPage?: Promise<ServicesPage>;
  /**
   * A User ref: every query, the CSV export too, keeps to the services of
   * that user's groups (nested); the filters narrow within them.
   */
  ownedBy?: string;
}) => {
  const api = useApi(meshReadinessApiRef);
  const tableRef = useRef<any>();
  const filters = clean(props.filters);
  const filtersKey = JSON.stringify(filters);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const sortRef = useRef<ServicesSort | undefined>(undefined);
  const firstPageRef = useRef(props.firstPage);
  const [text, setText] = useState(props.filters.q ?? '');
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<Error>();
  const [tableError, setTableError] = useState<Error>();
  const titles = new Map(props.checks.map(c => [c.id, c.title]));

  const { onFiltersChange } = props;
  const set = (patch: Partial<ServicesFilters>) =>
    onFiltersChange({ ...props.filters, ...patch });

  // Text search is debounced; the other filters apply at once.
  useDebounce(
    () => {
      if ((props.filters.q ?? '') !== text) {
        onFiltersChange({ ...props.filters, q: text || undefined });
      }
    },
    300,
    [text],
  );
  useEffect(() => {
    setText(props.filters.q ?? '');
  }, [props.filters.q]);

  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const table = tableRef.current;
    if (table?.onQueryChange) {
      table.onQueryChange({ ...table.state.query, page: 0 });
    }
  }, [filtersKey]);

  useEffect(() => {
    if (props.reloadKey === 0) return;
    const table = tableRef.current;
    if (table?.onQueryChange) {
      table.onQueryChange(table.state.query);
    }
  }, [props.reloadKey]);

  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const csv = await api.getServicesCsv({
        ...filtersRef.current,
        ownedBy: props.ownedBy,
        sort: sortRef.current,
      });
      downloadCsv(csv, CSV_FILE_NAME);
    } catch (e) {
      setExportError(e as Error);
    } finally {
      setExporting(false);
    }
  };

  const columns: TableColumn<ServiceRowWithCoverage>[] = [
    {
      title: 'Service',
      field: 'name',
      highlight: true,
      cellStyle: { minWidth: 180 },
      render: row => (
        <EntityRefLink
          entityRef={row.entityRef}
          title={row.title ?? row.name}
        />
      ),
    },
    {
      title: 'Owner',
      field: 'owner',
      cellStyle: { minWidth: 120 },
      render: row => (row.owner ? shortRef(row.owner) : '—'),
    },
    {
      title: 'System',
      field: 'system',
      cellStyle: { minWidth: 120 },
      sorting: false,
      render: row => (row.system ? shortRef(row.system) : '—'),
    },
    {
      title: 'Score',
      field: 'score',
      type: 'numeric',
      render: row => row.score ?? '–',
    },
    {
      title: <span title={COVERAGE_HELP}>Coverage</span>,
      field: 'coverage',
      type: 'numeric',
      sorting: false,
      render: row => formatCoverage(row.coverage),
    },
    {
      title: <span title={FACTS_HELP}>Facts</span>,
      field: 'inspected',
      sorting: false,
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => factsLabel(row.inspected),
    },
    {
      title: 'Level',
      field: 'level',
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => <LevelChip level={row.level} />,
    },
    {
      title: 'Failing checks',
      field: 'failing',
      sorting: false,
      cellStyle: { minWidth: 200 },
      render: row =>
        row.failing.length === 0 ? (
          '—'
        ) : (
          <span>{row.failing.map(id => titles.get(id) ?? id).join(', ')}</span>
        ),
    },
    {
      title: 'Unknown checks',
      field: 'unknown',
      type: 'numeric',
      sorting: false,
      render: row => row.unknown.length,
    },
    {
      title: 'Problems',
      field: 'problems',
      sorting: false,
      type: 'numeric',
    },
    {
      title: 'Retry risk',
      field: 'retryRisk',
      sorting: false,
      render: row => (row.retryRisk ? 'Yes' : 'No'),
    },
  ];

  const entityChecks = props.checks.filter(c => c.scope === 'entity');
  const activeCount = Object.keys(filters).filter(k => k !== 'status').length;

  return (
    <Section
      title="Services"
      action={
        <Button
          variant="outlined"
          color="primary"
          startIcon={<GetAppIcon />}
          onClick={exportCsv}
          disabled={exporting}
        >
          {exporting ? 'Exporting…' : 'Export CSV'}
        </Button>
      }
    >
      <Box
        mb={2}
        component="form"
        role="search"
        aria-label="Filter services"
        onSubmit={e => e.preventDefault()}
      >
        <Grid container spacing={2}>
          <Grid item xs={12} md={3}>
            <TextField
              id="mesh-readiness-filter-q"
              fullWidth
              variant="outlined"
              size="small"
              label="Search services"
              type="search"
              value={text}
              onChange={e => setText(e.target.value)}
              InputLabelProps={{ shrink: true }}
            />
          </Grid>
          <Grid item xs={6} md={2}>
            <Select
              id="mesh-readiness-filter-owner"
              label="Owner"
              anyLabel="Any owner"
              value={filters.owner}
              onChange={owner => set({ owner })}
              options={props.owners.map(o => ({
                value: o,
                label: shortRef(o),
              }))}
            />
          </Grid>
          <Grid item xs={6} md={2}>
            <Select
              id="mesh-readiness-filter-level"
              label="Level"
              anyLabel="Any level"
              value={filters.level}
              onChange={level =>
                set({ level: level as ServicesFilters['level'] })
              }
              options={READINESS_LEVELS.map(l => ({
                value: l,
                label: levelLabel(l),
              }))}
            />
          </Grid>
          <Grid item xs={6} md={3}>
            <Select
              id="mesh-readiness-filter-check"
              label="Check"
              anyLabel="Any check"
              value={filters.check}
              onChange={check =>
                set({
                  check,
                  status: check ? props.filters.status ?? 'fail' : undefined,
                })
              }
              options={entityChecks.map(c => ({ value: c.id, label: c.title }))}
            />
          </Grid>
          <Grid item xs={6} md={2}>
            <Select
              id="mesh-readiness-filter-status"
              label="Check status"
              anyLabel="Fail (default)"
              value={filters.check ? filters.status : undefined}
              disabled={!filters.check}
              onChange={status =>
                set({ status: status as CheckStatus | undefined })
              }
              options={CHECK_STATUSES_FOR_FILTER.map(s => ({
                value: s,
                label: statusLabel(s),
              }))}
            />
          </Grid>
          {props.systems.length > 0 && (
            <Grid item xs={6} md={3}>
              <Select
                id="mesh-readiness-filter-system"
                label="System"
                anyLabel="Any system"
                value={filters.system}
                onChange={system => set({ system })}
                options={props.systems.map(s => ({
                  value: s,
                  label: shortRef(s),
                }))}
              />
            </Grid>
          )}
          {props.domains.length > 0 && (
            <Grid item xs={6} md={3}>
              <Select
                id="mesh-readiness-filter-domain"
                label="Domain"
                anyLabel="Any domain"
                value={filters.domain}
                onChange={domain => set({ domain })}
                options={props.domains.map(d => ({
                  value: d,
                  label: shortRef(d),
                }))}
              />
            </Grid>
          )}
          {activeCount > 0 && (
            <Grid item xs={12} md="auto">
              <Button
                onClick={() => {
                  setText('');
                  onFiltersChange({});
                }}
              >
                Clear filters
              </Button>
            </Grid>
          )}
        </Grid>
      </Box>
      {exportError && (
        <Alert severity="error" style={{ marginBottom: 16 }}>
          CSV export failed: {messageOf(exportError)}
        </Alert>
      )}
      {tableError && (
        <Alert severity="error" style={{ marginBottom: 16 }}>
          The services could not be loaded: {messageOf(tableError)}
        </Alert>
      )}
      <Table<ServiceRowWithCoverage>
        tableRef={tableRef}
        columns={columns}
        options={{
          toolbar: false,
          search: false,
          paging: true,
          pageSize: DEFAULT_PAGE_SIZE,
          pageSizeOptions: [25, 50, 100],
          sorting: true,
          padding: 'dense',
          emptyRowsWhenPaging: false,
          draggable: false,
        }}
        localization={{
          body: { emptyDataSourceMessage: 'No service matches these filters.' },
        }}
        data={async query => {
          const field = query.orderBy?.field as string | undefined;
          const key = field ? SORTABLE[field] : undefined;
          const sort = key
            ? ((query.orderDirection === 'desc'
                ? `-${key}`
                : key) as ServicesSort)
            : undefined;
          sortRef.current = sort;
          const prefetched = firstPageRef.current;
          firstPageRef.current = undefined;
          const isFirstPage =
            query.page === 0 &&
            query.pageSize === DEFAULT_PAGE_SIZE &&
            !sort &&
            Object.keys(filtersRef.current).length === 0;
          let page;
          try {
            page =
              (prefetched && isFirstPage
                ? await prefetched.catch(() => undefined)
                : undefined) ??
              (await api.getServices({
                ...filtersRef.current,
                ownedBy: props.ownedBy,
                page: query.page + 1,
                pageSize: query.pageSize,
                sort,
              }));
            setTableError(undefined);
          } catch (e) {
            setTableError(e as Error);
            return { data: [], page: 0, totalCount: 0 };
          }
          return {
            data: page.items,
            page: page.page - 1,
            totalCount: page.total,
          };
        }}
      />
    </Section>
  );
};
