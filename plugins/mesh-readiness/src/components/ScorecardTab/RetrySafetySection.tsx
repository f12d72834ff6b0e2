import { CodeSnippet } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  CheckResult,
  MeshRetryVerdict,
  RetryOperation,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { Section } from '../common/Section';
import { SourceLinks } from '../common/SourceLinks';
import { StatusChip } from '../common/StatusChip';
import { meshLabel } from '../common/labels';

function safetyRank(op: RetryOperation): number {
  if (op.retrySafe === false) return 0;
  if (op.retrySafe === 'unknown') return 1;
  return 2;
}

/** Unsafe operations first, then unknown, then safe; stable otherwise. */
export function sortOperations(ops: RetryOperation[]): RetryOperation[] {
  return ops
    .map((op, index) => ({ op, index }))
    .sort((a, b) => safetyRank(a.op) - safetyRank(b.op) || a.index - b.index)
    .map(x => x.op);
}

function yesNo(value: boolean | 'unknown'): string {
  if (value === 'unknown') return 'Unknown';
  return value ? 'Yes' : 'No';
}

function retryChip(value: boolean | 'unknown'): {
  status: string;
  label: string;
} {
  if (value === 'unknown') return { status: 'unknown', label: 'Unknown' };
  return value
    ? { status: 'pass', label: 'Safe' }
    : { status: 'fail', label: 'Unsafe' };
}

const VERDICT_STATUS: Record<MeshRetryVerdict, string> = {
  safe: 'pass',
  unsafe: 'fail',
  unknown: 'unknown',
};

/** The per-operation retry table and the per-mesh configuration. */
export const RetrySafetySection = (props: { check: CheckResult }) => {
  const { check } = props;
  const operations = sortOperations(check.operations ?? []);
  const snippets = check.snippets ?? [];
  const [tab, setTab] = useState(0);
  const unsafe = operations.filter(o => o.retrySafe === false).length;
  const perMesh = Object.entries(check.perMesh ?? {}) as Array<
    [string, MeshRetryVerdict]
  >;
  const active = snippets[Math.min(tab, snippets.length - 1)];

  return (
    <Section
      id="retry-safety"
      title="Retry safety"
      subheader={
        operations.length > 0
          ? `${unsafe} of ${operations.length} operations unsafe to retry`
          : undefined
      }
    >
      <Box display="flex" alignItems="center" gridGap={8} mb={2}>
        <StatusChip status={check.status} />
        <Typography variant="body2" component="p">
          {check.message}
        </Typography>
      </Box>

      {perMesh.length > 0 && (
        <Box mb={2}>
          <Typography variant="h6" component="h3" gutterBottom>
            Under each mesh
          </Typography>
          <Box
            component="ul"
            display="flex"
            flexWrap="wrap"
            gridGap={8}
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
          >
            {perMesh.map(([mesh, verdict]) => (
              <li key={mesh}>
                <StatusChip
                  status={VERDICT_STATUS[verdict] ?? 'unknown'}
                  label={`${meshLabel(mesh)}: ${verdict}`}
                />
              </li>
            ))}
          </Box>
        </Box>
      )}

      {operations.length > 0 && (
        <Box mb={2} style={{ overflowX: 'auto' }}>
          <Typography variant="h6" component="h3" gutterBottom>
            Operations
          </Typography>
          <Table size="small" aria-label="Operations and retry safety">
            <TableHead>
              <TableRow>
                <TableCell>API</TableCell>
                <TableCell>Operation</TableCell>
                <TableCell>Idempotent</TableCell>
                <TableCell>Retry-safe</TableCell>
                <TableCell>Reason</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {operations.map((op, i) => (
                <TableRow key={`${op.api}-${op.operation}-${i}`}>
                  <TableCell style={{ minWidth: 140 }}>
                    <EntityRefLink entityRef={op.api} defaultKind="api" />
                  </TableCell>
                  <TableCell
                    style={{ minWidth: 240, overflowWrap: 'anywhere' }}
                  >
                    <code>{op.operation}</code>
                    {op.streaming && (
                      <Typography variant="caption" component="span">
                        {' '}
                        (streaming)
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    {yesNo(op.idempotent)}
                  </TableCell>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    <StatusChip {...retryChip(op.retrySafe)} />
                  </TableCell>
                  <TableCell>{op.reason}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}

      {snippets.length > 0 && active && (
        <Box>
          <Typography variant="h6" component="h3" gutterBottom>
            Mesh configuration that makes it safe
          </Typography>
          <Tabs
            value={Math.min(tab, snippets.length - 1)}
            onChange={(_e, v) => setTab(v)}
            aria-label="Mesh configuration"
            indicatorColor="primary"
            textColor="primary"
            variant="scrollable"
          >
            {snippets.map((s, i) => (
              <Tab
                key={`${s.mesh}-${i}`}
                label={meshLabel(s.mesh)}
                id={`retry-snippet-tab-${i}`}
                aria-controls={`retry-snippet-panel-${i}`}
              />
            ))}
          </Tabs>
          <div
            role="tabpanel"
            id={`retry-snippet-panel-${tab}`}
            aria-labelledby={`retry-snippet-tab-${tab}`}
          >
            <Box mt={2}>
              <Typography variant="body2" component="p" paragraph>
                {active.title}
              </Typography>
              <CodeSnippet
                text={active.yaml}
                language="yaml"
                showCopyCodeButton
              />
              <Box mt={1}>
                <SourceLinks sources={active.sources} />
              </Box>
            </Box>
          </div>
        </Box>
      )}
    </Section>
  );
};
