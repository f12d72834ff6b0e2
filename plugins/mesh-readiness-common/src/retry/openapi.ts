import type SwaggerParserType from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import {
  AnalyzedOperation,
  ApiAnalysis,
  DefinitionWarning,
  MAX_DEFINITION_WARNINGS,
} from './types';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_UNSAFE_METHODS,
  KEYABLE_METHODS,
  SAFE_METHODS,
} from './rules';

type JsonObject = Record<string, unknown>;
type OpenApiResult = Omit<ApiAnalysis, 'apiRef' | 'type'>;

/** Path item keys that hold operations, in the order the UI lists them. */
const PATH_ITEM_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
  'query',
] as const;

/** OpenAPI versions the installed swagger-parser accepts; others are read as 3.0 or 3.1. */
const SUPPORTED_VERSIONS = new Set([
  '3.0.0',
  '3.0.1',
  '3.0.2',
  '3.0.3',
  '3.0.4',
  '3.1.0',
  '3.1.1',
  '3.1.2',
]);
const DEREFERENCE_AS_VERSION = '3.1.2';
const DEREFERENCE_AS_3_0 = '3.0.4';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Parser messages can be long (YAML prints a code frame); keep the first lines.
  return text.split('\n').slice(0, 4).join(' ').trim();
}

/** Reads a YAML or JSON document into a plain object, or says why it cannot. */
export function readDocument(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('{')) {
      return { ok: true, value: JSON.parse(text) };
    }
    return { ok: true, value: parseYaml(text, { prettyErrors: true }) };
  } catch (error) {
    const syntax = trimmed.startsWith('{') ? 'JSON' : 'YAML';
    return { ok: false, error: `${syntax} syntax error: ${errorText(error)}` };
  }
}

function pathOfServerUrl(url: string): string | undefined {
  if (url.includes('{')) {
    return undefined; // server variables: the path is not known until deployment
  }
  try {
    return new URL(url, 'http://base.invalid').pathname;
  } catch {
    return undefined;
  }
}

function normaliseBasePath(path: string | undefined): string | undefined {
  if (!path) {
    return undefined;
  }
  let result = path.startsWith('/') ? path : `/${path}`;
  while (result.endsWith('/')) {
    result = result.slice(0, -1);
  }
  return result === '' ? undefined : result;
}

function basePathOf(doc: JsonObject, isSwagger2: boolean): string | undefined {
  if (isSwagger2) {
    return typeof doc.basePath === 'string'
      ? normaliseBasePath(doc.basePath)
      : undefined;
  }
  if (!Array.isArray(doc.servers) || doc.servers.length === 0) {
    return undefined;
  }
  const paths = new Set<string | undefined>();
  for (const server of doc.servers) {
    const url = isObject(server) ? server.url : undefined;
    paths.add(
      typeof url === 'string'
        ? normaliseBasePath(pathOfServerUrl(url))
        : undefined,
    );
  }
  return paths.size === 1 ? [...paths][0] : undefined;
}

interface ParameterView {
  /** Lower-cased for headers, which are case-insensitive. */
  key: string;
  isIdempotencyKey: boolean;
  /**
   * Set when the parameter could not be read: a `$ref` that was not
   * followed (it points outside the definition, or to nothing), or an entry
   * that is not a mapping. Says what and where (JSON pointer).
   */
  unresolved?: string;
  level: 'path' | 'operation';
}

function viewParameters(
  list: unknown,
  level: ParameterView['level'],
  pointer: string,
  follow: Follow,
): ParameterView[] {
  const entries = follow(list, pointer);
  if (!Array.isArray(entries)) {
    return list === undefined
      ? []
      : [
          {
            key: `broken:${level}`,
            isIdempotencyKey: false,
            unresolved: `parameters at ${pointer} could not be read as a list`,
            level,
          },
        ];
  }
  const views: ParameterView[] = [];
  entries.forEach((entry, index) => {
    const at = `${pointer}/${index}`;
    const parameter = follow(entry, at);
    if (!isObject(parameter)) {
      const ref =
        isObject(entry) && typeof entry.$ref === 'string'
          ? `parameter $ref '${entry.$ref}' at ${at} was not followed`
          : `the parameter at ${at} is not a mapping`;
      views.push({
        key: `broken:${at}`,
        isIdempotencyKey: false,
        unresolved: ref,
        level,
      });
      return;
    }
    const location = String(parameter.in ?? '').toLowerCase();
    const rawName = String(parameter.name ?? '');
    const name = location === 'header' ? rawName.toLowerCase() : rawName;
    views.push({
      key: `${location}:${name}`,
      isIdempotencyKey:
        location === 'header' && name === IDEMPOTENCY_KEY_HEADER,
      level,
    });
  });
  return views;
}

