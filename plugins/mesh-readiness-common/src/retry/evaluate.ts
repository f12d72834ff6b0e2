import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CheckResult,
  CheckStatus,
  ConfigSnippet,
  MESH_OPTIONS,
  MeshOption,
  MeshRetryVerdict,
  RetryOperation,
} from '../types';
import { MESH_RETRY_BEHAVIOUR } from './meshes';
import { operationKey } from './routes';
import {
  RouteOperation,
  istioSnippet,
  linkerdSnippet,
  noRetryRoutesAnnotation,
} from './snippets';
import { AnalyzedOperation, ApiAnalysis } from './types';

/** Input of {@link evaluateRetrySafety}. @public */
export interface RetrySafetyInput {
  component: Entity;
  /** `spec.providesApis` of the component, as written. */
  providedApis: string[];
  /** From {@link analyzeApis}, keyed by lower-cased entity ref. */
  analyses: Map<string, ApiAnalysis>;
  /** `mesh-readiness.io/retries`: what the app retries today. */
  appRetries?: 'none' | 'idempotent-only' | 'all';
  /** `mesh-readiness.io/no-retry-routes`, split into entries. */
  noRetryRoutes: string[];
  /** The mesh the org would adopt. */
  mesh: MeshOption;
}

const MAX_LISTED = 6;

/** Lower case as en-US has it: the same mapping as the root locale, without the locale lookup. */
function lower(ref: string): string {
  return ref.toLowerCase();
}

function componentRefOf(component: Entity): string {
  try {
    return lower(stringifyEntityRef(component));
  } catch {
    return lower(`component:default/${component?.metadata?.name ?? 'unnamed'}`);
  }
}

function normaliseApiRef(ref: string, namespace: string): string {
  try {
    return lower(
      stringifyEntityRef(
        parseEntityRef(ref, {
          defaultKind: 'api',
          defaultNamespace: namespace,
        }),
      ),
    );
  } catch {
    return lower(ref.trim());
  }
}

function listSome(items: string[]): string {
  if (items.length <= MAX_LISTED) {
    return items.join(', ');
  }
  return `${items.slice(0, MAX_LISTED).join(', ')} and ${
    items.length - MAX_LISTED
  } more`;
}

/**
 * Whether one operation is safe from one mesh's default retries, and why.
 * @public
 */
export interface RetryJudgement {
  safe: boolean | 'unknown';
  reason: string;
}

/**
 * Whether one operation is safe from the default retries of one mesh:
 * `listedNoRetry` when the component lists it in
 * `mesh-readiness.io/no-retry-routes`.
 * @public
 */
export function judgeOperation(
  mesh: MeshOption,
  op: Pick<AnalyzedOperation, 'idempotent'>,
  listedNoRetry: boolean,
): RetryJudgement {
  const behaviour = MESH_RETRY_BEHAVIOUR[mesh];
  if (!behaviour.retriesByDefault) {
    return {
      safe: true,
      reason:
        mesh === 'linkerd'
          ? `${behaviour.summary}; it stays safe while no retry annotation covers this operation.`
          : `${behaviour.summary}.`,
    };
  }
  if (listedNoRetry) {
    return {
      safe: true,
      reason: `Listed in mesh-readiness.io/no-retry-routes: ${behaviour.label} must be configured not to retry it (see the snippet).`,
    };
  }
  if (op.idempotent === true) {
    return { safe: true, reason: `Safe to retry under ${behaviour.label}.` };
  }
  if (op.idempotent === 'unknown') {
    return {
      safe: 'unknown',
      reason: `${behaviour.summary}; whether a repeat of this operation is harmless is unknown.`,
    };
  }
  return {
    safe: false,
    reason: `${behaviour.summary}: a request the service already processed can run twice.`,
  };
}

function meshList(meshes: MeshOption[]): string {
  return meshes.map(m => MESH_RETRY_BEHAVIOUR[m].label).join(', ');
}

