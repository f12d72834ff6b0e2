import type { IParserResult, Method, NamespaceBase, Service } from 'protobufjs';
import {
  IDEMPOTENT_UNSAFE_METHODS,
  KEYABLE_METHODS,
  SAFE_METHODS,
} from './rules';
import { AnalyzedOperation, ApiAnalysis } from './types';

type Protobuf = typeof import('protobufjs');

/**
 * protobufjs, loaded when the first proto definition is read rather than
 * with this module: scoring a catalog without one never needs it. `require`
 * where this runs as CommonJS (Node.js, Jest, the CLI's bundle), `import()`
 * in an ES module build.
 */
async function loadProtobuf(): Promise<Protobuf> {
  if (typeof require === 'function') {
    return require('protobufjs');
  }
  return (await import('protobufjs')).default;
}

type GrpcResult = Omit<ApiAnalysis, 'apiRef' | 'type'>;

/**
 * `MethodOptions.IdempotencyLevel` in google/protobuf/descriptor.proto:
 * IDEMPOTENCY_UNKNOWN = 0, NO_SIDE_EFFECTS = 1 ("implies idempotent"),
 * IDEMPOTENT = 2.
 */
const LEVELS: Record<
  string,
  'IDEMPOTENCY_UNKNOWN' | 'NO_SIDE_EFFECTS' | 'IDEMPOTENT'
> = {
  '0': 'IDEMPOTENCY_UNKNOWN',
  '1': 'NO_SIDE_EFFECTS',
  '2': 'IDEMPOTENT',
  IDEMPOTENCY_UNKNOWN: 'IDEMPOTENCY_UNKNOWN',
  NO_SIDE_EFFECTS: 'NO_SIDE_EFFECTS',
  IDEMPOTENT: 'IDEMPOTENT',
};

function streamingNote(method: Method): string | undefined {
  const client = Boolean(method.requestStream);
  const server = Boolean(method.responseStream);
  if (!client && !server) {
    return undefined;
  }
  let kind = 'server-streaming';
  if (client && server) {
    kind = 'bidirectional-streaming';
  } else if (client) {
    kind = 'client-streaming';
  }
  // Envoy (Istio) retries a request only while no response has been sent back
  // downstream and the request body still fits its retry buffer. A stream that
  // fails before the server answered (UNAVAILABLE, a refused stream, a 503) is
  // replayed from the start like a unary call, so the level still decides.
  return `It is a ${kind} rpc: a mesh proxy stops retrying once the response has started or the request stream outgrows its retry buffer, but a stream that fails before the server answers is replayed from the start, so its idempotency_level still decides.`;
}

