import type {
  CheckResult,
  EntityResult,
  FactEvidence,
  ManifestObservation,
  ScoreReport,
} from '@mesh-readiness/plugin-mesh-readiness-common';

/** Above this many in-scope services, the report is the summary view. */
export const DEFAULT_SUMMARY_ABOVE = 20;

/** Options of {@link formatReport}. */
export interface ReportOptions {
  /** Every service and check, whatever the count. */
  details?: boolean;
  /** The summary view is printed above this many services (default 20). */
  summaryAbove?: number;
  /** Line width (default 100). */
  width?: number;
  /**
   * Refs of the services with no `mesh-readiness.io/*` annotation (the CLI
   * knows them from the YAML); otherwise guessed from the results.
   */
  undeclared?: ReadonlySet<string>;
  /**
   * What each entity's manifests say, by lower-cased ref: the replicas of
   * each matched workload are printed from it.
   */
  observations?: ReadonlyMap<string, ManifestObservation>;
}

const STATUS_MARK: Record<string, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  waived: 'WAIVED',
  'not-applicable': 'N/A',
  unknown: 'UNKNOWN',
  invalid: 'INVALID',
};

const ANNOTATION_KEY = /mesh-readiness\.io\/[\w.-]+/g;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function percent(share: number | null | undefined): string {
  return typeof share === 'number' ? `${Math.round(share * 100)}%` : '-';
}

/**
 * Wraps text to the width (its leading spaces kept); continuation lines are
 * indented by `indent` spaces. A word longer than a line stays whole.
 */
export function wrap(text: string, width: number, indent: number): string[] {
  // A prefix as long as the indent (a padded label) is kept as written.
  const keep =
    indent > 0 && text.length > indent && text[indent - 1] === ' '
      ? text.slice(0, indent)
      : /^\s*/.exec(text)![0];
  const lines: string[] = [];
  let line = keep;
  let fresh = true; // nothing but the prefix or indent on this line yet
  for (const word of text.slice(keep.length).split(/\s+/).filter(Boolean)) {
    if (!fresh && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = fresh ? line + word : `${line} ${word}`;
    }
    fresh = false;
  }
  if (!fresh) lines.push(line);
  return lines;
}

/** Each distinct explanation, numbered once; lines refer to it as [n]. */
class Explanations {
  private readonly numbers = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  count(text: string) {
    this.counts.set(text, (this.counts.get(text) ?? 0) + 1);
  }

  /**
   * The text itself when it occurs once (the caller wraps it) or is short;
   * otherwise a reference to the explanation printed at the end.
   */
  ref(text: string, room: number): string {
    if (
      (this.counts.get(text) ?? 0) <= 1 ||
      text.length <= Math.min(room, 40)
    ) {
      return text;
    }
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(text, n);
    }
    return `[${n}]`;
  }

  lines(width: number): string[] {
    if (this.numbers.size === 0) return [];
    const out = ['', 'Explanations:'];
    for (const [text, n] of this.numbers) {
      const label = `  [${n}] `;
      out.push(...wrap(label + text, width, label.length));
    }
    return out;
  }
}

/** The checks printed: all but passes and N/A, and passes that cite evidence. */
function shownChecks(result: EntityResult): CheckResult[] {
  return result.checks.filter(
    c =>
      (c.status !== 'pass' && c.status !== 'not-applicable') ||
      (c.status === 'pass' && (c.evidence?.length ?? 0) > 0),
  );
}

/** `fact: value — source`, as evidence is printed. */
export function evidenceLine(e: FactEvidence): string {
  return `${e.fact}: ${e.value} — ${e.source.label}`;
}

/** `2 workloads (Deployment a, StatefulSet b)`. */
function workloadList(result: EntityResult): string {
  const workloads = result.manifests?.workloads ?? [];
  return `${plural(workloads.length, 'workload')} (${workloads
    .map(w => `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`)
    .join(', ')})`;
}

/** The lines that say where an entity's facts come from. */
function inspectionLines(
  result: EntityResult,
  observation: ManifestObservation | undefined,
  width: number,
): string[] {
  const manifests = result.manifests;
  if (!manifests || manifests.workloads.length === 0) {
    const why = !manifests
      ? 'no manifests linked'
      : `no workload in ${plural(manifests.files, 'manifest file')} matches`;
    return wrap(`       declared only (${why})`, width, 9);
  }
  const out = wrap(`       inspected: ${workloadList(result)}`, width, 9);
  for (const workload of observation?.workloads ?? []) {
    if (!workload.replicas) continue;
    const { value, from, max, source } = workload.replicas;
    let how: string = from;
    if (from === 'default') how = 'not set, the default';
    if (from === 'HorizontalPodAutoscaler') {
      how = `HorizontalPodAutoscaler minReplicas${
        max !== undefined ? `, up to ${max}` : ''
      }`;
    }
    out.push(
      ...wrap(
        `         replicas of ${workload.kind} ${workload.name}: ${value} (${how}) — ${source.label}`,
        width,
        11,
      ),
    );
  }
  return out;
}

