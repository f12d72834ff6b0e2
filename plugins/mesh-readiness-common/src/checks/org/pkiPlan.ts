import { ANNOTATION_CA, ANNOTATION_PLATFORM_TEAM } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { defineOrgCheck } from '../types';
import { annotationYaml } from '../yaml';
import { bestPlatformTeam, out } from './outcomes';

export const pkiPlan = defineOrgCheck({
  id: 'pki-plan',
  title: 'Mesh certificates have an owner and a rotation plan',
  category: 'security',
  weight: 3,
  gate: false,
  appliesTo: 'The platform Group (platform-team true)',
  reads: [ANNOTATION_PLATFORM_TEAM, ANNOTATION_CA],
  rationale:
    'Workload certificates rotate automatically (24 h), but the roots do not: Linkerd\'s default trust anchor and issuer expire after 365 days and rotating them by hand is "a non-trivial task"; `linkerd check` warns below 60 days. A CA run by cert-manager, Vault or an external PKI avoids a mesh-wide outage on expiry.',
  remediation:
    'Run the mesh CA from cert-manager, Vault or your PKI, and declare it on the platform Group.',
  remediationYaml: annotationYaml({ [ANNOTATION_CA]: 'cert-manager' }),
  sources: [SOURCES.linkerdAutomaticMtls, SOURCES.linkerdTroubleshooting],
  evaluate({ facts, recommendedMesh }) {
    if (recommendedMesh === 'none' || recommendedMesh === 'cilium') {
      return out(
        'not-applicable',
        `The recommended option (${recommendedMesh}) issues no workload certificates.`,
      );
    }
    const team = bestPlatformTeam(facts.platformTeams);
    if (!team) {
      return out(
        'unknown',
        `No platform team is declared, so the CA plan is unknown.`,
      );
    }
    const ca = team.values.ca;
    if (!ca) {
      return out(
        team.values.invalid.includes(ANNOTATION_CA) ? 'invalid' : 'unknown',
        `${team.ref} does not declare ${ANNOTATION_CA}.`,
      );
    }
    if (ca === 'mesh-default' || ca === 'self-signed') {
      return out(
        'warn',
        `${team.ref} uses a ${ca} CA: plan the yearly rotation of the trust anchor and issuer.`,
        { ca },
      );
    }
    return out('pass', `${team.ref} runs the mesh CA with ${ca}.`, { ca });
  },
});