/** Operation-level parameters override path-level ones with the same name and location. */
function mergeParameters(
  pathLevel: ParameterView[],
  operationLevel: ParameterView[],
): ParameterView[] {
  const merged = new Map<string, ParameterView>();
  for (const parameter of [...pathLevel, ...operationLevel]) {
    merged.set(parameter.key, parameter);
  }
  return [...merged.values()];
}

function readFlag(value: unknown): boolean | undefined {
  if (value === true || value === 'true') {
    return true;
  }
  if (value === false || value === 'false') {
    return false;
  }
  return undefined;
}

/** Classifies one HTTP operation by the rules of ANNOTATIONS.md. */
export function classifyHttpOperation(
  method: string,
  operation: JsonObject,
  parameters: ParameterView[],
): Pick<AnalyzedOperation, 'idempotent' | 'reason'> {
  const declared = readFlag(operation['x-idempotent']);
  if (declared === true) {
    return {
      idempotent: true,
      reason: `Declared idempotent with \`x-idempotent: true\` on the operation (contract v1 rule).`,
    };
  }
  if (declared === false) {
    return {
      idempotent: false,
      reason: `Declared not idempotent with \`x-idempotent: false\` on the operation, whatever the method.`,
    };
  }
  if (SAFE_METHODS.has(method)) {
    return {
      idempotent: true,
      reason: `RFC 9110 §9.2.2: ${method} is a safe method, hence idempotent.`,
    };
  }
  if (IDEMPOTENT_UNSAFE_METHODS.has(method)) {
    return {
      idempotent: true,
      reason: `RFC 9110 §9.2.2: ${method} is idempotent.`,
    };
  }
  if (method === 'QUERY') {
    return {
      idempotent: true,
      reason:
        'QUERY is defined as safe and idempotent by the IETF HTTP QUERY method draft (OpenAPI 3.2 `query`).',
    };
  }
  if (KEYABLE_METHODS.has(method)) {
    const key = parameters.find(p => p.isIdempotencyKey);
    if (key) {
      const where =
        key.level === 'path' ? 'declared on the path item' : 'on the operation';
      return {
        idempotent: true,
        reason: `${method} is not idempotent by RFC 9110 §9.2.2, but it takes an Idempotency-Key header parameter (${where}), so a retried request is recognised as a repeat.`,
      };
    }
    const unresolved = parameters.find(p => p.unresolved);
    if (unresolved) {
      return {
        idempotent: 'unknown',
        reason: `RFC 9110 §9.2.2: ${method} is not idempotent unless it takes an Idempotency-Key header, and ${unresolved.unresolved}, so it may be one. Inline that parameter or add \`x-idempotent: true\` or \`false\` to the operation.`,
      };
    }
    return {
      idempotent: false,
      reason: `RFC 9110 §9.2.2: ${method} is not idempotent, and the operation has neither an Idempotency-Key header parameter nor \`x-idempotent: true\`.`,
    };
  }
  return {
    idempotent: 'unknown',
    reason: `${method} is not one of the methods RFC 9110 §9.2.2 classifies; add \`x-idempotent: true\` or \`false\` to the operation.`,
  };
}

/**
 * swagger-parser, loaded when the first OpenAPI definition is read rather
 * than with this module: scoring a catalog without one never needs it.
 * `require` where this runs as CommonJS (Node.js, Jest, the CLI's bundle),
 * `import()` in an ES module build.
 */
async function loadSwaggerParser(): Promise<typeof SwaggerParserType> {
  if (typeof require === 'function') {
    return require('@apidevtools/swagger-parser');
  }
  return (await import('@apidevtools/swagger-parser')).default;
}

