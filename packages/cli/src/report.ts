import type {
  EntityResult,
  ScoreReport,
} from '@mesh-readiness/plugin-mesh-readiness-common';

const STATUS_MARK: Record<string, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  waived: 'WAIVED',
  'not-applicable': 'N/A',
  unknown: 'UNKNOWN',
  invalid: 'INVALID',
};

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function entityLines(result: EntityResult): string[] {
  const lines: string[] = [];
  const score =
    result.score === null ? '  -' : String(result.score).padStart(3);
  lines.push(
    `${score}  ${pad(result.level ?? 'out of scope', 17)} ${result.entityRef}`,
  );
  if (!result.inScope) {
    if (result.scopeReason) lines.push(`       ${result.scopeReason}`);
    return lines;
  }
  for (const check of result.checks) {
    if (check.status === 'pass' || check.status === 'not-applicable') continue;
    lines.push(
      `       ${pad(STATUS_MARK[check.status] ?? check.status, 8)}${pad(
        check.id,
        24,
      )}${check.message}`,
    );
    if (check.id === 'retry-safety' && check.operations) {
      for (const op of check.operations.filter(o => o.retrySafe === false)) {
        lines.push(
          `                 unsafe: ${op.operation} (${op.api}) - ${op.reason}`,
        );
      }
    }
  }
  for (const problem of result.problems) {
    lines.push(`       PROBLEM ${problem.message}`);
  }
  return lines;
}

/** The readable report of `mesh-readiness score`. */
export function formatReport(report: ScoreReport): string {
  const out: string[] = [];
  const inScope = report.entities.filter(e => e.inScope);
  const outOfScope = report.entities.filter(e => !e.inScope);
  out.push(`Mesh readiness of ${inScope.length} workloads`);
  out.push('');
  const sorted = [...inScope].sort(
    (a, b) =>
      (a.score ?? -1) - (b.score ?? -1) ||
      a.entityRef.localeCompare(b.entityRef),
  );
  for (const result of sorted) out.push(...entityLines(result));
  if (outOfScope.length > 0) {
    out.push('');
    out.push(`Out of scope (${outOfScope.length}):`);
    for (const result of outOfScope) out.push(...entityLines(result));
  }

  const org = report.org;
  out.push('');
  out.push(
    `Organisation: verdict ${org.verdict.toUpperCase()}, score ${
      org.score ?? '-'
    }`,
  );
  for (const reason of org.verdictReasons) out.push(`  - ${reason}`);
  out.push('Gates:');
  for (const gate of org.gates) {
    out.push(
      `  ${pad(STATUS_MARK[gate.status] ?? gate.status, 8)}${pad(gate.id, 19)}${
        gate.message
      }`,
    );
  }
  const rec = org.recommendation;
  out.push(`Recommended mesh: ${rec.mesh}`);
  for (const reason of rec.reasons) out.push(`  - ${reason}`);
  for (const caveat of rec.caveats) out.push(`  ! ${caveat}`);
  if (org.cost.length > 0) {
    out.push('Estimated data-plane cost:');
    for (const cost of org.cost) {
      out.push(
        `  ${pad(cost.mesh, 14)}${String(Math.round(cost.memoryMiB)).padStart(
          8,
        )} MiB ${cost.vcpu.toFixed(2).padStart(8)} vCPU`,
      );
    }
  }
  if (org.retryRisk.services > 0) {
    out.push(
      `Retry risk: ${org.retryRisk.operations} operations in ${org.retryRisk.services} services would be retried unsafely.`,
    );
  }
  return `${out.join('\n')}\n`;
}
