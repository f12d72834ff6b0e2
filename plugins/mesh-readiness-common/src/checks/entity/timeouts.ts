import { ANNOTATION_TIMEOUTS } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, WORKLOADS } from './outcomes';

const FIX = annotationYaml(
  { [ANNOTATION_TIMEOUTS]: 'true' },
  'once every client call has a timeout',
);

const CONFIGURED: CheckOutcome = {
  status: 'pass',
  message: 'Client call timeouts are configured.',
};

const NOT_CONFIGURED: CheckOutcome = {
  status: 'fail',
  message: 'Client calls have no timeouts.',
  fixYaml: FIX,
};

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `${ANNOTATION_TIMEOUTS} is not set.`,
  fixYaml: FIX,
};

export const timeouts = defineEntityCheck({
  id: 'timeouts',
  title: 'Client timeouts configured',
  category: 'resilience',
  weight: 2,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_TIMEOUTS],
  rationale:
    'Mesh retries multiply load unless calls are bounded: Envoy\'s route timeout includes all retries to avoid "an exponential retry/timeout explosion", and Istio\'s perTryTimeout defaults to none. Services that already set call timeouts keep their behaviour predictable when a mesh adds retries.',
  remediation:
    'Configure a timeout on every outbound client call, then declare it.',
  remediationYaml: annotationYaml({ [ANNOTATION_TIMEOUTS]: 'true' }),
  sources: [SOURCES.envoyRouter, SOURCES.istioVirtualService],
  evaluate(facts) {
    const invalid = invalidAnnotation(facts, ANNOTATION_TIMEOUTS);
    if (invalid) {
      return invalid;
    }
    switch (facts.annotations.timeouts) {
      case true:
        return CONFIGURED;
      case false:
        return NOT_CONFIGURED;
      default:
        return NOT_SET;
    }
  },
});