/** RFC 6901: a JSON pointer from path tokens (`~` as `~0`, `/` as `~1`). */
export function jsonPointer(tokens: ReadonlyArray<string | number>): string {
  return tokens
    .map(t => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** Collects the problems of one definition, once per JSON pointer. */
class Warnings {
  private readonly byPointer = new Map<string, DefinitionWarning>();

  add(pointer: string, message: string) {
    if (!this.byPointer.has(pointer)) {
      this.byPointer.set(pointer, { pointer, message });
    }
  }

  get count(): number {
    return this.byPointer.size;
  }

  /**
   * At most MAX_DEFINITION_WARNINGS: the operations' own problems first
   * (under /paths), then the rest, each in the order found.
   */
  list(): DefinitionWarning[] {
    const all = [...this.byPointer.values()];
    const inPaths = (w: DefinitionWarning) => w.pointer.startsWith('/paths/');
    return [...all.filter(inPaths), ...all.filter(w => !inPaths(w))].slice(
      0,
      MAX_DEFINITION_WARNINGS,
    );
  }
}

/**
 * Fixes, on a shallow copy, what swagger-parser rejects before reading
 * anything though it does not change an operation: a version written as a
 * YAML number (`swagger: 2.0`, `version: 1.0`) and an OpenAPI 3.x newer
 * than it knows (read as 3.1: \$refs work the same way).
 */
function forParser(doc: JsonObject, warnings: Warnings): JsonObject {
  const copy: JsonObject = { ...doc };
  if (typeof doc.swagger === 'number') {
    copy.swagger = doc.swagger === 2 ? '2.0' : String(doc.swagger);
    warnings.add(
      '/swagger',
      `swagger is the number ${doc.swagger}; write it as a string, "2.0"`,
    );
  }
  if (doc.swagger === undefined && doc.openapi !== undefined) {
    const version = String(doc.openapi);
    if (typeof doc.openapi !== 'string') {
      warnings.add(
        '/openapi',
        `openapi is the number ${version}; write it as a string, e.g. "3.0.3"`,
      );
    }
    if (!SUPPORTED_VERSIONS.has(version) || typeof doc.openapi !== 'string') {
      copy.openapi = version.startsWith('3.0')
        ? DEREFERENCE_AS_3_0
        : DEREFERENCE_AS_VERSION;
    }
  }
  if (isObject(doc.info) && typeof doc.info.version === 'number') {
    copy.info = { ...doc.info, version: String(doc.info.version) };
    warnings.add(
      '/info/version',
      `info.version is the number ${doc.info.version}; write it as a string`,
    );
  }
  return copy;
}

/** What the analysis needs of the document's `$ref`s. */
interface RefResolver {
  /** The value a `$ref` points to, or undefined when it cannot be followed. */
  get(ref: string): unknown;
  /** Why a `$ref` cannot be followed, or undefined when it can. */
  problem(ref: string): string | undefined;
}

/** Follows a value that may be a `$ref` (or a chain of them); undefined when one is broken. */
type Follow = (value: unknown, pointer: string) => unknown;

const MAX_REF_CHAIN = 16;

/**
 * The document's `$ref`s, through swagger-parser's resolver: it parses
 * and indexes the document, and each reference is looked up only when the
 * analysis needs it. Nothing is dereferenced as a whole: the analysis needs
 * path items, operations and parameters, never schemas, and dereferencing
 * a document whose schemas reference each other much (as Stripe's do)
 * takes time exponential in their depth.
 */
async function resolveRefs(
  doc: JsonObject,
  warnings: Warnings,
): Promise<RefResolver> {
  const SwaggerParser = await loadSwaggerParser();
  // resolve() gives swagger-parser's $Refs: get() follows one JSON pointer
  // (and the $refs along it) and throws on one that points to nothing.
  const resolve = SwaggerParser.resolve as unknown as (
    api: unknown,
    options: unknown,
  ) => Promise<{ get(ref: string): unknown }>;
  const $refs = await resolve(forParser(doc, warnings), {
    // Only references inside the definition: never the network or the disk.
    resolve: { external: false, file: false, http: false },
  });
  const lookup = (
    ref: string,
  ): { value: unknown; problem?: undefined } | { problem: string } => {
    if (!ref.startsWith('#')) {
      return {
        problem: `$ref '${ref}' points outside the definition, and other files and URLs are never read; inline it`,
      };
    }
    try {
      return { value: $refs.get(ref) };
    } catch {
      return {
        problem: `$ref '${ref}' points to nothing in the definition; add the target or remove the $ref`,
      };
    }
  };
  return {
    problem: ref => lookup(ref).problem,
    get: ref => {
      const found = lookup(ref);
      return found.problem === undefined ? found.value : undefined;
    },
  };
}

function follower(refs: RefResolver, warnings: Warnings): Follow {
  return (value, pointer) => {
    let current = value;
    for (let i = 0; i < MAX_REF_CHAIN; i++) {
      if (!isObject(current) || typeof current.$ref !== 'string') {
        return current;
      }
      const ref = current.$ref;
      const problem = refs.problem(ref);
      if (problem) {
        warnings.add(pointer, problem);
        return undefined;
      }
      current = refs.get(ref);
    }
    warnings.add(
      pointer,
      `$ref chain longer than ${MAX_REF_CHAIN} (or a loop of $refs)`,
    );
    return undefined;
  };
}

/**
 * Every `$ref` of the document, checked without dereferencing anything: one
 * that points outside the definition (another file, a URL) is never
 * followed (no disk, no network), one that points to nothing is broken; each
 * becomes a warning at its JSON pointer. Shared nodes (YAML aliases) are
 * visited once, so the walk is linear in the document's size.
 */
function scanRefs(doc: JsonObject, refs: RefResolver, warnings: Warnings) {
  interface Visit {
    node: unknown;
    key?: string | number;
    parent?: Visit;
  }
  const tokensOf = (visit: Visit) => {
    const tokens: Array<string | number> = [];
    for (let v: Visit | undefined = visit; v?.parent; v = v.parent) {
      tokens.push(v.key!);
    }
    return tokens.reverse();
  };
  const seen = new Set<object>();
  const stack: Visit[] = [{ node: doc }];
  while (stack.length) {
    const visit = stack.pop()!;
    const node = visit.node;
    if (typeof node !== 'object' || node === null || seen.has(node)) {
      continue;
    }
    seen.add(node);
    if (Array.isArray(node)) {
      for (let key = node.length - 1; key >= 0; key--) {
        stack.push({ node: node[key], key, parent: visit });
      }
      continue;
    }
    const ref = (node as JsonObject).$ref;
    if (typeof ref === 'string') {
      const problem = refs.problem(ref);
      if (problem) {
        warnings.add(jsonPointer(tokensOf(visit)), problem);
      }
    }
    // Pushed last to first, so that they are visited in document order.
    const children = Object.entries(node);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i];
      if (typeof child === 'object' && child !== null) {
        stack.push({ node: child, key, parent: visit });
      }
    }
  }
}

