import {
  ANNOTATION_MESH_ENGINEERS,
  ANNOTATION_PLATFORM_TEAM,
} from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { defineOrgCheck } from '../types';
import { annotationYaml } from '../yaml';
import { bestPlatformTeam, type Figures, out } from './outcomes';

export const platformCapacity = defineOrgCheck({
  id: 'platform-capacity',
  title: 'A platform team can run the mesh',
  category: 'organisation',
  weight: 0,
  gate: true,
  appliesTo: 'Groups annotated mesh-readiness.io/platform-team',
  reads: [ANNOTATION_PLATFORM_TEAM, ANNOTATION_MESH_ENGINEERS],
  rationale:
    'A mesh is infrastructure every request passes through: upgrades, certificate rotation and incident debugging need a team that owns it, with engineers dedicated to it (the "Investment" aspect of the CNCF Platform Engineering Maturity Model).',
  remediation:
    'Name the Group that will run the mesh and the engineers dedicated to it.',
  remediationYaml: annotationYaml({
    [ANNOTATION_PLATFORM_TEAM]: 'true',
    [ANNOTATION_MESH_ENGINEERS]: '2',
  }),
  sources: [SOURCES.cncfPlatformMaturity],
  evaluate({ facts, config }) {
    const need = config.thresholds.meshEngineers;
    const team = bestPlatformTeam(facts.platformTeams);
    const figures: Figures = {
      platformTeams: facts.platformTeams.length,
      threshold: need,
    };
    if (!team) {
      return out(
        'unknown',
        `No Group declares ${ANNOTATION_PLATFORM_TEAM}: "true", so nobody is known to own the mesh.`,
        figures,
      );
    }
    figures.team = team.ref;
    const engineers = team.values.meshEngineers;
    if (engineers === undefined) {
      return out(
        team.values.invalid.includes(ANNOTATION_MESH_ENGINEERS)
          ? 'invalid'
          : 'unknown',
        `${team.ref} is the platform team but ${ANNOTATION_MESH_ENGINEERS} is ${
          team.values.invalid.includes(ANNOTATION_MESH_ENGINEERS)
            ? 'malformed'
            : 'not set'
        }.`,
        figures,
      );
    }
    figures.meshEngineers = engineers;
    if (engineers >= need) {
      return out(
        'pass',
        `${team.ref} runs the platform with ${engineers} dedicated mesh engineers (threshold ${need}).`,
        figures,
      );
    }
    return out(
      'fail',
      `${team.ref} has ${engineers} dedicated mesh engineer${
        engineers === 1 ? '' : 's'
      }; at least ${need} are needed.`,
      figures,
    );
  },
});
