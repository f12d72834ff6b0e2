import { Link } from '@backstage/core-components';
import type { SourceLink } from '@mesh-readiness/plugin-mesh-readiness-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useId, useState } from 'react';

const useStyles = makeStyles(theme => ({
  list: {
    margin: 0,
    paddingLeft: theme.spacing(2.5),
  },
}));

/** How many sources show before the rest fold behind a button. */
const VISIBLE = 3;

/** Citations as external links; nothing when there are none. */
export const SourceLinks = (props: {
  sources: SourceLink[] | undefined;
  label?: string;
}) => {
  const classes = useStyles();
  const [all, setAll] = useState(false);
  const listId = useId();
  const sources = (props.sources ?? []).filter(s => isSafeUrl(s.url));
  if (sources.length === 0) {
    return null;
  }
  const label = props.label ?? 'Sources';
  const shown = all ? sources : sources.slice(0, VISIBLE);
  const hidden = sources.length - shown.length;
  return (
    <div>
      <Typography variant="body2" component="p">
        <strong>{label}</strong>
      </Typography>
      <ul className={classes.list} id={listId}>
        {shown.map(source => (
          <li key={`${source.url}-${source.title}`}>
            <Typography variant="body2" component="span">
              <Link to={source.url} externalLinkIcon>
                {source.title}
              </Link>
            </Typography>
          </li>
        ))}
      </ul>
      {sources.length > VISIBLE && (
        <Button
          size="small"
          color="primary"
          aria-expanded={all}
          aria-controls={listId}
          onClick={() => setAll(v => !v)}
        >
          {all ? 'Show fewer sources' : `Show ${hidden} more sources`}
        </Button>
      )}
    </div>
  );
};

/** Only http(s) links are rendered; anything else (javascript:, data:) is dropped. */
export function isSafeUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}