function unsafeOperations(result: EntityResult) {
  const retry = result.checks.find(c => c.id === 'retry-safety');
  const meshes = Object.entries(retry?.perMesh ?? {})
    .filter(([, verdict]) => verdict === 'unsafe')
    .map(([mesh]) => mesh);
  return (retry?.operations ?? [])
    .filter(o => o.retrySafe === false)
    .map(o => ({ ...o, service: result.entityRef, meshes }));
}

/** Services about which nothing is declared. */
function isUndeclared(
  result: EntityResult,
  undeclared: ReadonlySet<string> | undefined,
): boolean {
  if (undeclared) return undeclared.has(result.entityRef);
  const known = result.checks.filter(
    c => c.status !== 'not-applicable' && c.status !== 'unknown',
  );
  return known.length <= 1 && result.checks.some(c => c.status === 'unknown');
}

/** The annotations the undeclared services lack, most often missing first. */
function keysToDeclare(results: EntityResult[]): string[] {
  const counts = new Map<string, number>();
  for (const result of results) {
    const keys = new Set<string>();
    for (const check of result.checks) {
      if (check.status !== 'unknown') continue;
      for (const key of `${check.fixYaml ?? ''}`.match(ANNOTATION_KEY) ?? []) {
        keys.add(key);
      }
    }
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key]) => key);
}

/** "a, b, c and 12 more", as much as fits in `room`. */
function listFitting(names: string[], room: number): string {
  let text = '';
  for (let i = 0; i < names.length; i++) {
    const rest = names.length - i - 1;
    const next = text ? `${text}, ${names[i]}` : names[i];
    const tail = rest > 0 ? ` and ${rest} more` : '';
    if (next.length + tail.length > room && text) {
      return `${text} and ${names.length - i} more`;
    }
    text = next;
  }
  return text;
}

function headline(result: EntityResult): string {
  const score =
    result.score === null ? '  -' : String(result.score).padStart(3);
  const coverage =
    result.coverage === undefined
      ? ''
      : ` ${percent(result.coverage).padStart(4)}`;
  return `${score}${coverage}  ${pad(result.level ?? 'out of scope', 17)} ${
    result.entityRef
  }`;
}

function entityLines(
  result: EntityResult,
  notes: Explanations,
  width: number,
  inspection?: { observation?: ManifestObservation },
): string[] {
  const lines = [headline(result)];
  if (!result.inScope) {
    if (result.scopeReason) {
      lines.push(
        ...wrap(`       ${notes.ref(result.scopeReason, width - 7)}`, width, 7),
      );
    }
    return lines;
  }
  if (inspection) {
    lines.push(...inspectionLines(result, inspection.observation, width));
  }
  // Each fact once per service, under the first check that rests on it.
  const printed = new Set<string>();
  for (const check of shownChecks(result)) {
    const evidence = (check.evidence ?? []).map(evidenceLine);
    const fresh = evidence.filter(e => !printed.has(e));
    const prefix = `       ${pad(
      STATUS_MARK[check.status] ?? check.status,
      8,
    )}${pad(check.id, 24)}`;
    const seenAbove =
      evidence.length > 0 && fresh.length === 0 ? ' (facts above)' : '';
    lines.push(
      ...wrap(
        prefix + notes.ref(check.message, width - prefix.length) + seenAbove,
        width,
        prefix.length,
      ),
    );
    for (const line of fresh) {
      printed.add(line);
      lines.push(...wrap(`                 ${line}`, width, 19));
    }
    if (check.id === 'retry-safety') {
      for (const op of unsafeOperations(result)) {
        const by =
          op.meshes.length > 0 ? `, retried by ${op.meshes.join(', ')}` : '';
        const head = `                 unsafe: ${op.operation} (${op.api}${by}) - `;
        lines.push(
          ...wrap(head + notes.ref(op.reason, width - head.length), width, 19),
        );
      }
    }
  }
  for (const problem of result.problems) {
    const prefix = '       PROBLEM ';
    lines.push(
      ...wrap(
        prefix + notes.ref(problem.message, width - prefix.length),
        width,
        prefix.length,
      ),
    );
  }
  return lines;
}

