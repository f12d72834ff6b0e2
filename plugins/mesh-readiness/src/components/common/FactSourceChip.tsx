import { Link } from '@backstage/core-components';
import type { FactSource } from '@mesh-readiness/plugin-mesh-readiness-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { grey, indigo, teal } from '@material-ui/core/colors';
import CreateIcon from '@material-ui/icons/Create';
import SettingsIcon from '@material-ui/icons/Settings';
import VisibilityIcon from '@material-ui/icons/Visibility';
import { isSafeUrl } from './SourceLinks';

interface SourceStyle {
  label: string;
  help: string;
  color: string;
  Icon: typeof VisibilityIcon;
}

/** Observed, declared or default: icon, colour and word differ. */
export const FACT_SOURCE_STYLES: Record<FactSource['kind'], SourceStyle> = {
  manifest: {
    label: 'Observed',
    help: "Read from the workload's Kubernetes manifests",
    color: teal[800],
    Icon: VisibilityIcon,
  },
  annotation: {
    label: 'Declared',
    help: 'Declared by an annotation in catalog-info.yaml',
    color: indigo[600],
    Icon: CreateIcon,
  },
  default: {
    label: 'Default',
    help: 'The Kubernetes default: nothing states it',
    color: grey[700],
    Icon: SettingsIcon,
  },
};

const useStyles = makeStyles(theme => ({
  chip: {
    fontWeight: theme.typography.fontWeightMedium as number,
    backgroundColor: theme.palette.background.paper,
  },
}));

/** Where a fact came from, as a small outlined chip. */
export const FactSourceChip = (props: {
  kind: FactSource['kind'];
  /** Set when the fact was read from a running cluster. */
  cluster?: string;
}) => {
  const classes = useStyles();
  const style = FACT_SOURCE_STYLES[props.kind] ?? FACT_SOURCE_STYLES.default;
  const { Icon } = style;
  return (
    <Chip
      variant="outlined"
      size="small"
      className={classes.chip}
      style={{ borderColor: style.color, color: style.color }}
      icon={<Icon aria-hidden style={{ color: style.color }} />}
      label={style.label}
      title={
        props.cluster
          ? `Read from the running cluster ${props.cluster}`
          : style.help
      }
      data-source={props.kind}
    />
  );
};

/** When a cluster fact was seen, as `seen 5 Dec 2026, 18:12`. */
function seenAt(observedAt: string | undefined): string {
  const time = observedAt ? new Date(observedAt) : undefined;
  return time && !isNaN(time.getTime())
    ? `, seen ${time.toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      })}`
    : '';
}

/**
 * A source's label, linked to the file in its repository when it has a
 * URL; a fact from a running cluster says when it was seen.
 */
export const FactSourceLabel = (props: { source: FactSource }) => {
  const { source } = props;
  const seen = source.cluster ? seenAt(source.observedAt) : '';
  if (source.url && isSafeUrl(source.url)) {
    return (
      <Link to={source.url} externalLinkIcon>
        {source.label}
      </Link>
    );
  }
  return (
    <span>
      {source.label}
      {seen}
    </span>
  );
};
