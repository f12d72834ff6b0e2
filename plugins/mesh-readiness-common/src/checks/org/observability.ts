import { ANNOTATION_TRACING } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { pct } from '../../util';
import { defineOrgCheck } from '../types';
import { annotationYaml } from '../yaml';
import { out } from './outcomes';

export const observability = defineOrgCheck({
  id: 'observability',
  title: 'Tracing coverage',
  category: 'organisation',
  weight: 0,
  gate: true,
  appliesTo: 'In-scope workloads (tracing full counts; partial does not)',
  reads: [ANNOTATION_TRACING],
  rationale:
    'A mesh you cannot see into is a mesh you cannot debug. A mesh does not give distributed tracing without code changes: the Istio and Linkerd docs both state that the applications must propagate trace headers. So trace propagation must already cover most services before a mesh arrives.',
  remediation:
    'Add trace-context propagation (OpenTelemetry) to the services that lack it, starting with the longest call paths.',
  remediationYaml: annotationYaml({ [ANNOTATION_TRACING]: 'full' }),
  sources: [SOURCES.istioTracingFaq, SOURCES.linkerdTracing],
  evaluate({ facts, config }) {
    const t = facts.tracing;
    const threshold = config.thresholds.tracingCoverage;
    const total = facts.services;
    const coverage = total === 0 ? 0 : t.full / total;
    const figures = {
      coverage: Math.round(coverage * 1000) / 1000,
      threshold,
      full: t.full,
      partial: t.partial,
      none: t.none,
      unknown: t.unknown,
      services: total,
    };
    if (total === 0) {
      return out(
        'unknown',
        'No in-scope workloads, so tracing coverage cannot be measured.',
        figures,
      );
    }
    const text = `${t.full} of ${total} services (${pct(
      coverage,
    )}) propagate trace context on every call; ${pct(threshold)} needed`;
    if (coverage >= threshold) {
      return out('pass', `${text}.`, figures);
    }
    if ((t.full + t.unknown) / total >= threshold) {
      return out(
        'unknown',
        `${text}; ${t.unknown} services do not declare ${ANNOTATION_TRACING}.`,
        figures,
      );
    }
    return out('fail', `${text}.`, figures);
  },
});
