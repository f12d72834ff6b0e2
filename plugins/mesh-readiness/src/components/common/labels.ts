import type {
  CheckCategory,
  CheckStatus,
  MeshOption,
  OrgVerdict,
  ReadinessLevel,
} from '@mesh-readiness/plugin-mesh-readiness-common';

export const STATUS_LABELS: Record<CheckStatus, string> = {
  fail: 'Fail',
  invalid: 'Invalid',
  warn: 'Warning',
  unknown: 'Unknown',
  waived: 'Waived',
  pass: 'Pass',
  'not-applicable': 'Not applicable',
};

/** Worst first: the order checks are listed in. */
export const STATUS_ORDER: CheckStatus[] = [
  'fail',
  'invalid',
  'unknown',
  'warn',
  'waived',
  'pass',
  'not-applicable',
];

export const LEVEL_LABELS: Record<ReadinessLevel, string> = {
  'not-assessed': 'Not assessed',
  'not-ready': 'Not ready',
  'pilot-ready': 'Pilot ready',
  'production-ready': 'Production ready',
  optimal: 'Optimal',
};

export const MESH_LABELS: Record<MeshOption, string> = {
  none: 'No mesh',
  cilium: 'Cilium',
  linkerd: 'Linkerd',
  'istio-ambient': 'Istio (ambient)',
  'istio-sidecar': 'Istio (sidecar)',
};

export const VERDICT_LABELS: Record<OrgVerdict, string> = {
  'not-needed': 'Not needed',
  'not-ready': 'Not ready',
  ready: 'Ready',
  undetermined: 'Undetermined',
};

export const CATEGORY_LABELS: Record<CheckCategory, string> = {
  ownership: 'Ownership',
  protocols: 'Protocols and ports',
  workload: 'Workload',
  security: 'Security',
  observability: 'Observability',
  resilience: 'Resilience',
  organisation: 'Organisation',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as CheckStatus] ?? status;
}

export function levelLabel(level: string | null | undefined): string {
  if (!level) {
    return 'No level';
  }
  return LEVEL_LABELS[level as ReadinessLevel] ?? level;
}

/**
 * A coverage (0–1: the share of the applicable check weight whose status
 * is known) as a percentage; a dash when there is none.
 */
export function formatCoverage(coverage: number | null | undefined): string {
  if (typeof coverage !== 'number' || !Number.isFinite(coverage)) {
    return '–';
  }
  return `${Math.round(coverage * 100)}%`;
}

export function meshLabel(mesh: string): string {
  return MESH_LABELS[mesh as MeshOption] ?? mesh;
}

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category as CheckCategory] ?? 'Other checks';
}

export function statusRank(status: string): number {
  const index = STATUS_ORDER.indexOf(status as CheckStatus);
  return index === -1 ? STATUS_ORDER.length : index;
}

/** A date-time in the reader's locale, or the raw text when unparseable. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** The text to show for a coverage figure, with what it means. */
export const COVERAGE_HELP =
  'Coverage: the share of the applicable check weight whose status is known (not Unknown).';
