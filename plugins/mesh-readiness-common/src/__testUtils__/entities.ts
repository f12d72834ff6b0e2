import type { Entity } from '@backstage/catalog-model';

export function component(
  name: string,
  annotations: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations: annotations as any, ...metadata },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
      ...spec,
    },
  };
}

export function group(
  name: string,
  spec: Record<string, unknown> = {},
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, annotations },
    spec: { type: 'team', children: [], ...spec },
  };
}

export function user(name: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name },
    spec: { memberOf },
  };
}

export function cluster(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, annotations },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
  };
}

export function system(name: string, domain?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name },
    spec: { owner: 'group:default/platform', ...(domain ? { domain } : {}) },
  };
}

/** Annotations that make a service pass every check that has an input. */
export const READY: Record<string, string> = {
  'mesh-readiness.io/ports': '8080/http, 9090/grpc',
  'mesh-readiness.io/tracing': 'full',
  'mesh-readiness.io/run-as-uid': '1000',
  'mesh-readiness.io/probes': 'http',
  'mesh-readiness.io/pod-security': 'baseline',
  'mesh-readiness.io/bind-address': '0.0.0.0',
  'mesh-readiness.io/headless': 'false',
  'mesh-readiness.io/timeouts': 'true',
  'mesh-readiness.io/retries': 'idempotent-only',
  'mesh-readiness.io/replicas': '3',
  'mesh-readiness.io/peak-rps': '250',
};

/** A small org: platform team with 2 engineers, a cluster, team-a with a member. */
export function baseOrg(): Entity[] {
  return [
    group(
      'platform',
      {},
      {
        'mesh-readiness.io/platform-team': 'true',
        'mesh-readiness.io/mesh-engineers': '2',
      },
    ),
    group('team-a'),
    user('alice', ['team-a']),
    cluster('prod', {
      'mesh-readiness.io/cni': 'calico',
      'mesh-readiness.io/kernel-version': '6.1',
      'mesh-readiness.io/kubernetes-version': '1.31',
      'mesh-readiness.io/nodes': '10',
    }),
  ];
}
