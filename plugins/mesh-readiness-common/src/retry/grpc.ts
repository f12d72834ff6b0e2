import type { IParserResult, Method, NamespaceBase, Service } from 'protobufjs';
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

function classify(
  method: Method,
): Pick<AnalyzedOperation, 'idempotent' | 'reason'> {
  const raw = method.options?.idempotency_level;
  if (raw === undefined) {
    return {
      idempotent: false,
      reason:
        'No idempotency_level option, which means IDEMPOTENCY_UNKNOWN (descriptor.proto): the method may have side effects. Add `option idempotency_level = IDEMPOTENT;` if a repeat is harmless.',
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
        'idempotency_level = IDEMPOTENCY_UNKNOWN (descriptor.proto): the method may have side effects.',
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
 * Reads the rpcs of a .proto text and classifies each by its
 * idempotency_level. Imports are recorded, not loaded: the classification
 * needs only the service declarations, so importing well-known types
 * (google/protobuf/empty.proto, timestamp.proto, descriptor.proto…) or any
 * other file never fails. Never throws.
 */
export async function analyzeProto(
  text: string,
  apiRef: string,
): Promise<GrpcResult> {
  const protobuf = await loadProtobuf();
  let parsed: IParserResult;
  try {
    parsed = protobuf.parse(text, new protobuf.Root(), {
      keepCase: true,
      alternateCommentMode: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
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
        operation: `${serviceName}/${method.name}`,
        idempotent,
        reason: note ? `${reason} ${note}` : reason,
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
