import { ANNOTATION_RETRIES } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, WORKLOADS } from './outcomes';

const FIX = annotationYaml({ [ANNOTATION_RETRIES]: 'idempotent-only' });

const RETRIES_ALL: CheckOutcome = {
  status: 'fail',
  message:
    "The application retries every call; with Istio's default 2 retries each attempt can become 3, and non-idempotent calls may repeat.",
  fixYaml: FIX,
};

const RETRIES_NONE: CheckOutcome = {
  status: 'pass',
  message: 'The application does not retry; the mesh policy alone decides.',
};

const IDEMPOTENT_ONLY: CheckOutcome = {
  status: 'pass',
  message: 'The application retries idempotent calls only.',
};

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `${ANNOTATION_RETRIES} is not set, so the application's own retries are unknown.`,
  fixYaml: FIX,
};

export const retryPolicy = defineEntityCheck({
  id: 'retry-policy',
  title: 'App retries do not stack on mesh retries',
  category: 'resilience',
  weight: 3,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_RETRIES],
  rationale:
    'Istio retries by default, with no VirtualService at all: 2 retries on connect-failure, refused-stream, unavailable, cancelled and 503. An application that also retries every call multiplies each failure: every app attempt becomes up to 3 proxy attempts, a retry storm under load, and non-idempotent calls may run twice.',
  remediation:
    'Retry only idempotent calls in the application (or none), and leave the rest to a mesh retry policy with a budget.',
  remediationYaml: FIX,
  sources: [
    SOURCES.istioDefaultRetries,
    SOURCES.istioVirtualService,
    SOURCES.envoyRouter,
  ],
  evaluate(facts) {
    const invalid = invalidAnnotation(facts, ANNOTATION_RETRIES);
    if (invalid) {
      return invalid;
    }
    switch (facts.annotations.retries) {
      case 'all':
        return RETRIES_ALL;
      case 'none':
        return RETRIES_NONE;
      case 'idempotent-only':
        return IDEMPOTENT_ONLY;
      default:
        return NOT_SET;
    }
  },
});
