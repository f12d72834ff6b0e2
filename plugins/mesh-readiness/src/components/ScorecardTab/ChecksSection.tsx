import type {
  CheckDefinition,
  CheckResult,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Section } from '../common/Section';
import { CheckItem } from './CheckItem';
import { groupChecks } from './model';

/** Checks grouped by category, worst first. */
export const ChecksSection = (props: {
  checks: CheckResult[];
  defs: Map<string, CheckDefinition>;
}) => {
  const groups = groupChecks(props.checks, props.defs);
  return (
    <Section title="Checks">
      {groups.length === 0 && (
        <Typography variant="body2">
          No check applies to this entity.
        </Typography>
      )}
      {groups.map(group => (
        <Box
          key={group.category}
          mb={3}
          component="section"
          aria-label={group.label}
        >
          <Typography variant="h6" component="h3" gutterBottom>
            {group.label}
          </Typography>
          {group.checks.map(check => (
            <CheckItem
              key={check.id}
              check={check}
              definition={props.defs.get(check.id)}
            />
          ))}
        </Box>
      ))}
    </Section>
  );
};
