import { CodeSnippet, Link } from '@backstage/core-components';
import { ANNOTATION_EDIT_URL, type Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_MANIFESTS,
  type CheckDefinition,
  type EntityResult,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import EditIcon from '@material-ui/icons/Edit';
import { Alert } from '@material-ui/lab';
import { messageOf } from '../common/ApiErrorNotice';
import { Section } from '../common/Section';
import { isSafeUrl } from '../common/SourceLinks';
import { ChecksSection } from './ChecksSection';
import { ProblemsSection } from './ProblemsSection';
import { ProvenanceBar } from './ProvenanceBar';
import { RetrySafetySection } from './RetrySafetySection';
import { ScoreSummary } from './ScoreSummary';
import { WaiversSection } from './WaiversSection';
import {
  STARTER_YAML,
  annotationKeysOf,
  combinedFix,
  hasNoAnnotations,
  manifestsLinked,
  withManifests,
} from './model';
import { formatCoverage } from '../common/labels';

/** Why the snippet starts with the manifests annotation. */
const ManifestsNote = () => (
  <Typography variant="body2" paragraph data-testid="manifests-note">
    <code>{ANNOTATION_MANIFESTS}</code> comes first: point it at the service's
    Kubernetes manifests (relative to catalog-info.yaml) and their ports,
    protocols, UIDs, probes and replicas are read from them, replacing most of
    the other annotations.
  </Typography>
);

const useStyles = makeStyles(theme => ({
  icon: { verticalAlign: 'text-bottom', marginRight: theme.spacing(0.5) },
}));

/**
 * Opens the entity's catalog-info.yaml where it is edited (Backstage's
 * `backstage.io/edit-url` annotation), in a new tab; nothing without one.
 */
const EditCatalogInfo = (props: { entity: Entity }) => {
  const classes = useStyles();
  const url = props.entity.metadata.annotations?.[ANNOTATION_EDIT_URL];
  if (typeof url !== 'string' || !isSafeUrl(url)) {
    return null;
  }
  return (
    <Typography variant="button" component="span">
      <Link to={url} externalLinkIcon>
        <EditIcon fontSize="inherit" className={classes.icon} />
        Edit catalog-info.yaml
      </Link>
    </Typography>
  );
};

/** The scorecard for one in-scope entity. */
export const ScorecardView = (props: {
  entity: Entity;
  result: EntityResult;
  defs: Map<string, CheckDefinition>;
  checksError?: Error;
}) => {
  const { entity, result, defs } = props;
  const fix = withManifests(combinedFix(result), entity, result);
  const notAssessed = result.level === 'not-assessed';
  // An observed service without annotations is past "start here": most of
  // its facts were read; the merged fix asks for the rest.
  const observed = (result.manifests?.workloads.length ?? 0) > 0;
  const startHere =
    !notAssessed && !observed && hasNoAnnotations(entity, result);
  const declare = fix || withManifests(STARTER_YAML, entity, result);
  const manifestsNote = !manifestsLinked(entity, result) && <ManifestsNote />;
  const declareCount = annotationKeysOf(declare).length;
  const editAction = <EditCatalogInfo entity={entity} />;
  const retry = result.checks.find(c => c.id === 'retry-safety');
  const showRetry =
    retry &&
    ((retry.operations?.length ?? 0) > 0 || (retry.snippets?.length ?? 0) > 0);

  return (
    <Grid container spacing={3}>
      {props.checksError && (
        <Grid item xs={12}>
          <Alert severity="warning">
            The check catalogue could not be loaded, so check titles, rationale
            and sources are missing: {messageOf(props.checksError)}
          </Alert>
        </Grid>
      )}
      {notAssessed && (
        <Grid item xs={12}>
          <Section
            title={`Declare these ${declareCount} annotation${
              declareCount === 1 ? '' : 's'
            }`}
            action={editAction}
          >
            <Typography variant="body1" paragraph>
              Not assessed: only {formatCoverage(result.coverage)} of this
              service's check weight is known, too little to judge its readiness
              — unknown is not a finding, and never counts as passing. Add these
              lines to its catalog-info.yaml, adjust the values to what the
              service really does, and it is assessed on the next refresh.
            </Typography>
            {manifestsNote}
            <CodeSnippet text={declare} language="yaml" showCopyCodeButton />
          </Section>
        </Grid>
      )}
      <Grid item xs={12}>
        <ProvenanceBar manifests={result.manifests} />
      </Grid>
      <Grid item xs={12} md={!notAssessed && (fix || startHere) ? 4 : 12}>
        <ScoreSummary result={result} />
      </Grid>
      {startHere && (
        <Grid item xs={12} md={8}>
          <Section title="Start here" action={editAction}>
            <Typography variant="body1" paragraph>
              This component has no mesh-readiness annotations yet, so most
              checks are Unknown — unknown never counts as passing. Add these
              lines to its catalog-info.yaml, adjust the values to what the
              service really does, and the scorecard fills in on the next
              refresh.
            </Typography>
            {manifestsNote}
            <CodeSnippet text={declare} language="yaml" showCopyCodeButton />
          </Section>
        </Grid>
      )}
      {!notAssessed && !startHere && fix && (
        <Grid item xs={12} md={8}>
          <Section title="Add these to catalog-info.yaml" action={editAction}>
            <Typography variant="body2" paragraph>
              Every failing, invalid or unknown check's fix, merged into one
              snippet. Adjust the values to what the service really does.
            </Typography>
            {manifestsNote}
            <CodeSnippet text={fix} language="yaml" showCopyCodeButton />
          </Section>
        </Grid>
      )}
      {result.problems.length > 0 && (
        <Grid item xs={12}>
          <ProblemsSection problems={result.problems} />
        </Grid>
      )}
      {result.waivers.length > 0 && (
        <Grid item xs={12}>
          <WaiversSection waivers={result.waivers} defs={defs} />
        </Grid>
      )}
      <Grid item xs={12}>
        <ChecksSection checks={result.checks} defs={defs} />
      </Grid>
      {retry && showRetry && (
        <Grid item xs={12}>
          <RetrySafetySection check={retry} />
        </Grid>
      )}
    </Grid>
  );
};
