import type { OrgResult } from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { Section } from '../common/Section';

/** The prerequisites most often missing, each a shortcut to the table. */
export const MostMissingCard = (props: {
  mostMissing: OrgResult['mostMissing'];
  retryRisk: OrgResult['retryRisk'];
  onShowCheck: (checkId: string) => void;
}) => (
  <Section title="Most-missing prerequisites">
    {props.mostMissing.length === 0 ? (
      <Typography variant="body2">Nothing is missing anywhere.</Typography>
    ) : (
      <ol style={{ margin: 0, paddingLeft: 24 }}>
        {props.mostMissing.map(m => (
          <li key={m.checkId}>
            <Box
              display="flex"
              alignItems="center"
              justifyContent="space-between"
              gridGap={8}
              flexWrap="wrap"
            >
              <Typography variant="body1" component="span">
                {m.title}: <strong>{m.count}</strong>{' '}
                {m.count === 1 ? 'service' : 'services'}
              </Typography>
              <Button
                size="small"
                color="primary"
                onClick={() => props.onShowCheck(m.checkId)}
                aria-label={`Show services missing ${m.title}`}
              >
                Show services
              </Button>
            </Box>
          </li>
        ))}
      </ol>
    )}
    <Box mt={2} pt={2} borderTop={1} borderColor="divider">
      <Typography variant="h6" component="h3">
        Retry risk
      </Typography>
      <Typography variant="body1" component="p">
        <strong>{props.retryRisk.services}</strong>{' '}
        {props.retryRisk.services === 1 ? 'service exposes' : 'services expose'}{' '}
        <strong>{props.retryRisk.operations}</strong> non-idempotent{' '}
        {props.retryRisk.operations === 1 ? 'operation' : 'operations'} that the
        mesh would retry.
      </Typography>
      {props.retryRisk.services > 0 && (
        <Button
          size="small"
          color="primary"
          onClick={() => props.onShowCheck('retry-safety')}
          aria-label="Show services at retry risk"
        >
          Show services
        </Button>
      )}
    </Box>
  </Section>
);
