import { MeshOption, SourceLink } from '../types';
import { RETRY_SOURCES } from './rules';

/** What a mesh option retries when nobody configured retries. @public */
export interface MeshRetryBehaviour {
  mesh: MeshOption;
  label: string;
  /** True when the mesh retries requests with no configuration at all. */
  retriesByDefault: boolean;
  /** One sentence, for reasons and messages. */
  summary: string;
  sources: SourceLink[];
}

/** @public */
export const MESH_RETRY_BEHAVIOUR: Record<MeshOption, MeshRetryBehaviour> = {
  'istio-sidecar': {
    mesh: 'istio-sidecar',
    label: 'Istio (sidecar)',
    retriesByDefault: true,
    summary:
      'Istio retries every request by default, with no VirtualService at all: 2 retries on connect-failure, refused-stream, unavailable, cancelled and retriable status codes (503), whatever the method',
    sources: [
      RETRY_SOURCES.istioRetryDefaults,
      RETRY_SOURCES.istioVirtualService,
      RETRY_SOURCES.envoyRetryOn,
    ],
  },
  'istio-ambient': {
    mesh: 'istio-ambient',
    label: 'Istio (ambient)',
    retriesByDefault: true,
    summary:
      'Istio ambient applies the same default retries as sidecars (2 retries on connect-failure, refused-stream, unavailable, cancelled and 503, whatever the method) once the service has a waypoint for L7 features; ztunnel alone makes no L7 retries',
    sources: [
      RETRY_SOURCES.istioRetryDefaults,
      RETRY_SOURCES.istioVirtualService,
      RETRY_SOURCES.envoyRetryOn,
    ],
  },
  linkerd: {
    mesh: 'linkerd',
    label: 'Linkerd',
    retriesByDefault: false,
    summary:
      'Linkerd retries only what a retry.linkerd.io/http or retry.linkerd.io/grpc annotation on the Service or a route asks for, so nothing by default',
    sources: [RETRY_SOURCES.linkerdRetries],
  },
  cilium: {
    mesh: 'cilium',
    label: 'Cilium',
    retriesByDefault: false,
    summary:
      'Cilium makes no L7 retries unless you configure them in its Envoy proxy',
    sources: [],
  },
  none: {
    mesh: 'none',
    label: 'no mesh',
    retriesByDefault: false,
    summary: 'Without a mesh there are no mesh retries',
    sources: [],
  },
};
