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
  /** Largest `spec.definition` read, in UTF-8 bytes. Default 1 MiB. */
  maxDefinitionBytes?: number;
}