/** The HTTP methods an `HttpRule` pattern field names (google/api/http.proto). */
const HTTP_RULE_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** One `google.api.http` binding of an rpc: its method and path template. */
export interface HttpBinding {
  method: string;
  path: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** The bindings of one `HttpRule` message: its pattern, then `additional_bindings`. */
function bindingsOfRule(rule: unknown, into: HttpBinding[], depth = 0) {
  if (!isRecord(rule)) {
    return;
  }
  for (const method of HTTP_RULE_METHODS) {
    for (const path of asList(rule[method])) {
      into.push({ method: method.toUpperCase(), path: String(path) });
    }
  }
  for (const custom of asList(rule.custom)) {
    if (isRecord(custom) && typeof custom.kind === 'string') {
      into.push({
        method: custom.kind.trim().toUpperCase(),
        path: String(custom.path ?? ''),
      });
    }
  }
  // http.proto: additional_bindings must not nest further; read one level
  // below anyway so that a nested one is still classified, never two.
  if (depth < 2) {
    for (const extra of asList(rule.additional_bindings)) {
      bindingsOfRule(extra, into, depth + 1);
    }
  }
}

const HTTP_OPTION = /^\(\.?google\.api\.http\)$/;
const HTTP_OPTION_FIELD = /^\(\.?google\.api\.http\)\.(.+)$/;

/**
 * The `google.api.http` bindings of an rpc, as protobufjs parsed them
 * (`parsedOptions`, which keeps nested option blocks and repeated
 * `additional_bindings`), whether written as one `{ … }` block or as
 * `option (google.api.http).get = "…";` lines.
 */
export function httpBindingsOf(method: Method): HttpBinding[] {
  const rule: Record<string, unknown> = {};
  const add = (key: string, value: unknown) => {
    rule[key] = key in rule ? [...asList(rule[key]), ...asList(value)] : value;
  };
  for (const entry of method.parsedOptions ?? []) {
    if (!isRecord(entry)) {
      continue;
    }
    for (const [key, value] of Object.entries(entry)) {
      const field = HTTP_OPTION_FIELD.exec(key);
      if (HTTP_OPTION.test(key) && isRecord(value)) {
        for (const [name, inner] of Object.entries(value)) {
          add(name, inner);
        }
      } else if (field) {
        add(field[1], value);
      }
    }
  }
  const bindings: HttpBinding[] = [];
  bindingsOfRule(rule, bindings);
  return bindings;
}

type Classified = Pick<AnalyzedOperation, 'idempotent' | 'reason'>;

/** RFC 9110 §9.2.2 on one binding's method. */
function httpMethodClass(method: string): 'safe' | 'idempotent' | 'not' | '?' {
  if (SAFE_METHODS.has(method)) {
    return 'safe';
  }
  if (IDEMPOTENT_UNSAFE_METHODS.has(method)) {
    return 'idempotent';
  }
  if (KEYABLE_METHODS.has(method)) {
    return 'not';
  }
  return '?';
}

const MAX_BINDINGS_NAMED = 4;

function namedBindings(bindings: HttpBinding[]): string {
  const named = bindings
    .slice(0, MAX_BINDINGS_NAMED)
    .map(b => `${b.method} ${b.path}`);
  if (bindings.length > MAX_BINDINGS_NAMED) {
    named.push(`${bindings.length - MAX_BINDINGS_NAMED} more`);
  }
  return named.join(', ');
}

/**
 * No idempotency_level: the rpc's `google.api.http` bindings decide, by
 * RFC 9110 §9.2.2 on their methods. With several bindings (the rule and its
 * additional_bindings serve the same rpc) the least idempotent one decides.
 */
function classifyByBindings(bindings: HttpBinding[]): Classified {
  const classes = bindings.map(b => httpMethodClass(b.method));
  const plural = bindings.length > 1;
  const cited = `its google.api.http binding${
    plural ? 's' : ''
  } (google/api/http.proto HttpRule) ${plural ? 'are' : 'is'} ${namedBindings(
    bindings,
  )}`;
  const noLevel = 'No idempotency_level option';
  const notIdempotent = bindings.filter((_, i) => classes[i] === 'not');
  if (notIdempotent.length) {
    const methods = [...new Set(notIdempotent.map(b => b.method))].join(
      ' and ',
    );
    return {
      idempotent: false,
      reason: `${noLevel}, and ${cited}: RFC 9110 §9.2.2 does not make ${methods} idempotent${
        plural ? ', and the least idempotent binding decides' : ''
      }. Add \`option idempotency_level = IDEMPOTENT;\` if a repeat is harmless.`,
    };
  }
  const unknownMethods = bindings.filter((_, i) => classes[i] === '?');
  if (unknownMethods.length) {
    return {
      idempotent: 'unknown',
      reason: `${noLevel}, and ${cited}: RFC 9110 §9.2.2 does not classify ${[
        ...new Set(unknownMethods.map(b => b.method)),
      ].join(
        ', ',
      )}. Add \`option idempotency_level\` (IDEMPOTENT or NO_SIDE_EFFECTS, or IDEMPOTENCY_UNKNOWN if a repeat is not harmless).`,
    };
  }
  const allSafe = classes.every(c => c === 'safe');
  return {
    idempotent: true,
    reason: allSafe
      ? `${noLevel}, but ${cited}: RFC 9110 §9.2.2 makes ${[
          ...new Set(bindings.map(b => b.method)),
        ].join(' and ')} safe, hence idempotent.`
      : `${noLevel}, but ${cited}: RFC 9110 §9.2.2 makes ${[
          ...new Set(bindings.map(b => b.method)),
        ].join(' and ')} idempotent.`,
  };
}

function classify(method: Method): Classified {
  const raw = method.options?.idempotency_level;
  if (raw === undefined) {
    const bindings = httpBindingsOf(method);
    if (bindings.length) {
      return classifyByBindings(bindings);
    }
    return {
      idempotent: false,
      reason:
        'No idempotency_level option, which means IDEMPOTENCY_UNKNOWN (descriptor.proto): the method may have side effects, and no google.api.http binding says otherwise. Add `option idempotency_level = IDEMPOTENT;` if a repeat is harmless.',
    };
  }
  const level = LEVELS[String(raw)];
  if (level === 'NO_SIDE_EFFECTS') {
    return {
      idempotent: true,
      reason:
        'idempotency_level = NO_SIDE_EFFECTS (descriptor.proto: implies idempotent).',
    };
  }
  if (level === 'IDEMPOTENT') {
    return {
      idempotent: true,
      reason: 'idempotency_level = IDEMPOTENT (descriptor.proto).',
    };
  }
  if (level === 'IDEMPOTENCY_UNKNOWN') {
    return {
      idempotent: false,
      reason:
        'idempotency_level = IDEMPOTENCY_UNKNOWN (descriptor.proto): the method may have side effects. The level, when present, decides over any google.api.http binding.',
    };
  }
  return {
    idempotent: false,
    reason: `idempotency_level = ${String(
      raw,
    )} is not a value of descriptor.proto's IdempotencyLevel (IDEMPOTENCY_UNKNOWN, NO_SIDE_EFFECTS, IDEMPOTENT); read as IDEMPOTENCY_UNKNOWN.`,
  };
}

function collectServices(
  protobuf: Protobuf,
  namespace: NamespaceBase,
  into: Service[],
): Service[] {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Service) {
      into.push(nested);
    } else if (nested instanceof protobuf.Namespace) {
      // Namespace covers packages and messages (Type extends Namespace).
      collectServices(protobuf, nested, into);
    }
  }
  return into;
}

