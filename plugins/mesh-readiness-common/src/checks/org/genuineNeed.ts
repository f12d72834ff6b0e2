import {
  ANNOTATION_COMPLIANCE,
  ANNOTATION_MTLS_REQUIREMENT,
  ANNOTATION_NEEDS,
} from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { defineOrgCheck } from '../types';
import { annotationYaml } from '../yaml';
import { out } from './outcomes';

export const genuineNeed = defineOrgCheck({
  id: 'genuine-need',
  title: 'Genuine need for a mesh',
  category: 'organisation',
  weight: 0,
  gate: true,
  appliesTo: 'Production Components (spec.lifecycle production) in scope',
  reads: [
    'spec.lifecycle',
    ANNOTATION_COMPLIANCE,
    'metadata.tags',
    ANNOTATION_MTLS_REQUIREMENT,
    ANNOTATION_NEEDS,
  ],
  rationale:
    'Teams that regret a mesh usually had no requirement that needed one. Two needs justify it: workload mTLS required by compliance across many production services (NIST SP 800-204B asks for mutual authentication between every pair of services), or traffic features only a mesh serves well (canary, traffic split, fault injection, header routing, multi-cluster) on production services.',
  remediation:
    'Declare compliance scope, the mTLS requirement and needs on production services; if neither need is real, do not adopt a mesh.',
  remediationYaml: annotationYaml({
    [ANNOTATION_COMPLIANCE]: 'pci',
    [ANNOTATION_MTLS_REQUIREMENT]: 'workload-identity',
    [ANNOTATION_NEEDS]: 'mtls, canary',
  }),
  sources: [SOURCES.nist800204a, SOURCES.nist800204b, SOURCES.nist800207a],
  evaluate({ facts, config }) {
    const t = config.thresholds;
    const figures = {
      productionServices: facts.production,
      complianceMtlsServices: facts.complianceMtls,
      complianceUndetermined: facts.complianceUndetermined,
      complianceThreshold: t.complianceServices,
      meshOnlyNeedServices: facts.meshOnlyNeedServices,
      meshOnlyNeedThreshold: t.l7NeedServices,
      needsDeclaredServices: facts.needsDeclared,
      needsDeclaredRequired: Math.ceil(t.needsDeclared * facts.production),
    };
    if (facts.services === 0) {
      return out(
        'unknown',
        'No in-scope workloads, so the need cannot be judged.',
        figures,
      );
    }
    const parts: string[] = [];
    const compliance = facts.complianceMtls >= t.complianceServices;
    const l7 =
      t.l7NeedServices > 0 && facts.meshOnlyNeedServices >= t.l7NeedServices;
    if (compliance) {
      parts.push(
        `${facts.complianceMtls} production services require mTLS for compliance (threshold ${t.complianceServices})`,
      );
    }
    if (l7) {
      parts.push(
        `${facts.meshOnlyNeedServices} production ${
          facts.meshOnlyNeedServices === 1
            ? 'service declares'
            : 'services declare'
        } canary, traffic-split, fault-injection, header-routing or multi-cluster (threshold ${
          t.l7NeedServices
        })`,
      );
    }
    if (parts.length > 0) {
      return out('pass', `${parts.join('; ')}.`, figures);
    }
    const summary = `${facts.complianceMtls} production services require mTLS for compliance (${t.complianceServices} needed), and ${facts.meshOnlyNeedServices} declare a need only a mesh serves well.`;
    if (
      facts.complianceMtls + facts.complianceUndetermined >=
      t.complianceServices
    ) {
      return out(
        'unknown',
        `${summary} ${facts.complianceUndetermined} production services in compliance scope do not declare ${ANNOTATION_MTLS_REQUIREMENT}; they could decide it.`,
        figures,
      );
    }
    if (facts.production === 0) {
      return out(
        'unknown',
        'No in-scope service has spec.lifecycle production, so a need can be neither established nor ruled out.',
        figures,
      );
    }
    // No need found: a finding only when enough services said so.
    const required = Math.ceil(t.needsDeclared * facts.production);
    if (facts.needsDeclared >= required) {
      return out(
        'fail',
        `No genuine need: ${facts.needsDeclared} of ${facts.production} production services declare their needs and none is a need only a mesh serves well; ${summary}`,
        figures,
      );
    }
    return out(
      'unknown',
      `${facts.production - facts.needsDeclared} of ${
        facts.production
      } production services declare no ${ANNOTATION_NEEDS} ('none' counts); ${required} must before "no need" is a finding. ${summary}`,
      figures,
    );
  },
});
