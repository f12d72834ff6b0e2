import {
  ANNOTATION_CONFIG_LINT,
  ANNOTATION_PLATFORM_TEAM,
} from '../../annotationKeys';
import { SOURCES } from '../../sources';
import type { MeshOption } from '../../types';
import { defineOrgCheck } from '../types';
import { annotationYaml } from '../yaml';
import { bestPlatformTeam, out } from './outcomes';

/** The analyzer each option is checked with. */
const LINT_FOR: Record<MeshOption, string | undefined> = {
  none: undefined,
  cilium: 'cilium-status',
  linkerd: 'linkerd-check',
  'istio-ambient': 'istioctl-analyze',
  'istio-sidecar': 'istioctl-analyze',
};

export const configLint = defineOrgCheck({
  id: 'config-lint',
  title: 'Mesh configuration is linted in CI',
  category: 'organisation',
  weight: 2,
  gate: false,
  appliesTo: 'The platform Group (platform-team true)',
  reads: [ANNOTATION_PLATFORM_TEAM, ANNOTATION_CONFIG_LINT],
  rationale:
    'Mesh configuration fails in ways a YAML schema does not catch: `istioctl analyze` reports unreachable routes, conflicting mTLS policies, missing destinations and EnvoyFilter misuse (IST0101, IST0113, IST0130…); `linkerd check` catches expiring certificates and mismatched opaque ports.',
  remediation:
    "Run the mesh's analyzer in CI on every change to mesh configuration.",
  remediationYaml: annotationYaml({
    [ANNOTATION_CONFIG_LINT]: 'istioctl-analyze',
  }),
  sources: [
    SOURCES.istioAnalyze,
    SOURCES.istioAnalyzerMessages,
    SOURCES.linkerdTroubleshooting,
  ],
  evaluate({ facts, recommendedMesh }) {
    if (recommendedMesh === 'none') {
      return out('not-applicable', 'No mesh is recommended.');
    }
    const team = bestPlatformTeam(facts.platformTeams);
    if (!team) {
      return out(
        'unknown',
        'No platform team is declared, so config linting is unknown.',
      );
    }
    const tool = team.values.configLint;
    if (!tool) {
      return out(
        team.values.invalid.includes(ANNOTATION_CONFIG_LINT)
          ? 'invalid'
          : 'unknown',
        `${team.ref} does not declare ${ANNOTATION_CONFIG_LINT}.`,
      );
    }
    if (tool === 'none') {
      return out(
        'fail',
        `${team.ref} does not lint mesh configuration in CI.`,
        { tool },
      );
    }
    const expected = LINT_FOR[recommendedMesh];
    if (expected && expected !== tool) {
      return out(
        'warn',
        `${team.ref} runs ${tool}, but the recommended ${recommendedMesh} is checked with ${expected}.`,
        { tool },
      );
    }
    return out('pass', `${team.ref} runs ${tool} in CI.`, { tool });
  },
});
