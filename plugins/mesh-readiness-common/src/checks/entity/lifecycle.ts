import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { specYaml } from '../yaml';
import { WORKLOADS } from './outcomes';

const FIX = specYaml('lifecycle', 'production');
const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: 'spec.lifecycle is not set.',
  fixYaml: FIX,
};

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
      return NOT_SET;
    }
    return {
      status: 'pass',
      message: `spec.lifecycle is '${facts.lifecycle.slice(0, 40)}'.`,
    };
  },
});
