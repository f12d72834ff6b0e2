import { observeWorkloads } from '@mesh-readiness/plugin-mesh-readiness-common/manifests';
import {
  meshProxiesOf,
  toManifestSet,
  workloadErrors,
  workloadKey,
} from './clusterObjects';
import {
  cartAutoscaler,
  cartDeployment,
  cartPods,
  cartReplicaSet,
  cartService,
} from './__testUtils__/cartservice';

const AT = '2026-12-14T10:00:00.000Z';
const answer = {
  cluster: { name: 'prod' },
  resources: [
    { type: 'pods', resources: cartPods },
    { type: 'replicasets', resources: [cartReplicaSet] },
    { type: 'deployments', resources: [cartDeployment] },
    { type: 'services', resources: [cartService] },
    { type: 'horizontalpodautoscalers', resources: [cartAutoscaler] },
    { type: 'configmaps', resources: [{ metadata: { name: 'ignored' } }] },
  ],
  errors: [],
};

describe('toManifestSet', () => {
  it('keeps the controllers, not the pods and ReplicaSets they own', () => {
    const set = toManifestSet(answer, AT);
    expect(set.objects.map(o => `${o.kind} ${o.name}`)).toEqual([
      'Deployment cartservice',
      'Service cartservice',
      'HorizontalPodAutoscaler cartservice',
    ]);
  });

  it('describes a bare pod when its controller is not in the answer', () => {
    const set = toManifestSet(
      {
        cluster: { name: 'prod' },
        resources: [{ type: 'pods', resources: cartPods }],
      },
      AT,
    );
    const { workloads } = observeWorkloads(
      set,
      { name: 'x', kubernetesId: 'cartservice' },
      [],
    );
    expect(workloads.map(w => w.source.label)).toEqual([
      'Pod shop/cartservice-7d9f8c6b5-x2k4q, cluster prod',
      'Pod shop/cartservice-7d9f8c6b5-p9w7z, cluster prod',
    ]);
  });

  it('gives replicas from the autoscaler, sourced to the cluster', () => {
    const set = toManifestSet(answer, AT);
    const [workload] = observeWorkloads(
      set,
      { name: 'cartservice', kubernetesId: 'cartservice' },
      ['cluster prod'],
    ).workloads;
    expect(workload.replicas).toEqual({
      value: 3,
      from: 'HorizontalPodAutoscaler',
      max: 10,
      source: {
        kind: 'manifest',
        label: 'HorizontalPodAutoscaler shop/cartservice, cluster prod',
        cluster: 'prod',
        observedAt: AT,
      },
    });
    expect(workload.containers[0].runAsUser).toBe(1000);
    expect(workload.servicePorts[0]).toMatchObject({
      port: 7070,
      protocol: 'grpc',
    });
  });
});

describe('workloadErrors', () => {
  it('counts the errors on the kinds read and a failed connection, not metrics or others', () => {
    expect(
      workloadErrors({
        cluster: { name: 'prod' },
        errors: [
          {
            errorType: 'NOT_FOUND',
            statusCode: 404,
            resourcePath: '/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods',
          },
          {
            errorType: 'UNAUTHORIZED_ERROR',
            statusCode: 403,
            resourcePath: '/api/v1/configmaps',
          },
          {
            errorType: 'UNAUTHORIZED_ERROR',
            statusCode: 403,
            resourcePath: '/apis/apps/v1/deployments',
          },
          { errorType: 'FETCH_ERROR', message: 'connect ECONNREFUSED' },
        ],
      }).map(e => e.errorType),
    ).toEqual(['UNAUTHORIZED_ERROR', 'FETCH_ERROR']);
  });
});

describe('meshProxiesOf', () => {
  const withProxy = (pod: any, proxy: any) => ({
    ...pod,
    spec: { ...pod.spec, containers: [...pod.spec.containers, proxy] },
  });

  it('finds an injected sidecar and names the Deployment that owns its pod', () => {
    const pods = [
      withProxy(cartPods[0], { name: 'linkerd-proxy', image: 'proxy' }),
      cartPods[1],
    ];
    const found = meshProxiesOf(
      {
        ...answer,
        resources: answer.resources.map(r =>
          r.type === 'pods' ? { ...r, resources: pods } : r,
        ),
      },
      AT,
    );
    expect([...found]).toEqual([
      [
        workloadKey('Deployment', 'shop', 'cartservice'),
        {
          mesh: 'linkerd',
          container: 'linkerd-proxy',
          source: {
            kind: 'manifest',
            label: 'Pod shop/cartservice-7d9f8c6b5-x2k4q, cluster prod',
            cluster: 'prod',
            observedAt: AT,
          },
        },
      ],
    ]);
  });

  it('finds nothing in pods that run no proxy', () => {
    expect(meshProxiesOf(answer, AT).size).toBe(0);
  });
});
