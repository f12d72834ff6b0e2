import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { analyzeOpenApiDocument, readDocument } from './openapi';
import { analyzeProto } from './grpc';
import { AnalyzeApiOptions, ApiAnalysis } from './types';

/**
 * Default largest definition read: 16 MiB. Real public APIs are several MiB
 * (Stripe's OpenAPI document among them); an 8 MiB OpenAPI document is read
 * in about 0.1 s and 55 MiB as JSON, 1.4 s and 230 MiB as YAML, one
 * definition at a time (docs/benchmarks.md, "API definitions").
 * Configurable: app-config `meshReadiness.maxDefinitionBytes` in the
 * backend, the `maxDefinitionBytes` option of `scoreCatalog` and
 * `analyzeApis`.
 * @public
 */
export const DEFAULT_MAX_DEFINITION_BYTES = 16 * 1024 * 1024;

const OPENAPI_TYPES = new Set(['openapi', 'swagger']);
const GRPC_TYPES = new Set(['grpc', 'protobuf', 'proto']);

/** The entity ref as the catalog keys it: `kind:namespace/name`, lower-cased. */
export function apiRefOf(api: Entity): string {
  try {
    return stringifyEntityRef(api).toLocaleLowerCase('en-US');
  } catch {
    const namespace = api?.metadata?.namespace ?? 'default';
    const name = api?.metadata?.name ?? '<unnamed>';
    return `${api?.kind ?? 'api'}:${namespace}/${name}`.toLocaleLowerCase(
      'en-US',
    );
  }
}

function byteLength(text: string, limit: number): number {
  // UTF-8 never takes fewer bytes than UTF-16 code units: skip the encoding
  // when the string is obviously over the limit.
  if (text.length > limit) {
    return text.length;
  }
  return new TextEncoder().encode(text).length;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  }
  if (bytes >= 1024) {
    return `${(bytes / 1024).toFixed(1)} KiB`;
  }
  return `${bytes} bytes`;
}

/**
 * Reads an API entity's `spec.definition` and classifies each operation as
 * idempotent, not idempotent or unknown (contract v1: RFC 9110 methods,
 * Idempotency-Key header, `x-idempotent`, proto `idempotency_level`).
 * Never throws: problems come back as `invalid` or `unknown` with a message
 * that names the API and the fix.
 * @public
 */
export async function analyzeApiEntity(
  api: Entity,
  options?: AnalyzeApiOptions,
): Promise<ApiAnalysis> {
  const apiRef = apiRefOf(api);
  const spec = (api?.spec ?? {}) as Record<string, unknown>;
  const type = String(spec.type ?? '')
    .trim()
    .toLocaleLowerCase('en-US');
  const base = { apiRef, type };
  const limit = options?.maxDefinitionBytes ?? DEFAULT_MAX_DEFINITION_BYTES;

  try {
    if (!type) {
      return {
        ...base,
        status: 'unknown',
        message: `API ${apiRef} has no spec.type; set it to openapi or grpc so its operations can be checked for retry safety.`,
        operations: [],
      };
    }
    const isOpenApi = OPENAPI_TYPES.has(type);
    const isGrpc = GRPC_TYPES.has(type);
    if (!isOpenApi && !isGrpc) {
      return {
        ...base,
        status: 'unknown',
        message: `API ${apiRef} has spec.type '${type}', which the retry-safety check cannot read (it reads openapi and grpc). List its operations that must not be retried in the providing component's mesh-readiness.io/no-retry-routes annotation.`,
        operations: [],
      };
    }

    const definition = spec.definition;
    if (
      definition === undefined ||
      definition === null ||
      (typeof definition === 'string' && definition.trim() === '')
    ) {
      return {
        ...base,
        status: 'unknown',
        message: `API ${apiRef} has no spec.definition, so its operations cannot be checked for retry safety. Add the ${
          isGrpc ? '.proto text' : 'OpenAPI document'
        }, e.g. \`definition: { $text: ./${
          isGrpc ? 'service.proto' : 'openapi.yaml'
        } }\`.`,
        operations: [],
      };
    }

    if (typeof definition !== 'string') {
      if (isOpenApi && typeof definition === 'object') {
        // Not what the catalog schema asks for, but unambiguous: an inlined document.
        return {
          ...base,
          ...(await analyzeOpenApiDocument(definition, apiRef)),
        };
      }
      return {
        ...base,
        status: 'invalid',
        message: `API ${apiRef}: spec.definition must be a string (the ${
          isGrpc ? '.proto text' : 'OpenAPI document'
        }), not ${Array.isArray(definition) ? 'a list' : typeof definition}.`,
        operations: [],
      };
    }

    const size = byteLength(definition, limit);
    if (size > limit) {
      return {
        ...base,
        status: 'unknown',
        message: `API ${apiRef}: spec.definition is ${formatBytes(
          size,
        )}, over the ${formatBytes(
          limit,
        )} limit the retry-safety check reads, so it was not analysed. Raise the limit (app-config meshReadiness.maxDefinitionBytes in the backend; the maxDefinitionBytes setting of the CLI's --config file) or split the API into smaller API entities.`,
        operations: [],
      };
    }

    if (isGrpc) {
      return { ...base, ...(await analyzeProto(definition, apiRef)) };
    }
    const document = readDocument(definition);
    if (!document.ok) {
      return {
        ...base,
        status: 'invalid',
        message: `API ${apiRef}: spec.definition is not valid YAML or JSON (${document.error}). Fix the definition.`,
        operations: [],
      };
    }
    return {
      ...base,
      ...(await analyzeOpenApiDocument(document.value, apiRef)),
    };
  } catch (error) {
    // Defensive: the parsers are meant to report, not throw.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      status: 'invalid',
      message: `API ${apiRef}: spec.definition could not be analysed: ${reason}.`,
      operations: [],
    };
  }
}

/**
 * Analyses several API entities. The map is keyed by entity ref, lower-cased
 * as the catalog does (`api:default/payments-api`).
 * @public
 */
export async function analyzeApis(
  apis: Entity[],
  options?: AnalyzeApiOptions,
): Promise<Map<string, ApiAnalysis>> {
  const result = new Map<string, ApiAnalysis>();
  // One at a time: parsing is CPU-bound, so parallel promises gain nothing
  // and would hold every parsed document in memory at once.
  for (const api of apis) {
    const analysis = await analyzeApiEntity(api, options);
    result.set(analysis.apiRef, analysis);
  }
  return result;
}
