import fc from 'fast-check';
import { stringify } from 'yaml';
import type { FactSource, ObservedWorkload } from '../observed';
import { observeWorkloads } from './observe';
import { parseManifests } from './parse';
import { servicePortProtocol } from './protocol';
import type { ManifestSet, WorkloadSelector } from './types';
import { ALL_FIXTURES, fixtureFile, inline, REPO } from './__fixtures__/files';

/** The source a user sees for a fact read at `file:line` of the fixtures. */
function at(object: string, file: string, line: number): FactSource {
  return {
    kind: 'manifest',
    label: `${object}, deploy/${file}:${line}`,
    url: `${REPO}/deploy/${file}#L${line}`,
  };
}

const SET = parseManifests(ALL_FIXTURES.map(fixtureFile));
const LOCATIONS = ['./deploy'];

function observe(selector: WorkloadSelector, set: ManifestSet = SET) {
  return observeWorkloads(set, selector, LOCATIONS);
}

function only(selector: WorkloadSelector): ObservedWorkload {
  const { workloads } = observe(selector);
  expect(workloads).toHaveLength(1);
  return workloads[0];
}

describe('observeWorkloads', () => {
  it('describes an Online-Boutique-style gRPC service matched by name, with the line of every fact', () => {
    const observation = observe({ name: 'currency' });
    expect(observation.locations).toEqual(['./deploy']);
    expect(observation.files).toBe(ALL_FIXTURES.length);
    // The set's problems come along: the template and the broken file.
    expect(observation.problems.map(p => p.file)).toEqual([
      'deploy/helm/templates/deployment.yaml',
      'deploy/broken/bad.yaml',
    ]);

    const deployment = 'Deployment shop/currency';
    const file = 'shop/currency.yaml';
    expect(observation.workloads).toEqual([
      {
        kind: 'Deployment',
        name: 'currency',
        namespace: 'shop',
        source: at(deployment, file, 10),
        matchedBy: 'name',
        replicas: {
          value: 1,
          from: 'default',
          source: {
            kind: 'default',
            label:
              'Kubernetes default of spec.replicas (Deployment shop/currency)',
          },
        },
        automountServiceAccountToken: {
          value: false,
          source: at('ServiceAccount shop/currency', file, 80),
        },
        podLabels: { app: 'currency' },
        podAnnotations: {},
        namespaceLabels: {
          labels: {
            'istio-injection': 'enabled',
            'pod-security.kubernetes.io/enforce': 'restricted',
          },
          source: at('Namespace shop', file, 6),
        },
        containers: [
          {
            name: 'server',
            image: 'ghcr.io/example/shop/currency:v0.10.3',
            init: false,
            nativeSidecar: false,
            runAsUser: 1000,
            runAsNonRoot: true,
            // The pod's securityContext sets it.
            source: at(deployment, file, 32),
          },
        ],
        containerPorts: [
          {
            container: 'server',
            port: 7000,
            name: 'grpc',
            transport: 'TCP',
            source: at(deployment, file, 43),
          },
        ],
        services: [
          {
            name: 'currency',
            headless: false,
            type: 'ClusterIP',
            annotations: {},
            source: at('Service shop/currency', file, 59),
          },
        ],
        servicePorts: [
          {
            service: 'currency',
            port: 7000,
            targetPort: 7000,
            containerPort: 7000,
            name: 'grpc',
            transport: 'TCP',
            protocol: 'grpc',
            protocolFrom: 'port name',
            source: at('Service shop/currency', file, 71),
          },
        ],
        probes: [
          {
            container: 'server',
            slot: 'liveness',
            kind: 'grpc',
            source: at(deployment, file, 51),
          },
          {
            container: 'server',
            slot: 'readiness',
            kind: 'grpc',
            source: at(deployment, file, 48),
          },
        ],
      },
    ]);
  });

  it('matches backstage.io/kubernetes-id on the pod template labels', () => {
    const w = only({ name: 'storefront-web', kubernetesId: 'storefront' });
    const deployment = 'Deployment shop/frontend';
    const file = 'shop/frontend.yaml';
    expect(w).toMatchObject({
      name: 'frontend',
      matchedBy: 'backstage.io/kubernetes-id',
    });
    // The container's securityContext overrides the pod's runAsUser;
    // runAsNonRoot still comes from the pod.
    expect(w.containers).toEqual([
      expect.objectContaining({
        runAsUser: 2000,
        runAsNonRoot: true,
        source: at(deployment, file, 29),
      }),
    ]);
    expect(w.probes).toEqual([
      {
        container: 'server',
        slot: 'liveness',
        kind: 'tcp',
        source: at(deployment, file, 37),
      },
      {
        container: 'server',
        slot: 'readiness',
        kind: 'http',
        source: at(deployment, file, 32),
      },
    ]);
    expect(w.podAnnotations).toEqual({
      'sidecar.istio.io/rewriteAppHTTPProbers': 'true',
    });
    expect(w.services.map(s => [s.name, s.type, s.annotations])).toEqual([
      ['frontend', 'ClusterIP', {}],
      [
        'frontend-external',
        'LoadBalancer',
        { 'cloud.google.com/load-balancer-type': 'External' },
      ],
    ]);
    expect(
      w.servicePorts.map(p => [p.service, p.port, p.containerPort, p.protocol]),
    ).toEqual([
      ['frontend', 80, 8080, 'http'],
      ['frontend-external', 80, 8080, 'http'],
    ]);
    // No ServiceAccount `frontend` in the manifests: nothing is said.
    expect(w.automountServiceAccountToken).toBeUndefined();
  });

  it('takes replicas from the HorizontalPodAutoscaler that targets the workload', () => {
    expect(only({ name: 'frontend' }).replicas).toEqual({
      value: 2,
      from: 'HorizontalPodAutoscaler',
      max: 6,
      source: at(
        'HorizontalPodAutoscaler shop/frontend',
        'shop/frontend.yaml',
        81,
      ),
    });
  });

  it('matches a Bookinfo-style label selector across per-version Deployments, in file order', () => {
    const { workloads } = observe({
      name: 'reviews',
      labelSelector: { app: 'reviews' },
    });
    const file = 'bookinfo/bookinfo.yaml';
    expect(
      workloads.map(w => [w.name, w.matchedBy, w.podLabels.version]),
    ).toEqual([
      ['reviews-v1', 'label selector', 'v1'],
      ['reviews-v2', 'label selector', 'v2'],
      ['reviews-v3', 'label selector', 'v3'],
    ]);
    expect(workloads.map(w => w.replicas)).toEqual([
      {
        value: 1,
        from: 'spec.replicas',
        source: at('Deployment reviews-v1', file, 33),
      },
      {
        value: 1,
        from: 'default',
        source: {
          kind: 'default',
          label: 'Kubernetes default of spec.replicas (Deployment reviews-v2)',
        },
      },
      {
        value: 3,
        from: 'spec.replicas',
        source: at('Deployment reviews-v3', file, 96),
      },
    ]);
    // Every version is behind the one `reviews` Service, port named http.
    for (const w of workloads) {
      expect(w.servicePorts).toEqual([
        {
          service: 'reviews',
          port: 9080,
          targetPort: 9080,
          containerPort: 9080,
          name: 'http',
          transport: 'TCP',
          protocol: 'http',
          protocolFrom: 'port name',
          source: at('Service reviews', file, 13),
        },
      ]);
    }
    // All terms must match.
    expect(
      observe({
        name: 'reviews',
        labelSelector: { app: 'reviews', version: 'v2' },
      }).workloads.map(w => w.name),
    ).toEqual(['reviews-v2']);
    expect(
      observe({
        name: 'reviews',
        labelSelector: { app: 'reviews', version: 'v9' },
      }).workloads,
    ).toEqual([]);
  });

  it('gives the label selector precedence over the kubernetes-id, as the Kubernetes plugin does', () => {
    const { workloads } = observe({
      name: 'reviews',
      kubernetesId: 'storefront',
      labelSelector: { app: 'ratings' },
    });
    expect(workloads.map(w => [w.name, w.matchedBy])).toEqual([
      ['ratings-v1', 'label selector'],
    ]);
  });

  it("reads a MySQL Service port named 'tcp' as tcp, from its name", () => {
    expect(only({ name: 'mysqldb-v1' }).servicePorts).toEqual([
      expect.objectContaining({
        service: 'mysqldb',
        port: 3306,
        containerPort: 3306,
        name: 'tcp',
        protocol: 'tcp',
        protocolFrom: 'port name',
        source: at('Service mysqldb', 'bookinfo/mysql.yaml', 19),
      }),
    ]);
  });

  it('sees the headless Service of a StatefulSet, and resolves its named targetPort', () => {
    const w = only({ name: 'redis' });
    expect(w.kind).toBe('StatefulSet');
    expect(w.replicas).toMatchObject({ value: 3, from: 'spec.replicas' });
    expect(w.services).toEqual([
      {
        name: 'redis',
        headless: true,
        annotations: {},
        source: at('Service data/redis', 'data/redis.yaml', 1),
      },
    ]);
    // Unnamed, but 6379 is Redis's well-known port.
    expect(w.servicePorts).toEqual([
      expect.objectContaining({
        port: 6379,
        targetPort: 'redis',
        containerPort: 6379,
        protocol: 'redis',
        protocolFrom: 'well-known port',
      }),
    ]);
    expect(w.servicePorts[0].name).toBeUndefined();
    expect(w.probes).toEqual([
      {
        container: 'redis',
        slot: 'readiness',
        kind: 'exec',
        source: at('StatefulSet data/redis', 'data/redis.yaml', 40),
      },
    ]);
  });

  it('reads a CronJob through its job template, init containers and native sidecars included', () => {
    const w = only({ name: 'reports', kubernetesId: 'reports' });
    const cronJob = 'CronJob reporting/nightly-report';
    const file = 'jobs/report.yaml';
    expect(w).toMatchObject({
      kind: 'CronJob',
      name: 'nightly-report',
      podLabels: { app: 'nightly-report' },
    });
    expect(w.replicas).toBeUndefined();
    expect(w.containers).toEqual([
      {
        name: 'report',
        image: 'ghcr.io/example/reporting/report:2.4.1',
        init: false,
        nativeSidecar: false,
        source: at(cronJob, file, 36),
      },
      {
        name: 'wait-for-db',
        image: 'busybox:1.36',
        init: true,
        nativeSidecar: false,
        source: at(cronJob, file, 21),
      },
      {
        name: 'log-shipper',
        image: 'fluent/fluent-bit:3.0',
        init: true,
        nativeSidecar: true,
        source: at(cronJob, file, 25),
      },
    ]);
    // The sidecar keeps running, so its port and probe count.
    expect(w.containerPorts).toEqual([
      {
        container: 'log-shipper',
        port: 2020,
        name: 'metrics',
        transport: 'TCP',
        source: at(cronJob, file, 29),
      },
    ]);
    expect(w.probes).toEqual([
      {
        container: 'log-shipper',
        slot: 'liveness',
        kind: 'http',
        source: at(cronJob, file, 31),
      },
    ]);
  });

  it('reads hostNetwork, the pod-level token setting and UDP ports of a DaemonSet', () => {
    const w = only({ name: 'node-dns' });
    const daemonSet = 'DaemonSet edge/node-dns';
    const file = 'edge/dns.yaml';
    expect(w.replicas).toBeUndefined();
    expect(w.hostNetwork).toEqual(at(daemonSet, file, 17));
    expect(w.automountServiceAccountToken).toEqual({
      value: false,
      source: at(daemonSet, file, 19),
    });
    expect(w.containerPorts.map(p => [p.name, p.port, p.transport])).toEqual([
      ['dns', 53, 'UDP'],
      ['dns-tcp', 53, 'TCP'],
      ['metrics', 9153, 'TCP'],
    ]);
    expect(
      w.servicePorts.map(p => [
        p.name,
        p.transport,
        p.containerPort,
        p.protocol,
        p.protocolFrom,
      ]),
    ).toEqual([
      ['dns', 'UDP', 53, 'dns', 'well-known port'],
      ['dns-tcp', 'TCP', 53, 'dns', 'well-known port'],
      ['metrics', 'TCP', 9153, 'http', 'appProtocol'],
    ]);
  });

  it('leaves containerPort undefined for a targetPort that reaches no container port (KIA0701)', () => {
    const w = only({ name: 'legacy-api' });
    const service = 'Service legacy/legacy-api';
    expect(w.servicePorts).toEqual([
      {
        service: 'legacy-api',
        port: 80,
        targetPort: 9090,
        name: 'http-web',
        transport: 'TCP',
        protocol: 'http',
        protocolFrom: 'port name',
        source: at(service, 'legacy/api.yaml', 32),
      },
      {
        // Unnamed: Istio would sniff.
        service: 'legacy-api',
        port: 8080,
        targetPort: 8080,
        containerPort: 8080,
        transport: 'TCP',
        protocolFrom: 'none',
        source: at(service, 'legacy/api.yaml', 35),
      },
      {
        service: 'legacy-api',
        port: 8081,
        targetPort: 'admin',
        name: 'admin',
        transport: 'TCP',
        protocolFrom: 'none',
        source: at(service, 'legacy/api.yaml', 36),
      },
    ]);
    // The Service of the same selector in another namespace does not select it.
    expect(w.services.map(s => s.name)).toEqual(['legacy-api']);
  });

  it('takes a numeric targetPort as the port of a pod that declares none', () => {
    const w = only({ name: 'legacy-worker' });
    expect(w).toMatchObject({
      kind: 'Pod',
      podLabels: { app: 'legacy-worker' },
      containerPorts: [],
    });
    expect(w.replicas).toBeUndefined();
    expect(
      w.servicePorts.map(p => [
        p.name,
        p.targetPort,
        p.containerPort,
        p.appProtocol,
        p.protocol,
        p.protocolFrom,
      ]),
    ).toEqual([
      ['grpc-web', 8080, 8080, undefined, 'grpc-web', 'port name'],
      ['status', 8443, 8443, 'kubernetes.io/h2c', 'http2', 'appProtocol'],
      // An appProtocol Istio does not know hides the port name.
      [
        'http-monitoring',
        9000,
        9000,
        'custom.example.com/telemetry',
        undefined,
        'none',
      ],
    ]);
  });

  it("keeps the string pod annotations (sidecar.istio.io/inject: 'false') and the init container", () => {
    const w = only({ name: 'loadgenerator' });
    // `prometheus.io/scrape: true` is a boolean, which Kubernetes would refuse.
    expect(w.podAnnotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
    expect(w.containers.map(c => [c.name, c.init, c.nativeSidecar])).toEqual([
      ['main', false, false],
      ['frontend-check', true, false],
    ]);
    expect(w.services).toEqual([]);
    expect(w.replicas).toEqual({
      value: 1,
      from: 'spec.replicas',
      source: at('Deployment shop/loadgenerator', 'shop/frontend.yaml', 97),
    });
  });

  it('observes nothing when nothing matches, and still reports the problems', () => {
    const observation = observe({ name: 'payments' });
    expect(observation.workloads).toEqual([]);
    // The Deployment was in the file that does not parse.
    expect(observation.problems).toContainEqual(
      expect.objectContaining({ file: 'deploy/broken/bad.yaml', line: 11 }),
    );
  });

  describe('namespaces', () => {
    const set = parseManifests([
      inline(
        'ns.yaml',
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: api}',
          'spec:',
          '  template:',
          '    metadata: {labels: {app: api}}',
          '    spec:',
          '      containers: [{name: api, ports: [{containerPort: 80}]}]',
          '---',
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: api-prod, namespace: prod}',
          'spec:',
          '  template:',
          '    metadata: {labels: {app: api}}',
          '    spec:',
          '      containers: [{name: api}]',
          '---',
          'apiVersion: v1',
          'kind: Service',
          'metadata: {name: api}',
          'spec: {selector: {app: api}, ports: [{port: 80}]}',
          '---',
          'apiVersion: v1',
          'kind: Service',
          'metadata: {name: everything}',
          'spec: {selector: {}, ports: [{port: 81}]}',
          '---',
          'apiVersion: v1',
          'kind: ServiceAccount',
          'metadata: {name: default, namespace: prod}',
          'automountServiceAccountToken: false',
          '---',
          'apiVersion: v1',
          'kind: Namespace',
          'metadata: {name: prod}',
        ].join('\n'),
      ),
    ]);

    it('counts a missing namespace on both sides as the same, and ignores Services without a selector', () => {
      const [w] = observeWorkloads(set, { name: 'api' }, []).workloads;
      expect(w.services.map(s => s.name)).toEqual(['api']);
      expect(w.namespace).toBeUndefined();
      expect(w.source.label).toBe('Deployment api, ns.yaml:1');
      expect(w.source.url).toBeUndefined();
      expect(w.namespaceLabels).toBeUndefined();
      expect(w.automountServiceAccountToken).toBeUndefined();
    });

    it("reads the token setting of the namespace's default ServiceAccount, and an unlabelled Namespace", () => {
      const [w] = observeWorkloads(set, { name: 'api-prod' }, []).workloads;
      expect(w.services).toEqual([]);
      expect(w.automountServiceAccountToken).toEqual({
        value: false,
        source: {
          kind: 'manifest',
          label: 'ServiceAccount prod/default, ns.yaml:32',
        },
      });
      expect(w.namespaceLabels).toEqual({
        labels: {},
        source: { kind: 'manifest', label: 'Namespace prod, ns.yaml:34' },
      });
    });
  });

  it('keeps the first 20 matched workloads and says how many more matched', () => {
    const deployments = Array.from({ length: 23 }, (_, i) =>
      stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `worker-${i}`, labels: { team: 'batch' } },
        spec: { template: { metadata: { labels: { app: `worker-${i}` } } } },
      }),
    ).join('---\n');
    const set = parseManifests([inline('workers.yaml', deployments)]);
    const observation = observeWorkloads(
      set,
      { name: 'workers', labelSelector: { team: 'batch' } },
      [],
    );
    expect(observation.workloads).toHaveLength(20);
    expect(observation.workloads[19].name).toBe('worker-19');
    expect(observation.problems).toEqual([
      {
        file: 'workers.yaml',
        line: expect.any(Number),
        message: expect.stringMatching(
          /^3 more workloads matched \(by label selector\), from Deployment worker-20 at workers\.yaml:\d+ on; only the first 20 are read\./,
        ),
      },
    ]);
  });

  it('reads an object linked twice once, and says where the copy is', () => {
    const currency = fixtureFile('shop/currency.yaml');
    const set = parseManifests([
      currency,
      { ...currency, path: 'release/all.yaml', url: undefined },
    ]);
    const observation = observeWorkloads(set, { name: 'currency' }, []);
    expect(observation.workloads).toHaveLength(1);
    expect(observation.workloads[0].servicePorts).toHaveLength(1);
    expect(observation.problems).toEqual([
      {
        file: 'release/all.yaml',
        line: 10,
        message:
          'Deployment shop/currency is defined again at release/all.yaml:10; only the first definition, ' +
          'deploy/shop/currency.yaml:10, is read. Link each object once.',
      },
    ]);
  });

  it('matches a catalog of entities against a large set without scanning it for each', () => {
    const docs: string[] = [];
    for (let i = 0; i < 5000; i++) {
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-${i}\n  namespace: ns-${
          i % 50
        }\n` +
          `spec:\n  template:\n    metadata:\n      labels:\n        app: svc-${i}\n        backstage.io/kubernetes-id: id-${i}\n` +
          `    spec:\n      containers:\n        - name: app\n          ports:\n            - containerPort: 8080\n`,
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: ns-${
          i % 50
        }\n` +
          `spec:\n  selector:\n    app: svc-${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n`,
      );
    }
    const set = parseManifests([inline('big.yaml', docs.join('---\n'))]);
    expect(set.objects).toHaveLength(10000);
    const started = Date.now();
    for (let i = 0; i < 5000; i++) {
      const selector =
        i % 2
          ? { name: `svc-${i}` }
          : { name: `c${i}`, kubernetesId: `id-${i}` };
      const [w] = observeWorkloads(set, selector, []).workloads;
      expect(w.servicePorts).toHaveLength(1);
    }
    // Indexed, this takes well under a second; a scan per entity takes minutes.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('never throws on objects of any shape', () => {
    const kinds = fc.constantFrom(
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'ReplicaSet',
      'Pod',
      'Job',
      'CronJob',
      'Service',
      'HorizontalPodAutoscaler',
      'ServiceAccount',
      'Namespace',
    );
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(
        'None',
        'Always',
        'UDP',
        'grpc',
        'http',
        'app',
        'x',
        80,
        8080,
        true,
        -1,
        1.5,
        null,
      ),
    );
    const maybe = <T>(arb: fc.Arbitrary<T>) =>
      fc.option(arb, { nil: undefined });
    const container = fc.record({
      name: maybe(value),
      ports: maybe(
        fc.oneof(
          value,
          fc.array(
            fc.record({ containerPort: value, name: value, protocol: value }),
            { maxLength: 2 },
          ),
        ),
      ),
      securityContext: maybe(
        fc.oneof(value, fc.record({ runAsUser: value, runAsNonRoot: value })),
      ),
      readinessProbe: maybe(
        fc.oneof(value, fc.record({ httpGet: value, grpc: value })),
      ),
      restartPolicy: maybe(value),
    });
    const podSpec = fc.record({
      containers: maybe(
        fc.oneof(value, fc.array(fc.oneof(container, value), { maxLength: 2 })),
      ),
      initContainers: maybe(
        fc.array(fc.oneof(container, value), { maxLength: 2 }),
      ),
      hostNetwork: maybe(value),
      automountServiceAccountToken: maybe(value),
      serviceAccountName: maybe(value),
      securityContext: maybe(value),
    });
    const labels = fc.oneof(
      value,
      fc.dictionary(
        fc.constantFrom('app', 'x', '__proto__', 'constructor'),
        value,
      ),
    );
    const template = fc.record({
      metadata: maybe(fc.record({ labels, annotations: labels })),
      spec: maybe(podSpec),
    });
    const object = fc.record({
      apiVersion: maybe(value),
      kind: kinds,
      metadata: fc.record({
        name: fc.constantFrom('app', 'x'),
        namespace: maybe(value),
        labels: maybe(labels),
      }),
      spec: maybe(
        fc.record({
          replicas: maybe(value),
          template: maybe(fc.oneof(template, value)),
          jobTemplate: maybe(fc.record({ spec: fc.record({ template }) })),
          selector: maybe(labels),
          ports: maybe(
            fc.oneof(
              value,
              fc.array(
                fc.record({
                  port: value,
                  targetPort: value,
                  name: value,
                  appProtocol: value,
                  protocol: value,
                }),
                { maxLength: 2 },
              ),
            ),
          ),
          clusterIP: maybe(value),
          scaleTargetRef: maybe(
            fc.record({ kind: kinds, name: fc.constantFrom('app', 'x') }),
          ),
          minReplicas: maybe(value),
          maxReplicas: maybe(value),
          containers: maybe(fc.array(container, { maxLength: 2 })),
        }),
      ),
      automountServiceAccountToken: maybe(value),
    });
    fc.assert(
      fc.property(
        fc.array(object, { maxLength: 6 }),
        fc.constantFrom('app', 'x'),
        (objects, name) => {
          const text = objects.map(o => stringify(o)).join('---\n');
          const set = parseManifests([inline('fuzz.yaml', text)]);
          for (const selector of [
            { name },
            { name, kubernetesId: 'app' },
            { name, labelSelector: { app: name } },
          ]) {
            const observation = observeWorkloads(set, selector, []);
            expect(Array.isArray(observation.workloads)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('servicePortProtocol (Istio order)', () => {
  it.each([
    [{ appProtocol: 'HTTP', name: 'grpc' }, 'http', 'appProtocol'],
    [{ appProtocol: 'kubernetes.io/h2c' }, 'http2', 'appProtocol'],
    [{ appProtocol: 'kubernetes.io/ws' }, 'websocket', 'appProtocol'],
    [{ appProtocol: 'kubernetes.io/wss' }, 'websocket', 'appProtocol'],
    [{ appProtocol: 'linkerd.io/opaque', name: 'http' }, 'tcp', 'appProtocol'],
    [{ appProtocol: 'mongo' }, 'mongodb', 'appProtocol'],
    [{ appProtocol: 'grpc-web' }, 'grpc-web', 'appProtocol'],
    [{ name: 'grpc' }, 'grpc', 'port name'],
    [{ name: 'HTTP2-api' }, 'http2', 'port name'],
    [{ name: 'grpc-web-gateway' }, 'grpc-web', 'port name'],
    [{ name: 'tcp-redis', port: 6379 }, 'tcp', 'port name'],
    [{ name: 'mongo-primary' }, 'mongodb', 'port name'],
    [{ name: 'tls' }, 'tls', 'port name'],
    [{ name: 'udp-syslog' }, 'udp', 'port name'],
    [{ name: 'web', port: 5432 }, 'postgres', 'well-known port'],
    [
      { name: 'db', port: 80, containerPort: 27017 },
      'mongodb',
      'well-known port',
    ],
    [{ port: 4222 }, 'nats', 'well-known port'],
    [{ name: 'httpapi' }, undefined, 'none'],
    [{ name: 'web' }, undefined, 'none'],
    [{}, undefined, 'none'],
  ] as const)('%j → %s from %s', (port, protocol, protocolFrom) => {
    expect(servicePortProtocol({ port: 8080, ...port })).toEqual({
      ...(protocol ? { protocol } : {}),
      protocolFrom,
    });
  });
});

describe('observeWorkloads on objects read from a running cluster', () => {
  it('names the cluster and when the object was seen instead of a file and line', () => {
    const observedAt = '2026-12-14T10:00:00.000Z';
    const set: ManifestSet = {
      ...SET,
      objects: SET.objects.map(o => ({ ...o, cluster: 'prod', observedAt })),
    };
    const [workload] = observe({ name: 'currency' }, set).workloads;
    const cluster: FactSource = {
      kind: 'manifest',
      label: 'Deployment shop/currency, cluster prod',
      cluster: 'prod',
      observedAt,
    };
    expect(workload.source).toEqual(cluster);
    expect(workload.containers[0].source).toEqual(cluster);
    expect(workload.servicePorts[0].source).toEqual({
      ...cluster,
      label: 'Service shop/currency, cluster prod',
    });
  });
});
