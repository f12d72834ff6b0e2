import type SwaggerParserType from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import { AnalyzedOperation, ApiAnalysis } from './types';
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

/** OpenAPI versions the installed swagger-parser accepts; newer 3.x are read as 3.1. */
const DEREFERENCE_AS_VERSION = '3.1.2';

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
  /** Set when the parameter is a `$ref` that points outside the definition. */
  unresolvedRef?: string;
  level: 'path' | 'operation';
}

function viewParameters(
  list: unknown,
  level: ParameterView['level'],
): ParameterView[] {
  if (!Array.isArray(list)) {
    return [];
  }
  const views: ParameterView[] = [];
  list.forEach((parameter, index) => {
    if (!isObject(parameter)) {
      return;
    }
    if (typeof parameter.$ref === 'string') {
      views.push({
        key: `$ref:${parameter.$ref}:${level}:${index}`,
        isIdempotencyKey: false,
        unresolvedRef: parameter.$ref,
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
    const external = parameters.find(p => p.unresolvedRef);
    if (external) {
      return {
        idempotent: 'unknown',
        reason: `RFC 9110 §9.2.2: ${method} is not idempotent unless it takes an Idempotency-Key header, and parameter $ref '${external.unresolvedRef}' points outside the definition, so it was not followed. Inline that parameter or add \`x-idempotent: true\`.`,
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

async function dereference(doc: JsonObject): Promise<JsonObject> {
  const SwaggerParser = await loadSwaggerParser();
  const options = {
    // Only references inside the definition: never the network or the disk.
    resolve: { external: false, file: false, http: false },
    // Circular schemas stay as $ref; operations and parameters are never circular.
    dereference: { circular: 'ignore' as const },
  };
  try {
    return (await SwaggerParser.dereference(doc as any, options as any)) as any;
  } catch (error) {
    const version = typeof doc.openapi === 'string' ? doc.openapi : undefined;
    if (
      version &&
      version.startsWith('3.') &&
      errorText(error).includes('Unsupported OpenAPI version')
    ) {
      // A newer 3.x (e.g. 3.2): $refs work the same way, so read it as 3.1.
      const copy = { ...doc, openapi: DEREFERENCE_AS_VERSION };
      return (await SwaggerParser.dereference(
        copy as any,
        options as any,
      )) as any;
    }
    throw error;
  }
}

/**
 * Reads the operations of a Swagger 2 or OpenAPI 3 document (already parsed
 * from YAML or JSON) and classifies each. Never throws.
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

  let doc: JsonObject;
  try {
    doc = await dereference(parsed);
  } catch (error) {
    return {
      status: 'invalid',
      message: `API ${apiRef}: the OpenAPI definition could not be read: ${errorText(
        error,
      )}. Fix spec.definition.`,
      operations: [],
    };
  }

  const operations: AnalyzedOperation[] = [];
  const skipped: string[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (path.startsWith('x-')) {
      continue;
    }
    if (!isObject(item)) {
      skipped.push(path);
      continue;
    }
    if (typeof item.$ref === 'string') {
      skipped.push(`${path} ($ref '${item.$ref}' not followed)`);
      continue;
    }
    const pathParameters = viewParameters(item.parameters, 'path');
    const entries: Array<[string, unknown]> = PATH_ITEM_METHODS.map(m => [
      m,
      item[m],
    ]);
    if (isObject(item.additionalOperations)) {
      entries.push(...Object.entries(item.additionalOperations));
    }
    for (const [key, operation] of entries) {
      if (!isObject(operation)) {
        continue;
      }
      const method = key.toUpperCase();
      const parameters = mergeParameters(
        pathParameters,
        viewParameters(operation.parameters, 'operation'),
      );
      operations.push({
        operation: `${method} ${path}`,
        ...classifyHttpOperation(method, operation, parameters),
      });
    }
  }

  return {
    status: 'ok',
    message: skipped.length
      ? `API ${apiRef}: these path items could not be read and were skipped: ${skipped.join(
          ', ',
        )}.`
      : undefined,
    operations,
    basePath: basePathOf(doc, isSwagger2),
  };
}
