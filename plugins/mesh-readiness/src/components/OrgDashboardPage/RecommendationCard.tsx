import type { Recommendation } from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Section } from '../common/Section';
import { SourceLinks } from '../common/SourceLinks';
import { TextList } from '../common/TextList';
import { meshLabel } from '../common/labels';

const useStyles = makeStyles(theme => ({
  mesh: {
    fontSize: '2.25rem',
    fontWeight: 700,
    margin: 0,
    lineHeight: 1.1,
    color: theme.palette.primary.main,
  },
  undetermined: {
    fontSize: '1.5rem',
    fontWeight: 600,
    margin: 0,
    lineHeight: 1.2,
    color: theme.palette.text.secondary,
  },
  list: { marginTop: theme.spacing(0.5), paddingLeft: theme.spacing(2.5) },
}));

/**
 * The recommended option, why, and its caveats. Without a decided need
 * (`basis: 'undetermined'`) there is no recommended mesh.
 */
export const RecommendationCard = (props: {
  recommendation: Recommendation;
}) => {
  const classes = useStyles();
  const rec = props.recommendation;
  return (
    <Section title="Recommended mesh">
      {rec.basis === 'undetermined' ? (
        <p className={classes.undetermined} data-basis="undetermined">
          No recommendation until a need is confirmed
        </p>
      ) : (
        <p className={classes.mesh}>{meshLabel(rec.mesh)}</p>
      )}
      {rec.reasons.length > 0 && (
        <Box mt={2}>
          <Typography variant="h6" component="h3">
            Why
          </Typography>
          <TextList items={rec.reasons} className={classes.list} />
        </Box>
      )}
      {rec.caveats.length > 0 && (
        <Box mt={1}>
          <Typography variant="h6" component="h3">
            Caveats
          </Typography>
          <TextList items={rec.caveats} className={classes.list} />
        </Box>
      )}
      <SourceLinks sources={rec.sources} />
    </Section>
  );
};