function perMeshSentence(
  perMesh: Partial<Record<MeshOption, MeshRetryVerdict>>,
): string {
  const by = (v: MeshRetryVerdict) =>
    MESH_OPTIONS.filter(m => m !== 'none' && perMesh[m] === v);
  const parts: string[] = [];
  const safe = by('safe');
  const unsafe = by('unsafe');
  const unknown = by('unknown');
  if (safe.length) parts.push(`safe under ${meshList(safe)}`);
  if (unsafe.length) parts.push(`unsafe under ${meshList(unsafe)}`);
  if (unknown.length) parts.push(`unknown under ${meshList(unknown)}`);
  if (!parts.length) {
    return '';
  }
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** Operation rows, verdicts and snippets shared by components with the same inputs. */
interface Core {
  apiRefs: string[];
  /** Per API ref, in order: its analysis, or undefined when not in the catalog. */
  found: Array<ApiAnalysis | undefined>;
  missing: boolean;
  noRetryEntries: string[];
  operations: RetryOperation[];
  perMesh: Partial<Record<MeshOption, MeshRetryVerdict>>;
  protect: RouteOperation[];
  retryable: RouteOperation[];
  unmatched: string[];
  badEntries: string[];
  invalidRefs: string[];
  readable: number;
  unread: number;
  /** Problems of the found APIs that are invalid or unreadable, in order. */
  verdicts: string;
  /** Messages of the read APIs some parts of whose definition were left out. */
  partial: string[];
  fixYaml?: string;
  template?: SnippetTemplate | null;
}

function buildCore(
  apiRefs: string[],
  analyses: ReadonlyMap<string, ApiAnalysis>,
  noRetryRoutes: readonly string[],
  mesh: MeshOption,
): Core {
  const found = apiRefs.map(ref => analyses.get(ref));

  // no-retry-routes: which entries are usable and which match an operation.
  const noRetry = new Map<string, { entry: string; matched: boolean }>();
  const badEntries: string[] = [];
  for (const entry of noRetryRoutes) {
    const key = operationKey(entry);
    if (key) {
      noRetry.set(key, { entry: entry.trim(), matched: false });
    } else if (entry.trim()) {
      badEntries.push(entry.trim());
    }
  }

  interface Row {
    api: string;
    basePath?: string;
    op: AnalyzedOperation;
    listed: boolean;
  }
  const rows: Row[] = [];
  let readable = 0;
  let unread = 0;
  const invalidRefs: string[] = [];
  const partial: string[] = [];
  for (const analysis of found) {
    if (analysis === undefined || analysis.status === 'unknown') {
      unread++;
      continue;
    }
    if (analysis.status === 'invalid') {
      invalidRefs.push(analysis.apiRef);
      continue;
    }
    if (analysis.status !== 'ok') {
      continue;
    }
    readable++;
    if (analysis.warningCount && analysis.message) {
      partial.push(analysis.message);
    }
    for (const op of analysis.operations) {
      const key = operationKey(op.operation);
      const listed = key !== undefined && noRetry.has(key);
      if (listed) {
        noRetry.get(key!)!.matched = true;
      }
      rows.push({
        api: analysis.apiRef,
        basePath: analysis.basePath,
        op,
        listed,
      });
    }
  }
  const total = found.length;

  const operations: RetryOperation[] = rows.map(row => {
    const judged = judgeOperation(mesh, row.op, row.listed);
    return {
      api: row.api,
      operation: row.op.operation,
      idempotent: row.op.idempotent,
      retrySafe: judged.safe,
      reason: `${row.op.reason} ${judged.reason}`,
      ...(row.op.streaming ? { streaming: true } : {}),
      ...(row.listed ? { listed: true } : {}),
    };
  });

  const perMesh: Partial<Record<MeshOption, MeshRetryVerdict>> = {};
  for (const option of MESH_OPTIONS) {
    const retries = MESH_RETRY_BEHAVIOUR[option].retriesByDefault;
    const judged = rows.map(
      row => judgeOperation(option, row.op, row.listed).safe,
    );
    if (!retries) {
      perMesh[option] = total === 0 && option !== 'none' ? 'unknown' : 'safe';
    } else if (judged.includes(false)) {
      perMesh[option] = 'unsafe';
    } else if (total === 0 || readable < total || judged.includes('unknown')) {
      perMesh[option] = 'unknown';
    } else {
      perMesh[option] = 'safe';
    }
  }

  // Snippets: every operation that must not be retried beyond pre-request failures.
  const protect: RouteOperation[] = [];
  const retryable: RouteOperation[] = [];
  for (const row of rows) {
    const target = { operation: row.op.operation, basePath: row.basePath };
    if (row.op.idempotent !== true || row.listed) {
      protect.push(target);
    } else {
      retryable.push(target);
    }
  }

  return {
    apiRefs,
    found,
    missing: found.includes(undefined),
    noRetryEntries: [...noRetry.values()].map(v => v.entry),
    operations,
    perMesh,
    protect,
    retryable,
    unmatched: [...noRetry.values()].filter(v => !v.matched).map(v => v.entry),
    badEntries,
    invalidRefs,
    readable,
    unread,
    verdicts: perMeshSentence(perMesh),
    partial,
  };
}

/**
 * The snippets of one set of operations with the host left out: a
 * generated document split where the host goes. Only hosts that YAML
 * writes as themselves (plain scalars) and that Kubernetes names keep as
 * they are go through it; any other host gets the snippets built directly.
 */
interface SnippetTemplate {
  snippets: Array<{ snippet: ConfigSnippet; parts: string[] }>;
}

const HOST_SENTINEL = 'zzmeshreadinesshostzz';
/** Longest suffix a snippet appends to the host for an object name. */
const LONGEST_NAME_SUFFIX = '-grpc-no-retry'.length;
const PLAIN_HOST = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const YAML_WORDS = new Set([
  'true',
  'false',
  'null',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
]);

function templatable(host: string): boolean {
  return (
    host.length + LONGEST_NAME_SUFFIX <= 63 &&
    PLAIN_HOST.test(host) &&
    !YAML_WORDS.has(host) &&
    !host.includes(HOST_SENTINEL)
  );
}

function snippetOrder(mesh: MeshOption): MeshOption[] {
  const order: MeshOption[] = ['istio-sidecar', 'istio-ambient', 'linkerd'];
  order.sort((a, b) => Number(b === mesh) - Number(a === mesh));
  return order;
}

function buildSnippets(
  mesh: MeshOption,
  host: string,
  protect: RouteOperation[],
  retryable: RouteOperation[],
): ConfigSnippet[] {
  const snippets: ConfigSnippet[] = [];
  for (const option of snippetOrder(mesh)) {
    snippets.push(
      option === 'linkerd'
        ? linkerdSnippet({ host, protect, retryable })
        : istioSnippet(option as 'istio-sidecar' | 'istio-ambient', {
            host,
            protect,
            retryable,
          }),
    );
  }
  return snippets;
}

function templateOf(core: Core, mesh: MeshOption): SnippetTemplate | null {
  if (core.template === undefined) {
    const data = JSON.stringify([core.protect, core.retryable]);
    core.template = data.includes(HOST_SENTINEL)
      ? null
      : {
          snippets: buildSnippets(
            mesh,
            HOST_SENTINEL,
            core.protect,
            core.retryable,
          ).map(snippet => ({
            snippet,
            parts: snippet.yaml.split(HOST_SENTINEL),
          })),
        };
  }
  return core.template;
}

function snippetsFor(core: Core, mesh: MeshOption, host: string) {
  if (typeof host === 'string' && templatable(host)) {
    const template = templateOf(core, mesh);
    if (template) {
      return template.snippets.map(({ snippet, parts }) => ({
        ...snippet,
        yaml: parts.join(host),
      }));
    }
  }
  return buildSnippets(mesh, host, core.protect, core.retryable);
}

/**
 * The `retry-safety` check: would the mesh retry, by default, an operation
 * the component serves that is not idempotent? Never throws.
 * @public
 */
export function evaluateRetrySafety(
  input: RetrySafetyInput,
): Omit<CheckResult, 'id'> {
  const { component, analyses, appRetries, mesh } = input;
  const componentRef = componentRefOf(component);
  const namespace = component?.metadata?.namespace ?? 'default';
  const behaviour =
    MESH_RETRY_BEHAVIOUR[mesh] ?? MESH_RETRY_BEHAVIOUR['istio-sidecar'];

  const apiRefs = [
    ...new Set(
      (input.providedApis ?? [])
        .filter(ref => typeof ref === 'string' && ref.trim())
        .map(ref => normaliseApiRef(ref, namespace)),
    ),
  ];
  const noRetryRoutes = input.noRetryRoutes ?? [];
  const core = buildCore(apiRefs, analyses, noRetryRoutes, mesh);
  const { operations, perMesh, readable: readableCount } = core;
  const missingMessage = (ref: string) =>
    `API ${ref} is in spec.providesApis of ${componentRef} but was not found in the catalog; register the API entity or fix the reference.`;

  const host =
    component?.metadata?.annotations?.['backstage.io/kubernetes-id'] ??
    component?.metadata?.name ??
    'service';
  const snippets: ConfigSnippet[] = core.protect.length
    ? snippetsFor(core, mesh, host)
    : [];

  // Notes that go with any status.
  const notes: string[] = [];
  const unmatched = core.unmatched;
  if (unmatched.length && readableCount) {
    notes.push(
      `mesh-readiness.io/no-retry-routes lists ${listSome(
        unmatched.map(e => `'${e}'`),
      )}, which match${
        unmatched.length === 1 ? 'es' : ''
      } no operation of the provided APIs (compare METHOD and the exact path template).`,
    );
  }
  const badEntries = core.badEntries;
  if (badEntries.length) {
    notes.push(
      `mesh-readiness.io/no-retry-routes entries ${listSome(
        badEntries.map(e => `'${e}'`),
      )} are neither \`METHOD /path\` nor \`package.Service/Method\`.`,
    );
  }
  // Definitions read in part: the operations read were checked, the rest is named.
  notes.push(...core.partial);
  const problems: string[] = [];
  if (core.invalidRefs.length || core.unread) {
    // Invalid definitions first, then unreadable or missing APIs.
    for (let i = 0; i < core.found.length; i++) {
      const a = core.found[i];
      if (a?.status === 'invalid') {
        problems.push(a.message ?? `API ${a.apiRef} could not be read.`);
      }
    }
    for (let i = 0; i < core.found.length; i++) {
      const a = core.found[i];
      if (a === undefined) {
        problems.push(missingMessage(core.apiRefs[i]));
      } else if (a.status === 'unknown') {
        problems.push(a.message ?? `API ${a.apiRef} could not be read.`);
      }
    }
  }
  const verdicts = core.verdicts;

  const result = (status: CheckStatus, message: string, extra = {}) => ({
    status,
    message: [message, ...notes, verdicts].filter(Boolean).join(' '),
    operations,
    perMesh,
    ...(snippets.length ? { snippets } : {}),
    ...extra,
  });

  if (mesh === 'none') {
    return result(
      'not-applicable',
      `No mesh is planned for ${componentRef} (mesh option none), so no mesh will retry its operations.`,
    );
  }
  if (apiRefs.length === 0) {
    return result(
      'unknown',
      `${componentRef} lists no spec.providesApis, so retry safety cannot be checked; add the API entities it serves, with their OpenAPI or proto definitions.`,
    );
  }

  const unsafe = operations.filter(o => o.retrySafe === false);
  if (unsafe.length) {
    const names = unsafe.map(o => `${o.operation} (${o.api})`);
    if (core.fixYaml === undefined) {
      const fixList = [...core.noRetryEntries, ...unsafe.map(o => o.operation)];
      core.fixYaml = noRetryRoutesAnnotation([...new Set(fixList)]);
    }
    return result(
      'fail',
      `${componentRef}: ${
        unsafe.length
      } operation(s) that are not idempotent would be retried by ${
        behaviour.label
      } by default, with no configuration: ${listSome(
        names,
      )}. Make them idempotent (Idempotency-Key header, x-idempotent, idempotency_level) or apply the snippet that stops ${
        behaviour.label
      } retrying them, then list them in mesh-readiness.io/no-retry-routes.${
        problems.length ? ` Also: ${problems.join(' ')}` : ''
      }`,
      { fixYaml: core.fixYaml },
    );
  }
  if (!behaviour.retriesByDefault && problems.length) {
    // Nothing is retried by default, so an unreadable definition puts no
    // operation at risk: say what to fix, without capping the service.
    return result(
      'warn',
      `${componentRef}: ${
        behaviour.label
      } retries nothing by default, so no operation is at risk, but not every provided API could be read: ${problems.join(
        ' ',
      )} Fix ${
        problems.length === 1 ? 'it' : 'them'
      } before configuring retries for this service, so that they can be checked.`,
    );
  }
  if (core.invalidRefs.length) {
    return result(
      'invalid',
      `${componentRef}: the definition of ${core.invalidRefs.join(
        ', ',
      )} is invalid. ${problems.join(' ')}`,
    );
  }
  if (readableCount === 0) {
    return result(
      'unknown',
      `${componentRef}: none of its APIs could be analysed. ${problems.join(
        ' ',
      )}`,
    );
  }
  const unknownOps = operations.filter(o => o.retrySafe === 'unknown');
  if (behaviour.retriesByDefault && (core.unread || unknownOps.length)) {
    const parts = [...problems];
    if (unknownOps.length) {
      parts.push(
        `Idempotency unknown for ${listSome(
          unknownOps.map(o => `${o.operation} (${o.api})`),
        )}.`,
      );
    }
    return result(
      'unknown',
      `${componentRef}: ${
        behaviour.label
      } retries by default and not every operation could be classified. ${parts.join(
        ' ',
      )}`,
    );
  }

  const counted = `${operations.length} operation(s) in ${readableCount} API(s)`;
  if (behaviour.retriesByDefault && appRetries === 'all') {
    return result(
      'warn',
      `${componentRef}: ${counted} are safe to retry, but mesh-readiness.io/retries is 'all': the app retries every call itself, non-idempotent ones included, and ${behaviour.label} would add up to 2 retries to each attempt. Retry only idempotent calls in the app ('idempotent-only') or turn app retries off.`,
    );
  }
  const retriesNote =
    appRetries === undefined && behaviour.retriesByDefault
      ? ' mesh-readiness.io/retries is not set: say what the app retries today (none, idempotent-only, all) to check for retry amplification.'
      : '';
  return result(
    'pass',
    behaviour.retriesByDefault
      ? `${componentRef}: ${counted} are safe under ${behaviour.label}'s default retries.${retriesNote}`
      : `${componentRef}: ${
          behaviour.label
        } does not retry by default, so its ${counted} are not at risk.${
          problems.length ? ` ${problems.join(' ')}` : ''
        }`,
  );
}
