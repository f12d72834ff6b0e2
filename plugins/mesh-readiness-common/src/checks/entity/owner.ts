import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { specYaml } from '../yaml';
import { WORKLOADS } from './outcomes';

const OWNER_FIX = specYaml('owner', 'group:default/your-team');

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: 'spec.owner is not set, so no team is accountable for the service.',
  fixYaml: OWNER_FIX,
};

export const owner = defineEntityCheck({
  id: 'owner',
  title: 'Owned by a team',
  category: 'ownership',
  weight: 3,
  appliesTo: WORKLOADS,
  reads: ['spec.owner'],
  rationale:
    'Mesh configuration (routes, retry policies, authorization policies) needs an accountable team: someone has to answer when the mesh changes how this service behaves. The owner must be a Group in the catalog with at least one member.',
  remediation:
    'Set spec.owner to the Group that runs the service, and make sure that Group lists its members.',
  remediationYaml: OWNER_FIX,
  sources: [SOURCES.backstageDescriptor],
  evaluate(facts) {
    const written = facts.ownerDeclared;
    if (written === undefined || written === null || written === '') {
      return NOT_SET;
    }
    const ref = facts.ownerRef;
    if (!ref) {
      return {
        status: 'invalid',
        message: `spec.owner '${String(written).slice(
          0,
          80,
        )}' is not an entity reference.`,
        fixYaml: OWNER_FIX,
      };
    }
    if (ref.startsWith('user:')) {
      return {
        status: 'warn',
        message: `spec.owner is the person ${ref}; mesh configuration should be owned by a team (Group).`,
        fixYaml: OWNER_FIX,
      };
    }
    const group = facts.ownerGroup;
    if (!group) {
      // A catalog with Groups that lacks this one: a dangling reference.
      return facts.catalogHasGroups
        ? {
            status: 'fail',
            message: `spec.owner ${ref} is not in the catalog: no Group has that name.`,
            fixYaml: OWNER_FIX,
          }
        : {
            status: 'unknown',
            message: `spec.owner ${ref} is not a Group in the catalog (which holds no Groups), so its members are unknown.`,
          };
    }
    if (group.members === 0) {
      return {
        status: 'warn',
        message: `spec.owner ${ref} is a Group without members.`,
      };
    }
    return {
      status: 'pass',
      message: `Owned by ${ref} (${group.members} member${
        group.members === 1 ? '' : 's'
      }).`,
    };
  },
});
