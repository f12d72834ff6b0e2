import type { CheckStatus } from '@mesh-readiness/plugin-mesh-readiness-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import {
  blueGrey,
  green,
  grey,
  indigo,
  orange,
  pink,
  red,
} from '@material-ui/core/colors';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import PauseCircleOutlineIcon from '@material-ui/icons/PauseCircleOutline';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import ReportProblemOutlinedIcon from '@material-ui/icons/ReportProblemOutlined';
import { statusLabel } from './labels';

interface StatusStyle {
  color: string;
  Icon: typeof CancelIcon;
}

/** Icon, colour and label differ for every status: never colour alone. */
export const STATUS_STYLES: Record<CheckStatus, StatusStyle> = {
  fail: { color: red[700], Icon: CancelIcon },
  invalid: { color: pink[700], Icon: ErrorOutlineIcon },
  warn: { color: orange[800], Icon: ReportProblemOutlinedIcon },
  unknown: { color: blueGrey[600], Icon: HelpOutlineIcon },
  waived: { color: indigo[500], Icon: PauseCircleOutlineIcon },
  'not-applicable': { color: grey[600], Icon: RemoveCircleOutlineIcon },
  pass: { color: green[700], Icon: CheckCircleIcon },
};

const useStyles = makeStyles(theme => ({
  chip: {
    borderWidth: 2,
    fontWeight: theme.typography.fontWeightMedium as number,
    backgroundColor: theme.palette.background.paper,
  },
}));

/** A check or gate status: distinct icon, colour and text. */
export const StatusChip = (props: {
  status: string;
  size?: 'small';
  /** Overrides the status name, e.g. "Unsafe". */
  label?: string;
}) => {
  const classes = useStyles();
  const style =
    STATUS_STYLES[props.status as CheckStatus] ?? STATUS_STYLES.unknown;
  const { Icon } = style;
  return (
    <Chip
      variant="outlined"
      size={props.size ?? 'small'}
      className={classes.chip}
      style={{ borderColor: style.color }}
      icon={<Icon aria-hidden style={{ color: style.color }} />}
      label={props.label ?? statusLabel(props.status)}
      data-status={props.status}
    />
  );
};
