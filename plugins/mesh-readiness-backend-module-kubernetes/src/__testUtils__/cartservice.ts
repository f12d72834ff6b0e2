/*
 * What a cluster running Online Boutique's cartservice answers to the list
 * calls of the Kubernetes plugin, labelled for Backstage: the Deployment,
 * its ReplicaSet and two Pods (owned, so only the Deployment describes the
 * workload), the Service with a port named grpc, and an HPA.
 */
const LABELS = {
  app: 'cartservice',
  'backstage.io/kubernetes-id': 'cartservice',
};

const podSpec = {
  serviceAccountName: 'cartservice',
  securityContext: {
    fsGroup: 1000,
    runAsGroup: 1000,
    runAsNonRoot: true,
    runAsUser: 1000,
  },
  terminationGracePeriodSeconds: 5,
  containers: [
    {
      name: 'server',
      image:
        'us-central1-docker.pkg.dev/google-samples/microservices-demo/cartservice:v0.10.2',
      ports: [{ containerPort: 7070, protocol: 'TCP' }],
      env: [{ name: 'REDIS_ADDR', value: 'redis-cart:6379' }],
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
      },
      resources: {
        requests: { cpu: '200m', memory: '64Mi' },
        limits: { cpu: '300m', memory: '128Mi' },
      },
      readinessProbe: { initialDelaySeconds: 15, grpc: { port: 7070 } },
      livenessProbe: {
        initialDelaySeconds: 15,
        periodSeconds: 10,
        grpc: { port: 7070 },
      },
    },
  ],
};

export const cartDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'cartservice',
    namespace: 'shop',
    uid: 'dep-1',
    labels: LABELS,
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'cartservice' } },
    template: { metadata: { labels: LABELS }, spec: podSpec },
  },
  status: { replicas: 2, readyReplicas: 2 },
};

export const cartReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'cartservice-7d9f8c6b5',
    namespace: 'shop',
    uid: 'rs-1',
    labels: { ...LABELS, 'pod-template-hash': '7d9f8c6b5' },
    ownerReferences: [
      {
        kind: 'Deployment',
        name: 'cartservice',
        uid: 'dep-1',
        controller: true,
      },
    ],
  },
  spec: {
    replicas: 2,
    template: { metadata: { labels: LABELS }, spec: podSpec },
  },
};

export const cartPods = ['x2k4q', 'p9w7z'].map(suffix => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `cartservice-7d9f8c6b5-${suffix}`,
    namespace: 'shop',
    uid: `pod-${suffix}`,
    labels: { ...LABELS, 'pod-template-hash': '7d9f8c6b5' },
    ownerReferences: [
      {
        kind: 'ReplicaSet',
        name: 'cartservice-7d9f8c6b5',
        uid: 'rs-1',
        controller: true,
      },
    ],
  },
  spec: { ...podSpec, nodeName: 'kind-worker' },
  status: { phase: 'Running' },
}));

export const cartService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'cartservice',
    namespace: 'shop',
    uid: 'svc-1',
    labels: LABELS,
  },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.12.34',
    selector: { app: 'cartservice' },
    ports: [{ name: 'grpc', port: 7070, targetPort: 7070, protocol: 'TCP' }],
  },
};

export const cartAutoscaler = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: {
    name: 'cartservice',
    namespace: 'shop',
    uid: 'hpa-1',
    labels: LABELS,
  },
  spec: {
    scaleTargetRef: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'cartservice',
    },
    minReplicas: 3,
    maxReplicas: 10,
  },
};

/** A Linkerd Server for cartservice's gRPC port: Linkerd is configured for it. */
export const cartServer = {
  apiVersion: 'policy.linkerd.io/v1beta3',
  kind: 'Server',
  metadata: {
    name: 'cartservice-grpc',
    namespace: 'shop',
    labels: { 'backstage.io/kubernetes-id': 'cartservice' },
  },
  spec: {
    podSelector: { matchLabels: { app: 'cartservice' } },
    port: 'grpc',
    proxyProtocol: 'gRPC',
  },
};

/** The list answers by API path (without the query). */
export const CARTSERVICE_LISTS: Record<string, unknown[]> = {
  '/api/v1/pods': cartPods,
  '/api/v1/services': [cartService],
  '/apis/apps/v1/deployments': [cartDeployment],
  '/apis/apps/v1/replicasets': [cartReplicaSet],
  '/apis/autoscaling/v2/horizontalpodautoscalers': [cartAutoscaler],
  '/apis/policy.linkerd.io/v1beta3/servers': [cartServer],
};
