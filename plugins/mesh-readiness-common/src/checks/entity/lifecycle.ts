import { SOURCES } from '../../sources';
import { defineEntityCheck } from '../types';
import { specYaml } from '../yaml';
import { WORKLOADS } from './outcomes';

export const lifecycle = defineEntityCheck({
  id: 'lifecycle',
  title: 'Lifecycle declared',
  category: 'ownership',
  weight: 1,
  appliesTo: WORKLOADS,
  reads: ['spec.lifecycle'],
  rationale:
    "Only production services count towards the organisation's need for a mesh (the genuine-need gate), so the lifecycle has to be known.",
  remediation: 'Set spec.lifecycle (production, experimental, deprecated, …).',
  remediationYaml: specYaml('lifecycle', 'production'),
  sources: [SOURCES.backstageDescriptor],
  evaluate(facts) {
    if (facts.lifecycle === undefined) {
      return {
        status: 'unknown',
        message: 'spec.lifecycle is not set.',
        fixYaml: specYaml('lifecycle', 'production'),
      };
    }
    return {
      status: 'pass',
      message: `spec.lifecycle is '${facts.lifecycle.slice(0, 40)}'.`,
    };
  },
});
