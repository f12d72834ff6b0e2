import { Document } from 'yaml';
import { ConfigSnippet } from '../types';
import { RETRY_SOURCES } from './rules';
import {
  joinPath,
  kubernetesName,
  parseOperationName,
  pathMatch,
} from './routes';

/** One operation to put in a mesh route. */
export interface RouteOperation {
  operation: string;
  /** HTTP only: the prefix the paths are served under. */
  basePath?: string;
}

export interface SnippetInput {
  /** The Kubernetes Service name of the workload. */
  host: string;
  /** Operations the mesh must not retry beyond pre-request failures. */
  protect: RouteOperation[];
  /** Idempotent operations, which may be retried (Linkerd opt-in route). */
  retryable: RouteOperation[];
}

/** Gateway API: at most 64 matches in one rule, 16 rules in one route. */
const MAX_MATCHES_PER_RULE = 64;

function toYaml(value: unknown, comment: string): string {
  // No anchors: every route repeats its destination, as people write it by hand.
  const doc = new Document(value, { aliasDuplicateObjects: false });
  doc.commentBefore = comment
    .split('\n')
    .map(line => (line ? ` ${line}` : ''))
    .join('\n');
  return doc.toString({ lineWidth: 0 });
}

function split<T>(items: T[]): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_MATCHES_PER_RULE) {
    chunks.push(items.slice(i, i + MAX_MATCHES_PER_RULE));
  }
  return chunks;
}

function istioMatch(op: RouteOperation): Record<string, unknown> | undefined {
  const name = parseOperationName(op.operation);
  if (!name) {
    return undefined;
  }
  if (name.kind === 'grpc') {
    return { uri: { exact: name.path } };
  }
  const path = pathMatch(joinPath(op.basePath, name.path));
  return {
    method: { exact: name.method },
    uri: { [path.type]: path.value },
  };
}

/** An Istio VirtualService that narrows retries on the unsafe operations. */
export function istioSnippet(
  mesh: 'istio-sidecar' | 'istio-ambient',
  input: SnippetInput,
): ConfigSnippet {
  const matches = input.protect
    .map(istioMatch)
    .filter((m): m is Record<string, unknown> => Boolean(m));
  const destination = [{ destination: { host: input.host } }];
  const virtualService = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: kubernetesName(input.host, 'retry-safety') },
    spec: {
      hosts: [input.host],
      http: [
        {
          name: 'not-idempotent',
          match: matches,
          route: destination,
          retries: { attempts: 2, retryOn: 'connect-failure,refused-stream' },
        },
        { name: 'default', route: destination },
      ],
    },
  };
  const ambient =
    mesh === 'istio-ambient'
      ? '\nIn ambient mode this applies through the waypoint of the service\n(label the Service with istio.io/use-waypoint).'
      : '';
  const comment = `Istio retries every request twice by default (connect-failure, refused-stream,
unavailable, cancelled, 503), whatever the method. The first route lists the
operations that are not idempotent: they are retried only when the request
never reached the service (connect-failure, refused-stream). Set attempts: 0
to never retry them. Every other request keeps the default retries.
hosts: the Kubernetes Service name; add a namespace if needed.${ambient}`;
  return {
    mesh,
    title: `Istio${
      mesh === 'istio-ambient' ? ' ambient' : ''
    } VirtualService: retry ${
      input.protect.length
    } non-idempotent operation(s) only on connect-failure and refused-stream`,
    yaml: toYaml(virtualService, comment),
    sources: [
      RETRY_SOURCES.istioVirtualService,
      RETRY_SOURCES.istioRetryDefaults,
      RETRY_SOURCES.envoyRetryOn,
    ],
  };
}

function httpRouteMatch(
  op: RouteOperation,
): Record<string, unknown> | undefined {
  const name = parseOperationName(op.operation);
  if (!name || name.kind !== 'http') {
    return undefined;
  }
  const path = pathMatch(joinPath(op.basePath, name.path));
  return {
    method: name.method,
    path: {
      type: path.type === 'exact' ? 'Exact' : 'RegularExpression',
      value: path.value,
    },
  };
}

function grpcRouteMatch(
  op: RouteOperation,
): Record<string, unknown> | undefined {
  const name = parseOperationName(op.operation);
  if (!name || name.kind !== 'grpc') {
    return undefined;
  }
  return { method: { type: 'Exact', service: name.service, method: name.rpc } };
}

