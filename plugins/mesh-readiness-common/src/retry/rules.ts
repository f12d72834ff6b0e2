import { SourceLink } from '../types';

/** Citations used by the retry-safety analysis and check. @public */
export const RETRY_SOURCES = {
  rfc9110: {
    title: 'RFC 9110 §9.2.2 Idempotent Methods',
    url: 'https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2',
  },
  idempotencyKey: {
    title: 'The Idempotency-Key HTTP Header Field (IETF httpapi draft)',
    url: 'https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/',
  },
  protoIdempotency: {
    title: 'google/protobuf/descriptor.proto: MethodOptions.IdempotencyLevel',
    url: 'https://github.com/protocolbuffers/protobuf/blob/main/src/google/protobuf/descriptor.proto',
  },
  istioRetryDefaults: {
    title:
      'istio/istio: default retry policy (pilot/pkg/networking/core/route/retry/retry.go)',
    url: 'https://github.com/istio/istio/blob/master/pilot/pkg/networking/core/route/retry/retry.go',
  },
  istioVirtualService: {
    title: 'Istio VirtualService reference: HTTPRetry',
    url: 'https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry',
  },
  envoyRetryOn: {
    title: 'Envoy router filter: x-envoy-retry-on conditions',
    url: 'https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on',
  },
  linkerdRetries: {
    title: 'Linkerd reference: Retries',
    url: 'https://linkerd.io/2-edge/reference/retries/',
  },
} satisfies Record<string, SourceLink>;

/** Methods RFC 9110 §9.2.2 defines as idempotent (the safe ones and PUT, DELETE). */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
export const IDEMPOTENT_UNSAFE_METHODS = new Set(['PUT', 'DELETE']);
/** Methods that become idempotent with an Idempotency-Key or `x-idempotent: true`. */
export const KEYABLE_METHODS = new Set(['POST', 'PATCH']);

/** The name of the header that makes a POST or PATCH idempotent. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
