import {
  ANNOTATION_MANIFESTS,
  type ManifestProblem,
  type ManifestSummary,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { Fragment } from 'react';
import { FactSourceChip, FactSourceLabel } from '../common/FactSourceChip';

type Workload = ManifestSummary['workloads'][number];

/** Workloads named in the line before "and N more". */
const NAMED = 3;
/** Manifest problems listed before "and N more". */
const LISTED = 10;

function workloadName(w: Workload): string {
  return `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const Locations = (props: { locations: string[] }) => (
  <>
    {props.locations.map((l, i) => (
      <Fragment key={l}>
        {i > 0 && ', '}
        <code>{l}</code>
      </Fragment>
    ))}
  </>
);

const Workloads = (props: { workloads: Workload[] }) => {
  const named = props.workloads.slice(0, NAMED);
  const more = props.workloads.length - named.length;
  return (
    <>
      {named.map((w, i) => (
        <Fragment key={`${w.kind}/${w.namespace}/${w.name}`}>
          {i > 0 && ', '}
          <span title={`${w.source.label}; matched by ${w.matchedBy}`}>
            <FactSourceLabel source={{ ...w.source, label: workloadName(w) }} />
          </span>
        </Fragment>
      ))}
      {more > 0 && ` and ${more} more`}
    </>
  );
};

/** `5 Dec 2026, 18:12`, or nothing for a missing or bad time. */
function seenTime(observedAt: string | undefined): string {
  const time = observedAt ? new Date(observedAt) : undefined;
  return time && !isNaN(time.getTime())
    ? time.toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      })
    : '';
}

function problemText(p: ManifestProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''} — ${p.message}`;
}

/**
 * Where this service's facts come from: the manifests read and the
 * workloads matched in them (inspected), or annotations only (declared
 * only); and what in the manifests could not be read.
 */
export const ProvenanceBar = (props: { manifests?: ManifestSummary }) => {
  const { manifests } = props;
  const workloads = manifests?.workloads ?? [];
  const inspected = workloads.length > 0;
  const problems = manifests?.problems ?? [];
  const clusters = [
    ...new Set(workloads.map(w => w.source.cluster).filter(Boolean)),
  ] as string[];
  // What says the mesh is already there: injected proxies, mesh resources.
  const meshed = [
    ...workloads.flatMap(w =>
      w.meshProxy
        ? [
            `${w.meshProxy.container} (${w.meshProxy.mesh}) runs in ${w.meshProxy.source.label}`,
          ]
        : [],
    ),
    ...(manifests?.meshResources ?? []).map(r => `${r.mesh} ${r.source.label}`),
  ];
  let text;
  if (manifests && inspected && clusters.length > 0) {
    const when = seenTime(
      manifests.observedAt ?? workloads[0].source.observedAt,
    );
    text = (
      <>
        <strong>
          {manifests.stale ? 'Last observed' : 'Observed'} in cluster{' '}
          {clusters.join(', ')}
          {when ? `, ${when}` : ''}:
        </strong>{' '}
        {plural(workloads.length, 'running workload')} (
        <Workloads workloads={workloads} />
        ).{' '}
        {manifests.stale
          ? 'The cluster did not answer the last snapshot: these facts are stale, and are used until they are too old.'
          : 'What runs is scored; the linked manifests, if any, are compared with it in the drift check.'}
        {meshed.length > 0 && (
          <>
            {' '}
            <strong>Already meshed:</strong> {meshed.join('; ')}.
          </>
        )}
      </>
    );
  } else if (manifests && inspected) {
    text = (
      <>
        <strong>Inspected:</strong> {plural(workloads.length, 'workload')} from{' '}
        <Locations locations={manifests.locations} /> (
        <Workloads workloads={workloads} />
        ). What these manifests state is observed and scored; the rest is
        declared by annotations.
      </>
    );
  } else if (manifests) {
    text = (
      <>
        <strong>Declared only:</strong> no workload in{' '}
        <Locations locations={manifests.locations} /> (
        {plural(manifests.files, 'file')} read) matches this entity. Label the
        workload with <code>backstage.io/kubernetes-id</code>, set{' '}
        <code>backstage.io/kubernetes-label-selector</code>, or name it like the
        entity.
      </>
    );
  } else {
    text = (
      <>
        <strong>Declared only:</strong> no manifests linked. Every fact below
        comes from annotations; link the workload's Kubernetes manifests with{' '}
        <code style={{ whiteSpace: 'nowrap' }}>{ANNOTATION_MANIFESTS}</code> to
        have them read instead.
      </>
    );
  }
  return (
    <Paper
      component="section"
      aria-label="Where the facts come from"
      data-testid="provenance"
      data-inspected={inspected}
      data-stale={manifests?.stale ? 'true' : undefined}
    >
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        gridGap={12}
        px={2}
        py={1.5}
      >
        <FactSourceChip
          kind={inspected ? 'manifest' : 'annotation'}
          cluster={clusters[0]}
        />
        <Typography variant="body2" component="p" style={{ flex: 1 }}>
          {text}
        </Typography>
      </Box>
      {problems.length > 0 && (
        <Alert severity="warning" aria-label="Manifest problems">
          <strong>
            {plural(problems.length, 'problem')}{' '}
            {clusters.length > 0 ? 'reading the facts' : 'in the manifests'}
          </strong>{' '}
          (the rest was read):
          <Box component="ul" m={0} pl={2.5}>
            {problems.slice(0, LISTED).map((p, i) => (
              <li key={`${p.file}-${p.line}-${i}`}>{problemText(p)}</li>
            ))}
            {problems.length > LISTED && (
              <li>and {problems.length - LISTED} more</li>
            )}
          </Box>
        </Alert>
      )}
    </Paper>
  );
};
