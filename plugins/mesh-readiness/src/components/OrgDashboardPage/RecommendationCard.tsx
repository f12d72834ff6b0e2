import type { Recommendation } from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Section } from '../common/Section';
import { SourceLinks } from '../common/SourceLinks';
import { StatusChip } from '../common/StatusChip';
import { meshLabel } from '../common/labels';

const useStyles = makeStyles(theme => ({
  mesh: {
    fontSize: '2.25rem',
    fontWeight: 700,
    margin: 0,
    lineHeight: 1.1,
    color: theme.palette.primary.main,
  },
  list: { marginTop: theme.spacing(0.5), paddingLeft: theme.spacing(2.5) },
}));

/** The recommended option, why, its caveats and the ranked alternatives. */
export const RecommendationCard = (props: {
  recommendation: Recommendation;
}) => {
  const classes = useStyles();
  const rec = props.recommendation;
  return (
    <Section title="Recommended mesh">
      <p className={classes.mesh}>{meshLabel(rec.mesh)}</p>
      {rec.reasons.length > 0 && (
        <Box mt={2}>
          <Typography variant="h6" component="h3">
            Why
          </Typography>
          <ul className={classes.list}>
            {rec.reasons.map(r => (
              <li key={r}>
                <Typography variant="body2" component="span">
                  {r}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
      {rec.caveats.length > 0 && (
        <Box mt={1}>
          <Typography variant="h6" component="h3">
            Caveats
          </Typography>
          <ul className={classes.list}>
            {rec.caveats.map(c => (
              <li key={c}>
                <Typography variant="body2" component="span">
                  {c}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
      <SourceLinks sources={rec.sources} />
      {rec.alternatives.length > 0 && (
        <Box mt={2} style={{ overflowX: 'auto' }}>
          <Typography variant="h6" component="h3" gutterBottom>
            Options considered
          </Typography>
          <Table size="small" aria-label="Options considered, best first">
            <TableHead>
              <TableRow>
                <TableCell>Rank</TableCell>
                <TableCell>Option</TableCell>
                <TableCell>Fits</TableCell>
                <TableCell>Complexity</TableCell>
                <TableCell>Why</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rec.alternatives.map((alt, index) => (
                <TableRow key={alt.mesh} selected={alt.mesh === rec.mesh}>
                  <TableCell>{index + 1}</TableCell>
                  <TableCell>
                    {meshLabel(alt.mesh)}
                    {alt.mesh === rec.mesh && (
                      <Typography variant="caption" component="span">
                        {' '}
                        (recommended)
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <StatusChip
                      status={alt.fits ? 'pass' : 'fail'}
                      label={alt.fits ? 'Fits' : 'Does not fit'}
                    />
                  </TableCell>
                  <TableCell>{alt.complexity}</TableCell>
                  <TableCell>
                    {[...alt.reasons, ...alt.caveats].map(text => (
                      <Typography key={text} variant="body2" component="p">
                        {text}
                      </Typography>
                    ))}
                    <SourceLinks sources={alt.sources} label="Sources" />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Section>
  );
};