function countTexts(results: EntityResult[], notes: Explanations) {
  for (const result of results) {
    if (!result.inScope) {
      if (result.scopeReason) notes.count(result.scopeReason);
      continue;
    }
    for (const check of shownChecks(result)) notes.count(check.message);
    for (const op of unsafeOperations(result)) notes.count(op.reason);
    for (const problem of result.problems) notes.count(problem.message);
  }
}

function undeclaredLine(results: EntityResult[], width: number): string[] {
  if (results.length === 0) return [];
  const head = `${plural(
    results.length,
    'service',
  )} declare nothing (no mesh-readiness.io annotation): `;
  const names = listFitting(
    results.map(r => r.entityRef),
    Math.max(30, 2 * width - head.length - 8),
  );
  const keys = keysToDeclare(results);
  return [
    ...wrap(head + names, width, 2),
    ...(keys.length > 0
      ? wrap(`  declare: ${keys.join(', ')}`, width, 11)
      : []),
  ];
}

function levelCounts(results: EntityResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const level = r.level ?? 'none';
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([level, n]) => `${n} ${level}`)
    .join(', ');
}

function statusCounts(results: EntityResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    for (const c of r.checks)
      counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  }
  return Object.keys(STATUS_MARK)
    .filter(s => counts.has(s))
    .map(s => `${counts.get(s)} ${s}`)
    .join(', ');
}

/** The operations a mesh would retry unsafely, riskiest first. */
function riskyLines(
  results: EntityResult[],
  notes: Explanations,
  width: number,
  limit = Infinity,
): string[] {
  const risky = results.flatMap(unsafeOperations);
  if (risky.length === 0) return [];
  risky.sort(
    (a, b) =>
      b.meshes.length - a.meshes.length ||
      a.service.localeCompare(b.service) ||
      a.operation.localeCompare(b.operation),
  );
  const out = [
    '',
    `Operations a mesh would retry unsafely (${risky.length}${
      risky.length > limit ? `, the first ${limit}` : ''
    }):`,
  ];
  for (const op of risky.slice(0, limit)) {
    const by = op.meshes.length > 0 ? ` by ${op.meshes.join(', ')}` : '';
    const head = `  ${op.operation} (${op.api}, ${op.service})${by} - `;
    out.push(
      ...wrap(head + notes.ref(op.reason, width - head.length), width, 4),
    );
  }
  return out;
}

function summaryLines(
  declared: EntityResult[],
  all: EntityResult[],
  notes: Explanations,
  width: number,
): string[] {
  const out: string[] = [];
  out.push(...wrap(`Levels: ${levelCounts(all)}`, width, 2));
  out.push(...wrap(`Checks: ${statusCounts(all)}`, width, 2));
  if (all.some(r => r.manifests)) {
    const inspected = all.filter(r => (r.manifests?.workloads.length ?? 0) > 0);
    out.push(
      ...wrap(
        `Inspected: ${inspected.length} of ${plural(
          all.length,
          'service',
        )} (manifests read and matched; the others are declared only)`,
        width,
        2,
      ),
    );
  }
  const worst = declared
    .filter(r => r.score !== null && r.level !== 'not-assessed')
    .sort((a, b) => (a.score ?? 0) - (b.score ?? 0))
    .slice(0, 10);
  if (worst.length > 0) {
    out.push(
      '',
      `Worst services (of ${declared.length} that declare something):`,
    );
    for (const result of worst) {
      const missing = result.topMissing.slice(0, 3).join(', ');
      const line = `${headline(result)}${
        missing ? `  missing: ${missing}` : ''
      }`;
      out.push(line.length > width ? `${line.slice(0, width - 1)}…` : line);
    }
  }
  out.push(...riskyLines(all, notes, width, 10));
  return out;
}

