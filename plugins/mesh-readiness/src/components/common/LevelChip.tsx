import type { ReadinessLevel } from '@mesh-readiness/plugin-mesh-readiness-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { green, grey, orange, red, teal } from '@material-ui/core/colors';
import { levelLabel } from './labels';

export const LEVEL_COLORS: Record<ReadinessLevel, string> = {
  // Neutral: not a finding, too little is known.
  'not-assessed': grey[600],
  'not-ready': red[700],
  'pilot-ready': orange[900],
  'production-ready': green[800],
  optimal: teal[800],
};

const useStyles = makeStyles({
  chip: { color: '#fff', fontWeight: 600 },
});

/** The readiness level as a filled chip with its name. */
export const LevelChip = (props: {
  level: ReadinessLevel | null;
  size?: 'small' | 'medium';
}) => {
  const classes = useStyles();
  const color = props.level
    ? LEVEL_COLORS[props.level] ?? grey[700]
    : grey[700];
  return (
    <Chip
      size={props.size ?? 'small'}
      className={classes.chip}
      style={{ backgroundColor: color }}
      label={levelLabel(props.level)}
      data-level={props.level ?? 'none'}
    />
  );
};
