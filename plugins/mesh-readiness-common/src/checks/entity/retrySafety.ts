import {
  ANNOTATION_NO_RETRY_ROUTES,
  ANNOTATION_RETRIES,
} from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { WORKLOADS } from './outcomes';

const NOT_RUN: CheckOutcome = {
  status: 'unknown',
  message: 'API analysis not run, so retry safety is unknown.',
};

export const retrySafety = defineEntityCheck({
  id: 'retry-safety',
  title: 'Provided APIs are safe to retry',
  category: 'resilience',
  weight: 3,
  gate: true,
  appliesTo: `${WORKLOADS}; reads the OpenAPI and gRPC APIs in spec.providesApis`,
  reads: ['spec.providesApis', ANNOTATION_NO_RETRY_ROUTES, ANNOTATION_RETRIES],
  rationale:
    'Istio retries failed requests by default and Envoy does not look at the HTTP method, so a POST whose response was lost can run twice. RFC 9110 makes only GET, HEAD, OPTIONS, TRACE, PUT and DELETE idempotent; POST and PATCH need an Idempotency-Key (or x-idempotent: true), gRPC methods an idempotency_level, or the route must be excluded from retries.',
  remediation:
    'Add Idempotency-Key support to unsafe operations, or list them in mesh-readiness.io/no-retry-routes and set retries.attempts: 0 on those routes.',
  sources: [
    SOURCES.istioDefaultRetries,
    SOURCES.envoyRouter,
    SOURCES.rfc9110Idempotent,
  ],
  evaluate(facts, { mesh }) {
    if (!facts.retrySafety) {
      return NOT_RUN;
    }
    return facts.retrySafety(mesh);
  },
});
