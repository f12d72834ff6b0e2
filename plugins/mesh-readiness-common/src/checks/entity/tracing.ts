import { ANNOTATION_TRACING } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, WORKLOADS } from './outcomes';

const FIX = annotationYaml(
  { [ANNOTATION_TRACING]: 'full' },
  'once every outbound call propagates traceparent',
);

const FULL: CheckOutcome = {
  status: 'pass',
  message: `${ANNOTATION_TRACING} is 'full': trace context is propagated on every outbound call.`,
};

const PARTIAL: CheckOutcome = {
  status: 'warn',
  message: `${ANNOTATION_TRACING} is 'partial': traces break at the calls that do not propagate context.`,
  fixYaml: FIX,
};

const NONE: CheckOutcome = {
  status: 'fail',
  message: `${ANNOTATION_TRACING} is 'none': mesh spans for this service cannot be joined into traces.`,
  fixYaml: FIX,
};

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `${ANNOTATION_TRACING} is not set, so trace propagation is unknown.`,
  fixYaml: FIX,
};

export const tracing = defineEntityCheck({
  id: 'tracing',
  title: 'Trace context propagated',
  category: 'observability',
  weight: 3,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_TRACING],
  rationale:
    'A mesh emits spans from its proxies, but it does not join them into traces by itself: Istio says applications must propagate the trace headers (traceparent/tracestate or B3, x-request-id), and Linkerd says distributed tracing requires both code changes and configuration. Without propagation every hop is a disconnected span, and the mesh cannot be debugged.',
  remediation:
    'Propagate W3C traceparent (or B3) on every outbound call, e.g. with OpenTelemetry instrumentation, then declare tracing "full".',
  remediationYaml: annotationYaml({ [ANNOTATION_TRACING]: 'full' }),
  sources: [
    SOURCES.istioTracingFaq,
    SOURCES.istioTracingOverview,
    SOURCES.linkerdTracing,
  ],
  evaluate(facts) {
    const invalid = invalidAnnotation(facts, ANNOTATION_TRACING);
    if (invalid) {
      return invalid;
    }
    switch (facts.annotations.tracing) {
      case 'full':
        return FULL;
      case 'partial':
        return PARTIAL;
      case 'none':
        return NONE;
      default:
        return NOT_SET;
    }
  },
});
