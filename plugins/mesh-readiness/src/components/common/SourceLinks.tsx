import { Link } from '@backstage/core-components';
import type { SourceLink } from '@mesh-readiness/plugin-mesh-readiness-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  list: {
    margin: 0,
    paddingLeft: theme.spacing(2.5),
  },
}));

/** Citations as external links; nothing when there are none. */
export const SourceLinks = (props: {
  sources: SourceLink[] | undefined;
  label?: string;
}) => {
  const classes = useStyles();
  const sources = (props.sources ?? []).filter(s => isSafeUrl(s.url));
  if (sources.length === 0) {
    return null;
  }
  return (
    <div>
      <Typography variant="body2" component="p">
        <strong>{props.label ?? 'Sources'}</strong>
      </Typography>
      <ul className={classes.list}>
        {sources.map(source => (
          <li key={`${source.url}-${source.title}`}>
            <Typography variant="body2" component="span">
              <Link to={source.url} externalLinkIcon>
                {source.title}
              </Link>
            </Typography>
          </li>
        ))}
      </ul>
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
