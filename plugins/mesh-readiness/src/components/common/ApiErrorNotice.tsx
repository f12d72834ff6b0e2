import { ResponseErrorPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import CloudOffIcon from '@material-ui/icons/CloudOff';
import { Notice } from './Notice';

/** HTTP status of a failed call, when the server answered. */
export function statusOf(error: Error | undefined): number | undefined {
  return error instanceof ResponseError ? error.statusCode : undefined;
}

/** The server's own message for a failed call, else the error's. */
export function messageOf(error: Error): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  return error.message;
}

/**
 * A failed call to the backend: says in words what went wrong and what
 * to do, then shows the technical details.
 */
export const ApiErrorNotice = (props: {
  error: Error;
  what: string;
  level?: 2 | 3;
}) => {
  const status = statusOf(props.error);
  let title: string;
  let explanation: string;
  if (status === 503) {
    title = 'The catalog is unavailable';
    explanation = `Mesh Readiness could not read the software catalog, so ${props.what} cannot be shown right now. Try again in a few minutes.`;
  } else if (status === 401 || status === 403) {
    title = 'Not allowed';
    explanation = `You are not allowed to see ${props.what}.`;
  } else if (status !== undefined) {
    title = `Could not load ${props.what}`;
    explanation = `The Mesh Readiness backend answered with an error (HTTP ${status}).`;
  } else {
    title = 'The Mesh Readiness backend is unreachable';
    explanation = `Could not load ${props.what}: the backend did not answer. Check that the mesh-readiness backend plugin is installed and running.`;
  }
  return (
    <Notice title={title} level={props.level} icon={<CloudOffIcon />}>
      <Typography variant="body1" paragraph>
        {explanation}
      </Typography>
      <Box mt={1}>
        <ResponseErrorPanel error={props.error} />
      </Box>
    </Notice>
  );
};
