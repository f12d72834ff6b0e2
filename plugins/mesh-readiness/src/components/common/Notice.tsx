import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ReactNode } from 'react';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'flex-start',
  },
  icon: {
    fontSize: 40,
    color: theme.palette.text.secondary,
    flexShrink: 0,
    '& svg': { fontSize: 40 },
  },
  body: { flex: 1, minWidth: 0 },
}));

/** An empty or error state with a real heading. */
export const Notice = (props: {
  title: string;
  icon?: ReactNode;
  level?: 2 | 3;
  children?: ReactNode;
}) => {
  const classes = useStyles();
  const Heading = `h${props.level ?? 2}` as 'h2' | 'h3';
  return (
    <Paper className={classes.root} role="region" aria-label={props.title}>
      {props.icon && (
        <div className={classes.icon} aria-hidden>
          {props.icon}
        </div>
      )}
      <div className={classes.body}>
        <Typography variant="h5" component={Heading} gutterBottom>
          {props.title}
        </Typography>
        {props.children}
      </div>
    </Paper>
  );
};
