import {
  READINESS_LEVELS,
  type OrgResult,
  type RollupRow,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { Section } from '../common/Section';
import { COVERAGE_HELP, formatCoverage, levelLabel } from '../common/labels';
import { shortRef } from './format';

type Dimension = 'owner' | 'system' | 'domain';

/** Short headers stay on one line (no "Servic-es" on narrow screens). */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

const TABS: Array<{ key: Dimension; label: string }> = [
  { key: 'owner', label: 'By team' },
  { key: 'system', label: 'By system' },
  { key: 'domain', label: 'By domain' },
];

const NAME_HEADER: Record<Dimension, string> = {
  owner: 'Team',
  system: 'System',
  domain: 'Domain',
};

/** Aggregates per team, system and domain; lowest score first. */
export const RollupsCard = (props: {
  rollups: OrgResult['rollups'];
  onFilter: (dimension: Dimension, key: string) => void;
}) => {
  const [tab, setTab] = useState(0);
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(10);
  const dimension = TABS[tab].key;
  const rows: RollupRow[] = [...(props.rollups[dimension] ?? [])].sort(
    (a, b) => (a.score ?? -1) - (b.score ?? -1) || a.key.localeCompare(b.key),
  );
  return (
    <Section title="Rollups">
      <Tabs
        value={tab}
        onChange={(_e, v) => {
          setTab(v);
          setPage(0);
        }}
        aria-label="Rollup dimension"
        indicatorColor="primary"
        textColor="primary"
      >
        {TABS.map((t, i) => (
          <Tab
            key={t.key}
            label={t.label}
            id={`rollup-tab-${i}`}
            aria-controls={`rollup-panel-${i}`}
          />
        ))}
      </Tabs>
      <div
        role="tabpanel"
        id={`rollup-panel-${tab}`}
        aria-labelledby={`rollup-tab-${tab}`}
      >
        {rows.length === 0 ? (
          <Box p={2}>
            <Typography variant="body2">No data for this dimension.</Typography>
          </Box>
        ) : (
          <Box style={{ overflowX: 'auto' }}>
            <Table
              size="small"
              aria-label={`Readiness ${TABS[tab].label.toLowerCase()}`}
            >
              <TableHead>
                <TableRow>
                  <TableCell>{NAME_HEADER[dimension]}</TableCell>
                  <TableCell align="right" style={NOWRAP}>
                    Services
                  </TableCell>
                  <TableCell align="right" style={NOWRAP}>
                    Score
                  </TableCell>
                  <TableCell align="right" style={NOWRAP} title={COVERAGE_HELP}>
                    Coverage
                  </TableCell>
                  {READINESS_LEVELS.map(l => (
                    <TableCell key={l} align="right">
                      {levelLabel(l)}
                    </TableCell>
                  ))}
                  <TableCell align="right">Failing checks</TableCell>
                  <TableCell>
                    <span style={{ position: 'absolute', left: -10000 }}>
                      Actions
                    </span>
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows
                  .slice(page * rowsPerPage, (page + 1) * rowsPerPage)
                  .map(row => (
                    <TableRow key={row.key}>
                      <TableCell title={row.key}>{shortRef(row.key)}</TableCell>
                      <TableCell align="right">{row.services}</TableCell>
                      <TableCell align="right">{row.score ?? '–'}</TableCell>
                      <TableCell align="right">
                        {formatCoverage(row.coverage)}
                      </TableCell>
                      {READINESS_LEVELS.map(l => (
                        <TableCell key={l} align="right">
                          {row.levels[l] ?? 0}
                        </TableCell>
                      ))}
                      <TableCell align="right">{row.failing}</TableCell>
                      <TableCell>
                        <Button
                          size="small"
                          color="primary"
                          onClick={() => props.onFilter(dimension, row.key)}
                          aria-label={`Show services of ${shortRef(row.key)}`}
                        >
                          Show services
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
              </TableBody>
            </Table>
            {rows.length > 10 && (
              <TablePagination
                component="div"
                count={rows.length}
                page={Math.min(page, Math.ceil(rows.length / rowsPerPage) - 1)}
                rowsPerPage={rowsPerPage}
                rowsPerPageOptions={[10, 25, 100]}
                labelRowsPerPage="Rows per page"
                backIconButtonProps={{
                  'aria-label': 'Previous page of rollups',
                }}
                nextIconButtonProps={{ 'aria-label': 'Next page of rollups' }}
                onPageChange={(_e, p) => setPage(p)}
                onRowsPerPageChange={e => {
                  setRowsPerPage(Number(e.target.value));
                  setPage(0);
                }}
              />
            )}
          </Box>
        )}
      </div>
    </Section>
  );
};
