import type { SnapshotInfo } from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { Alert, AlertTitle } from '@material-ui/lab';
import { messageOf, statusOf } from '../common/ApiErrorNotice';
import { formatDateTime } from '../common/labels';

/**
 * Why a refresh did not happen. A policy that keeps refreshing to some
 * users (403) and the limit per caller (429) are not failures of the
 * backend: they say so, with the server's message (which names the
 * permission, or the limit and when to try again).
 */
const RefreshFailure = (props: { error: Error }) => {
  const status = statusOf(props.error);
  const message = messageOf(props.error);
  if (status === 403) {
    return (
      <Alert severity="warning" role="alert">
        <AlertTitle>Not allowed to refresh</AlertTitle>
        {message}
      </Alert>
    );
  }
  if (status === 429) {
    return (
      <Alert severity="info" role="alert">
        <AlertTitle>Refresh limit reached</AlertTitle>
        {message}
      </Alert>
    );
  }
  return <Alert severity="error">Refresh failed: {message}</Alert>;
};

/** When the data was taken, whether it is stale, and a refresh action. */
export const SnapshotBar = (props: {
  snapshot: SnapshotInfo;
  refreshing: boolean;
  refreshError?: Error;
  onRefresh: () => void;
}) => {
  const { snapshot } = props;
  return (
    <Paper>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        gridGap={16}
        px={2}
        py={1.5}
      >
        <Typography variant="body2" component="p" style={{ flex: 1 }}>
          {snapshot.source === 'live' ? 'Computed live at ' : 'Snapshot taken '}
          <time dateTime={snapshot.takenAt}>
            {formatDateTime(snapshot.takenAt)}
          </time>
        </Typography>
        <Button
          variant="outlined"
          color="primary"
          startIcon={
            props.refreshing ? (
              <CircularProgress size={16} aria-hidden />
            ) : (
              <RefreshIcon />
            )
          }
          onClick={props.onRefresh}
          disabled={props.refreshing}
        >
          {props.refreshing ? 'Refreshing…' : 'Refresh'}
        </Button>
      </Box>
      {snapshot.stale && (
        <Alert severity="warning" role="status" aria-label="Stale data">
          <strong>Stale: </strong>
          these figures are from the last good snapshot.{' '}
          {snapshot.staleReason ?? 'The catalog could not be read.'}
        </Alert>
      )}
      {props.refreshError && <RefreshFailure error={props.refreshError} />}
    </Paper>
  );
};