function orgLines(report: ScoreReport, width: number): string[] {
  const org = report.org;
  const out: string[] = [];
  const coverage =
    org.coverage === undefined ? '' : `, coverage ${percent(org.coverage)}`;
  out.push(
    `Organisation: verdict ${org.verdict.toUpperCase()}, score ${
      org.score ?? '-'
    }${coverage}`,
  );
  for (const reason of org.verdictReasons)
    out.push(...wrap(`  - ${reason}`, width, 4));
  if (org.toDecide && org.toDecide.length > 0) {
    out.push('Declare these to decide:');
    for (const item of org.toDecide) {
      out.push(
        ...wrap(`  - ${item.declare} (${item.count}, ${item.gate})`, width, 4),
      );
    }
  }
  out.push('Gates:');
  for (const gate of org.gates) {
    const prefix = `  ${pad(STATUS_MARK[gate.status] ?? gate.status, 8)}${pad(
      gate.id,
      19,
    )}`;
    out.push(...wrap(prefix + gate.message, width, prefix.length));
  }
  const rec = org.recommendation;
  out.push(`Recommended mesh: ${rec.mesh}`);
  for (const reason of rec.reasons)
    out.push(...wrap(`  - ${reason}`, width, 4));
  for (const caveat of rec.caveats)
    out.push(...wrap(`  ! ${caveat}`, width, 4));
  if (org.cost.length > 0) {
    out.push('Estimated data-plane cost:');
    for (const cost of org.cost) {
      const known =
        typeof cost.memoryMiB === 'number' && typeof cost.vcpu === 'number';
      const figures = known
        ? `${String(Math.round(cost.memoryMiB as number)).padStart(8)} MiB ${(
            cost.vcpu as number
          )
            .toFixed(2)
            .padStart(8)} vCPU`
        : `unknown${
            cost.missingInputs?.length
              ? ` (missing: ${cost.missingInputs.join(', ')})`
              : ''
          }`;
      const line = `  ${pad(cost.mesh, 14)} ${figures}`;
      out.push(...(known ? [line] : wrap(line, width, 17)));
    }
  }
  if (org.retryRisk.services > 0) {
    out.push(
      ...wrap(
        `Retry risk: ${org.retryRisk.operations} operations in ${org.retryRisk.services} services would be retried unsafely.`,
        width,
        2,
      ),
    );
  }
  return out;
}

/** The readable report of `mesh-readiness score`. */
export function formatReport(
  report: ScoreReport,
  options: ReportOptions = {},
): string {
  const width = Math.max(60, options.width ?? 100);
  const summaryAbove = options.summaryAbove ?? DEFAULT_SUMMARY_ABOVE;
  const out: string[] = [];
  const inScope = report.entities.filter(e => e.inScope);
  const outOfScope = report.entities.filter(e => !e.inScope);
  // --details lists every service; otherwise those that declare nothing
  // share one line.
  const undeclared = options.details
    ? []
    : inScope.filter(r => isUndeclared(r, options.undeclared));
  const declared = options.details
    ? inScope
    : inScope.filter(r => !isUndeclared(r, options.undeclared));
  const summary = !options.details && inScope.length > summaryAbove;
  const notes = new Explanations();

  out.push(
    `Mesh readiness of ${plural(inScope.length, 'workload')}${
      outOfScope.length > 0
        ? ` (${outOfScope.length} ${
            outOfScope.length === 1 ? 'entity' : 'entities'
          } out of scope)`
        : ''
    }`,
  );
  out.push('');
  for (const op of undeclared.flatMap(unsafeOperations)) notes.count(op.reason);
  if (summary) {
    countTexts(declared, notes);
    out.push(...summaryLines(declared, inScope, notes, width));
    out.push('');
    out.push(...undeclaredLine(undeclared, width));
    out.push(
      `(summary of ${inScope.length} services, over ${summaryAbove}: --details prints each service, --json everything)`,
    );
  } else {
    countTexts(declared, notes);
    if (options.details) countTexts(outOfScope, notes);
    const sorted = [...declared].sort(
      (a, b) =>
        (a.score ?? -1) - (b.score ?? -1) ||
        a.entityRef.localeCompare(b.entityRef),
    );
    // Where the facts come from, once any entity links manifests.
    const withManifests = report.entities.some(e => e.manifests);
    for (const result of sorted) {
      out.push(
        ...entityLines(
          result,
          notes,
          width,
          withManifests
            ? {
                observation: options.observations?.get(
                  result.entityRef.toLocaleLowerCase('en-US'),
                ),
              }
            : undefined,
        ),
      );
    }
    if (undeclared.length > 0) {
      if (declared.length > 0) out.push('');
      out.push(...undeclaredLine(undeclared, width));
      out.push(...riskyLines(undeclared, notes, width));
    }
    if (outOfScope.length > 0) {
      out.push('');
      if (options.details) {
        out.push(`Out of scope (${outOfScope.length}):`);
        for (const result of outOfScope) {
          out.push(...entityLines(result, notes, width));
        }
      } else {
        out.push(
          `Out of scope: ${plural(
            outOfScope.length,
            'entity',
          )} (--details lists them)`,
        );
      }
    }
  }
  out.push('');
  out.push(...orgLines(report, width));
  out.push(...notes.lines(width));
  return `${out.join('\n')}\n`;
}
