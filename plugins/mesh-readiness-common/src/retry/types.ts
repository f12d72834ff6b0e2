/** How one operation of an API entity was classified. @public */
export interface AnalyzedOperation {
  /** `METHOD /path` (method upper-case, path template as written) or `package.Service/Method`. */
  operation: string;
  idempotent: boolean | 'unknown';
  /** Why, naming the rule that decided it. */
  reason: string;
  /** gRPC only: true when the request, the response or both are streams. */
  streaming?: boolean;
}

/** One part of an API definition that could not be read. @public */
export interface DefinitionWarning {
  /** RFC 6901 JSON pointer of the part in the definition, e.g. `/paths/~1v1~1charges/post/responses/default`. */
  pointer: string;
  /** What is wrong there, e.g. `$ref '#/definitions/error' points to nothing in the definition`. */
  message: string;
}

/** Most warnings kept per API definition; the rest are counted. @public */
export const MAX_DEFINITION_WARNINGS = 50;

/** The retry-safety reading of one API entity. @public */
export interface ApiAnalysis {
  /** Entity ref of the API, lower-cased, e.g. `api:default/payments-api`. */
  apiRef: string;
  /** `spec.type` of the API entity, lower-cased (`openapi`, `grpc`, …). */
  type: string;
  /**
   * `ok`: the definition was read; `invalid`: the definition is malformed;
   * `unknown`: there is nothing we can read (missing, too large, unsupported type).
   */
  status: 'ok' | 'invalid' | 'unknown';
  /** Set when status is not `ok` (and for warnings on `ok`): names the API and the fix. */
  message?: string;
  /**
   * Parts of the definition that could not be read (a dangling or external
   * `$ref`, a path item or operation that is not a mapping…), each named by
   * its JSON pointer. The operations that could be read are still analysed;
   * the definition is `invalid` only when none could. At most
   * {@link MAX_DEFINITION_WARNINGS} are listed; `warningCount` has the total.
   */
  warnings?: DefinitionWarning[];
  /** How many parts could not be read, when `warnings` is set. */
  warningCount?: number;
  operations: AnalyzedOperation[];
  /**
   * HTTP only: the path prefix the operations are served under, when the
   * definition gives one unambiguously (Swagger `basePath`, or the path of
   * every OpenAPI 3 `servers` entry). Used for mesh route matches.
   */
  basePath?: string;
}

/** Options of {@link analyzeApiEntity}. @public */
export interface AnalyzeApiOptions {
  /**
   * Largest `spec.definition` read, in UTF-8 bytes. Default
   * {@link DEFAULT_MAX_DEFINITION_BYTES} (16 MiB). The backend reads it from
   * app-config `meshReadiness.maxDefinitionBytes`.
   */
  maxDefinitionBytes?: number;
}
