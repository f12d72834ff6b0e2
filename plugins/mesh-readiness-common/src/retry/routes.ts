/**
 * Operation names and the route matches a mesh needs for them. Operations
 * are `METHOD /path/{template}` (HTTP) or `package.Service/Method` (gRPC).
 */

export interface OperationName {
  kind: 'http' | 'grpc';
  /** HTTP only, upper-case. */
  method?: string;
  /** HTTP: the path template; gRPC: `/package.Service/Method`. */
  path: string;
  /** gRPC only. */
  service?: string;
  /** gRPC only. */
  rpc?: string;
}

/** Splits an operation or a `no-retry-routes` entry into its parts. */
export function parseOperationName(text: string): OperationName | undefined {
  const value = text.trim();
  if (!value) {
    return undefined;
  }
  const space = value.search(/\s/);
  if (space > 0) {
    const method = value.slice(0, space).toUpperCase();
    const path = value.slice(space).trim();
    return path ? { kind: 'http', method, path } : undefined;
  }
  const name = value.startsWith('/') ? value.slice(1) : value;
  const slash = name.lastIndexOf('/');
  if (slash <= 0 || slash === name.length - 1) {
    return undefined;
  }
  return {
    kind: 'grpc',
    path: `/${name}`,
    service: name.slice(0, slash),
    rpc: name.slice(slash + 1),
  };
}

/**
 * The key two names are compared on: the method is case-insensitive, the
 * path template and the gRPC names are compared exactly.
 */
export function operationKey(text: string): string | undefined {
  const name = parseOperationName(text);
  if (!name) {
    return undefined;
  }
  return name.kind === 'http' ? `${name.method} ${name.path}` : name.path;
}

const REGEX_SPECIAL = new Set([...'\\^$.|?*+()[]{}']);

/**
 * A path match for a path template: exact when the path has no `{param}`,
 * otherwise an RE2 expression where each `{param}` matches one segment.
 */
export function pathMatch(template: string): {
  type: 'exact' | 'regex';
  value: string;
} {
  if (!template.includes('{')) {
    return { type: 'exact', value: template };
  }
  let out = '';
  let inParam = false;
  for (const char of template) {
    if (inParam) {
      if (char === '}') {
        inParam = false;
        out += '[^/]+';
      }
      continue;
    }
    if (char === '{') {
      inParam = true;
      continue;
    }
    out += REGEX_SPECIAL.has(char) ? `\\${char}` : char;
  }
  return { type: 'regex', value: out };
}

/** Joins a base path (`/v1`) and a path template (`/payments`). */
export function joinPath(basePath: string | undefined, path: string): string {
  if (!basePath) {
    return path;
  }
  return `${basePath}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** A DNS-1123 label from any text, for Kubernetes object names. */
export function kubernetesName(text: string, suffix: string): string {
  const base = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = `${base || 'service'}-${suffix}`;
  return name.length <= 63 ? name : name.slice(0, 63).replace(/-+$/, '');
}
