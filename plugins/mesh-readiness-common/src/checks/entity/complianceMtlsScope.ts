import {
  ANNOTATION_COMPLIANCE,
  ANNOTATION_MTLS_REQUIREMENT,
} from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, list } from './outcomes';

const UNKNOWN_FIX = annotationYaml(
  { [ANNOTATION_MTLS_REQUIREMENT]: 'workload-identity' },
  "or 'encryption' / 'none', as the auditor requires",
);

const NO_SCOPE: CheckOutcome = {
  status: 'not-applicable',
  message: 'No compliance scope declared.',
};

export const complianceMtlsScope = defineEntityCheck({
  id: 'compliance-mtls-scope',
  title: 'Compliance scope states its mTLS requirement',
  category: 'security',
  weight: 2,
  appliesTo: 'Workloads with a compliance scope (annotation or metadata.tags)',
  reads: [ANNOTATION_COMPLIANCE, 'metadata.tags', ANNOTATION_MTLS_REQUIREMENT],
  rationale:
    'A compliance scope (PCI, HIPAA, SOC 2, …) is the usual reason for mTLS, but auditors differ: some require workload identity (every service pair mutually authenticated, as in NIST SP 800-204B), others only encryption in transit, which node-level WireGuard gives. Which one decides the mesh that fits.',
  remediation: 'Ask the auditor and declare the requirement.',
  remediationYaml: annotationYaml({
    [ANNOTATION_MTLS_REQUIREMENT]: 'workload-identity',
  }),
  sources: [SOURCES.nist800204b, SOURCES.nist800207a, SOURCES.ciliumWireguard],
  evaluate(facts) {
    const scopes = facts.annotations.compliance;
    if (scopes.length === 0) {
      return invalidAnnotation(facts, ANNOTATION_COMPLIANCE) ?? NO_SCOPE;
    }
    const invalid = invalidAnnotation(facts, ANNOTATION_MTLS_REQUIREMENT);
    if (invalid) {
      return invalid;
    }
    const requirement = facts.annotations.mtlsRequirement;
    if (!requirement) {
      return {
        status: 'unknown',
        message: `In compliance scope (${list(
          scopes,
        )}) but ${ANNOTATION_MTLS_REQUIREMENT} is not set.`,
        fixYaml: UNKNOWN_FIX,
      };
    }
    if (requirement === 'none') {
      return {
        status: 'warn',
        message: `In compliance scope (${list(
          scopes,
        )}) with ${ANNOTATION_MTLS_REQUIREMENT} 'none'; confirm with the auditor.`,
      };
    }
    return {
      status: 'pass',
      message: `Compliance scope ${list(scopes)} requires ${requirement}.`,
    };
  },
});