function gatewayRoute(
  kind: 'HTTPRoute' | 'GRPCRoute',
  name: string,
  host: string,
  matches: Record<string, unknown>[],
  annotations?: Record<string, string>,
  catchAll?: boolean,
): Record<string, unknown> {
  const rules: Record<string, unknown>[] = split(matches).map(chunk => ({
    matches: chunk,
    backendRefs: [{ name: host }],
  }));
  if (catchAll) {
    // Every other request still reaches the Service, without retries.
    rules.push(
      kind === 'HTTPRoute'
        ? {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ name: host }],
          }
        : { backendRefs: [{ name: host }] },
    );
  }
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind,
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: {
      parentRefs: [{ name: host, kind: 'Service', group: 'core' }],
      rules,
    },
  };
}

/**
 * Linkerd: retries are opt-in. The unsafe operations get a route with no
 * retry annotation (which also overrides any on the Service); the
 * idempotent ones get an optional route that opts in.
 */
export function linkerdSnippet(input: SnippetInput): ConfigSnippet {
  const docs: string[] = [];
  const host = input.host;
  const unsafeHttp = input.protect
    .map(httpRouteMatch)
    .filter((m): m is Record<string, unknown> => Boolean(m));
  const unsafeGrpc = input.protect
    .map(grpcRouteMatch)
    .filter((m): m is Record<string, unknown> => Boolean(m));
  const safeHttp = input.retryable
    .map(httpRouteMatch)
    .filter((m): m is Record<string, unknown> => Boolean(m));
  const safeGrpc = input.retryable
    .map(grpcRouteMatch)
    .filter((m): m is Record<string, unknown> => Boolean(m));

  const noRetry = `Linkerd retries nothing by default. Keep it that way for the operations
below: put no retry.linkerd.io/* annotation on this route. A retry annotation
on the Service would apply to every route that has none of its own, so keep
retry annotations off the Service and on the routes that may be retried.
The last rule keeps every other request flowing to the Service, unretried.
parentRefs: add the port of the Service if it has several.`;
  const optIn = `Optional: retry the idempotent operations only.`;

  if (unsafeHttp.length) {
    docs.push(
      toYaml(
        gatewayRoute(
          'HTTPRoute',
          kubernetesName(host, 'no-retry'),
          host,
          unsafeHttp,
          undefined,
          true,
        ),
        noRetry,
      ),
    );
  }
  if (unsafeGrpc.length) {
    docs.push(
      toYaml(
        gatewayRoute(
          'GRPCRoute',
          kubernetesName(host, 'grpc-no-retry'),
          host,
          unsafeGrpc,
          undefined,
          true,
        ),
        noRetry,
      ),
    );
  }
  if (safeHttp.length) {
    docs.push(
      toYaml(
        gatewayRoute(
          'HTTPRoute',
          kubernetesName(host, 'retry'),
          host,
          safeHttp,
          {
            'retry.linkerd.io/http': '5xx',
            'retry.linkerd.io/limit': '2',
          },
        ),
        optIn,
      ),
    );
  }
  if (safeGrpc.length) {
    docs.push(
      toYaml(
        gatewayRoute(
          'GRPCRoute',
          kubernetesName(host, 'grpc-retry'),
          host,
          safeGrpc,
          {
            'retry.linkerd.io/grpc': 'unavailable',
            'retry.linkerd.io/limit': '2',
          },
        ),
        optIn,
      ),
    );
  }
  return {
    mesh: 'linkerd',
    title: `Linkerd routes: no retries on ${
      input.protect.length
    } non-idempotent operation(s)${
      safeHttp.length || safeGrpc.length
        ? ', opt-in retries on the idempotent ones'
        : ''
    }`,
    yaml: docs.join('---\n'),
    sources: [RETRY_SOURCES.linkerdRetries],
  };
}

/** The catalog annotation that records the decision. */
export function noRetryRoutesAnnotation(operations: string[]): string {
  return toYaml(
    {
      metadata: {
        annotations: {
          'mesh-readiness.io/no-retry-routes': operations.join(', '),
        },
      },
    },
    'catalog-info.yaml: once the mesh configuration excludes these operations from retries',
  );
}
