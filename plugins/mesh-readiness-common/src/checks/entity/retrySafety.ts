import {
  ANNOTATION_NO_RETRY_ROUTES,
  ANNOTATION_RETRIES,
} from '../../annotationKeys';
import { meshName } from '../../recommend';
import { SOURCES } from '../../sources';
import type { MeshOption } from '../../types';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { WORKLOADS } from './outcomes';

const NOT_RUN: CheckOutcome = {
  status: 'unknown',
  message: 'API analysis not run, so retry safety is unknown.',
};

/** The meshes an undecided organisation could adopt, most retrying first. */
const CANDIDATES: readonly MeshOption[] = [
  'istio-sidecar',
  'istio-ambient',
  'linkerd',
  'cilium',
];

export const retrySafety = defineEntityCheck({
  id: 'retry-safety',
  title: 'Provided APIs are safe to retry',
  category: 'resilience',
  weight: 3,
  gate: true,
  appliesTo: `${WORKLOADS}; reads the OpenAPI and gRPC APIs in spec.providesApis`,
  dependsOnMesh: true,
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
  evaluate(facts, { mesh, meshDecided }) {
    const analysis = facts.retrySafety;
    if (!analysis) {
      return NOT_RUN;
    }
    if (meshDecided) {
      return analysis(mesh);
    }
    // No mesh decided: a risk under any candidate must not be hidden.
    const outcomes = CANDIDATES.map(candidate => ({
      candidate,
      outcome: analysis(candidate),
    }));
    const unsafe = outcomes.filter(o => o.outcome.status === 'fail');
    if (unsafe.length === 0) {
      // The candidate that retries the most decides what is known.
      return outcomes[0].outcome;
    }
    const worst = unsafe[0].outcome;
    return {
      ...worst,
      status: 'warn',
      message: `If ${unsafe
        .map(o => meshName(o.candidate))
        .join(' or ')} were adopted: ${worst.message}`,
      // Each candidate's outcome may carry the same snippets: each once.
      snippets: [
        ...new Map(
          unsafe
            .flatMap(o => o.outcome.snippets ?? [])
            .map(s => [`${s.mesh}\u0000${s.title}\u0000${s.yaml}`, s]),
        ).values(),
      ],
    };
  },
});