const MAX_POINTERS_IN_MESSAGE = 3;

function warningSummary(warnings: Warnings): string {
  const listed = warnings
    .list()
    .slice(0, MAX_POINTERS_IN_MESSAGE)
    .map(w => `${w.pointer} (${w.message})`);
  const rest = warnings.count - listed.length;
  return `${listed.join('; ')}${rest > 0 ? `; and ${rest} more` : ''}`;
}

/**
 * Reads the operations of a Swagger 2 or OpenAPI 3 document (already parsed
 * from YAML or JSON) and classifies each. Every operation that can be read
 * is analysed; the parts that cannot (a dangling or external `$ref`, a path
 * item or operation that is not a mapping) become warnings naming their
 * JSON pointer. `invalid` only when no operation could be read. Never throws.
 */
export async function analyzeOpenApiDocument(
  parsed: unknown,
  apiRef: string,
): Promise<OpenApiResult> {
  if (!isObject(parsed)) {
    return {
      status: 'invalid',
      message: `API ${apiRef}: spec.definition is not an OpenAPI document (it parses to ${
        Array.isArray(parsed) ? 'a list' : typeof parsed
      }, not a mapping). Put the OpenAPI 3 or Swagger 2 document in spec.definition.`,
      operations: [],
    };
  }
  const isSwagger2 = parsed.swagger !== undefined;
  const isOpenApi3 = parsed.openapi !== undefined;
  if (!isSwagger2 && !isOpenApi3) {
    return {
      status: 'invalid',
      message: `API ${apiRef}: spec.definition has neither a \`swagger: "2.0"\` nor an \`openapi: "3.x"\` field, so it is not an OpenAPI document.`,
      operations: [],
    };
  }
  if (parsed.paths === undefined || parsed.paths === null) {
    if (isSwagger2) {
      return {
        status: 'invalid',
        message: `API ${apiRef}: the Swagger 2 definition has no \`paths\`, which Swagger 2 requires.`,
        operations: [],
      };
    }
    return {
      status: 'ok',
      message: `API ${apiRef}: the OpenAPI definition has no \`paths\`, so it exposes no operations.`,
      operations: [],
    };
  }
  if (!isObject(parsed.paths)) {
    return {
      status: 'invalid',
      message: `API ${apiRef}: \`paths\` in spec.definition must be a mapping of path templates to path items.`,
      operations: [],
    };
  }

  const warnings = new Warnings();
  const doc = parsed;
  let refs: RefResolver;
  try {
    refs = await resolveRefs(doc, warnings);
  } catch (error) {
    return {
      status: 'invalid',
      message: `API ${apiRef}: the OpenAPI definition could not be read: ${errorText(
        error,
      )}. Fix spec.definition.`,
      operations: [],
    };
  }

  const follow = follower(refs, warnings);
  const operations: AnalyzedOperation[] = [];
  let readable = 0;
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, written] of Object.entries(paths)) {
    if (path.startsWith('x-')) {
      continue;
    }
    const itemPointer = jsonPointer(['paths', path]);
    const item = follow(written, itemPointer);
    if (!isObject(item)) {
      warnings.add(
        itemPointer,
        'the path item is not a mapping, so its operations were not read',
      );
      continue;
    }
    const pathParameters = viewParameters(
      item.parameters,
      'path',
      `${itemPointer}/parameters`,
      follow,
    );
    const entries: Array<[string, unknown, string]> = PATH_ITEM_METHODS.map(
      m => [m, item[m], `${itemPointer}/${m}`],
    );
    if (isObject(item.additionalOperations)) {
      for (const [m, op] of Object.entries(item.additionalOperations)) {
        entries.push([
          m,
          op,
          `${itemPointer}/additionalOperations${jsonPointer([m])}`,
        ]);
      }
    }
    for (const [key, writtenOperation, pointer] of entries) {
      if (writtenOperation === undefined) {
        continue;
      }
      const method = key.toUpperCase();
      const operation = follow(writtenOperation, pointer);
      if (!isObject(operation)) {
        warnings.add(pointer, 'the operation is not a mapping');
        operations.push({
          operation: `${method} ${path}`,
          idempotent: 'unknown',
          reason: `The operation at ${pointer} could not be read (a $ref to nothing, or not a mapping), so whether it is idempotent is unknown. Fix the definition there.`,
        });
        continue;
      }
      readable++;
      const parameters = mergeParameters(
        pathParameters,
        viewParameters(
          operation.parameters,
          'operation',
          `${pointer}/parameters`,
          follow,
        ),
      );
      operations.push({
        operation: `${method} ${path}`,
        ...classifyHttpOperation(method, operation, parameters),
      });
    }
  }

  // Then every other broken $ref (error responses, schemas…), which the
  // classification does not read.
  scanRefs(doc, refs, warnings);
  const problems =
    warnings.count > 0
      ? { warnings: warnings.list(), warningCount: warnings.count }
      : {};
  if (readable === 0 && warnings.count > 0) {
    return {
      status: 'invalid',
      message: `API ${apiRef}: no operation of the OpenAPI definition could be read; ${
        warnings.count
      } part(s) could not: ${warningSummary(warnings)}. Fix spec.definition.`,
      operations: [],
      ...problems,
    };
  }
  return {
    status: 'ok',
    message: warnings.count
      ? `API ${apiRef}: ${readable} operation(s) read; ${
          warnings.count
        } part(s) of the definition could not be read and were left out: ${warningSummary(
          warnings,
        )}.`
      : undefined,
    operations,
    basePath: basePathOf(doc, isSwagger2),
    ...problems,
  };
}
