import type { OwnedByScope } from '@mesh-readiness/plugin-mesh-readiness-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import PeopleIcon from '@material-ui/icons/People';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import { Notice } from '../common/Notice';
import { shortRef } from './format';

/** `a`, `a and b`, `a, b and c`. */
function listInWords(items: string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Short names of refs, with the full refs as a tooltip. */
const Refs = (props: { refs: string[] }) => (
  <span title={props.refs.join(', ')}>
    {listInWords(props.refs.map(shortRef))}
  </span>
);

/** The groups below the user's own that the scope counts. */
function subGroups(scope: OwnedByScope): string[] {
  const own = new Set(
    [scope.entityRef, ...scope.groups].map(r => r.toLowerCase()),
  );
  return scope.owners.filter(o => !own.has(o.toLowerCase()));
}

/** Whole organisation | My services, above the dashboard. */
export const ScopeToggle = (props: {
  mine: boolean;
  onChange: (mine: boolean) => void;
}) => (
  <Box mb={2} display="flex" justifyContent="flex-end">
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.mine ? 'mine' : 'org'}
      aria-label="Services shown"
      onChange={(_event, value: string | null) => {
        if (value !== null) {
          props.onChange(value === 'mine');
        }
      }}
    >
      <ToggleButton value="org">Whole organisation</ToggleButton>
      <ToggleButton value="mine">My services</ToggleButton>
    </ToggleButtonGroup>
  </Box>
);

/** Which owners "My services" stands for, in words. */
export const MyServicesScope = (props: {
  scope: OwnedByScope;
  services?: number;
}) => {
  const { scope } = props;
  const below = subGroups(scope);
  return (
    <Paper
      role="region"
      aria-label="Whose services these are"
      style={{ padding: '12px 16px' }}
    >
      <Typography variant="body1">
        <strong>My services</strong>
        {props.services !== undefined &&
          ` (${props.services} service${props.services === 1 ? '' : 's'})`}
        : owned by you ({shortRef(scope.entityRef)})
        {scope.groups.length > 0 && (
          <>
            , your group{scope.groups.length === 1 ? '' : 's'}{' '}
            <Refs refs={scope.groups} />
          </>
        )}
        {below.length > 0 && (
          <>
            , and the group{below.length === 1 ? '' : 's'} below{' '}
            {scope.groups.length === 1 ? 'it' : 'them'}: <Refs refs={below} />
          </>
        )}
        .
      </Typography>
    </Paper>
  );
};

/** "My services" when there are none: why, and the way back. */
export const MyServicesEmpty = (props: {
  scope: OwnedByScope;
  onShowOrg: () => void;
}) => {
  const { scope } = props;
  let title: string;
  let explanation: string;
  if (!scope.found) {
    title = 'You are not in the catalog';
    explanation = `You are signed in as ${scope.entityRef}, and the catalog has no such User that you may see, so Mesh Readiness cannot tell which groups you belong to. A User entity with spec.memberOf (or a Group listing you in spec.members) makes your groups' services show here.`;
  } else if (scope.groups.length === 0) {
    title = 'None of your groups owns a service';
    explanation = `You (${scope.entityRef}) are not a member of any group in the catalog, and own no Component yourself.`;
  } else {
    const below = subGroups(scope).length;
    title = 'None of your groups owns a service';
    explanation = `No Component is owned by you (${
      scope.entityRef
    }), by ${listInWords(scope.groups.map(shortRef))}${
      below > 0
        ? ` or by the ${below} group${below === 1 ? '' : 's'} below ${
            scope.groups.length === 1 ? 'it' : 'them'
          }`
        : ''
    }.`;
  }
  return (
    <Notice title={title} icon={<PeopleIcon />}>
      <Typography variant="body1" paragraph>
        {explanation}
      </Typography>
      <Button variant="outlined" color="primary" onClick={props.onShowOrg}>
        Show the whole organisation
      </Button>
    </Notice>
  );
};