/**
 * protobufjs keeps a namespace's members in a plain object, so a package,
 * service or message named `__proto__` sets that object's prototype instead
 * of adding a member, and everything declared under it disappears. The text
 * is parsed with such names swapped for an identifier that appears nowhere
 * in it, and the names are put back in what is reported.
 */
function protectReservedNames(text: string): {
  text: string;
  restore: (name: string) => string;
} {
  const reserved = /\b__proto__\b/g;
  if (!reserved.test(text)) {
    return { text, restore: name => name };
  }
  let stand = 'mesh_readiness_proto_name';
  while (text.includes(stand)) {
    stand = `${stand}_`;
  }
  return {
    text: text.replace(reserved, stand),
    restore: name => name.split(stand).join('__proto__'),
  };
}

/**
 * Reads the rpcs of a .proto text and classifies each by its
 * idempotency_level, or else by its google.api.http
 * bindings. Imports are recorded, not loaded: the classification
 * needs only the service declarations, so importing well-known types
 * (google/protobuf/empty.proto, timestamp.proto, descriptor.proto…) or any
 * other file never fails. Never throws.
 */
export async function analyzeProto(
  text: string,
  apiRef: string,
): Promise<GrpcResult> {
  const protobuf = await loadProtobuf();
  const source = protectReservedNames(text);
  let parsed: IParserResult;
  try {
    parsed = protobuf.parse(source.text, new protobuf.Root(), {
      keepCase: true,
      alternateCommentMode: true,
    });
  } catch (error) {
    const reason = source.restore(
      error instanceof Error ? error.message : String(error),
    );
    return {
      status: 'invalid',
      message: `API ${apiRef}: the proto definition could not be parsed: ${reason}. Fix spec.definition (it must be the text of a .proto file).`,
      operations: [],
    };
  }

  const services = collectServices(protobuf, parsed.root, []);
  const operations: AnalyzedOperation[] = [];
  for (const service of services) {
    const serviceName = service.fullName.startsWith('.')
      ? service.fullName.slice(1)
      : service.fullName;
    for (const method of service.methodsArray) {
      const { idempotent, reason } = classify(method);
      const note = streamingNote(method);
      operations.push({
        operation: source.restore(`${serviceName}/${method.name}`),
        idempotent,
        reason: source.restore(note ? `${reason} ${note}` : reason),
        ...(note ? { streaming: true } : {}),
      });
    }
  }
  return {
    status: 'ok',
    message: services.length
      ? undefined
      : `API ${apiRef}: the proto definition declares no service, so it exposes no rpcs.`,
    operations,
  };
}
