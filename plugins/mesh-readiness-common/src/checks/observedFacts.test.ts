/*
 * The existing checks fed from manifests: the observed facts win over the
 * declared ones, every result names where its facts came from, and the
 * drift check reports declarations that the manifests contradict.
 */
import type { Entity } from '@backstage/catalog-model';
import { buildCatalogContext } from '../context';
import { evaluateCatalog, evaluateEntity } from '../engine';
import type {
  FactSource,
  ManifestObservation,
  ObservedWorkload,
} from '../observed';
import type { MeshOption } from '../types';
import { baseOrg, component } from '../__testUtils__/entities';

const NOW = new Date('2026-06-01T00:00:00Z');
const FILE = 'deploy/checkout.yaml';

function at(what: string, line: number): FactSource {
  return {
    kind: 'manifest',
    label: `${what}, ${FILE}:${line}`,
    url: `https://github.com/acme/checkout/blob/main/${FILE}#L${line}`,
  };
}

/** An Online-Boutique-like Deployment with a Service, as the matcher gives it. */
function workload(overrides: Partial<ObservedWorkload> = {}): ObservedWorkload {
  const deployment = 'Deployment shop/checkout';
  return {
    kind: 'Deployment',
    name: 'checkout',
    namespace: 'shop',
    source: at(deployment, 1),
    matchedBy: 'name',
    replicas: { value: 3, from: 'spec.replicas', source: at(deployment, 8) },
    podLabels: { app: 'checkout' },
    podAnnotations: {},
    containers: [
      {
        name: 'server',
        image: 'checkout:1.0',
        init: false,
        nativeSidecar: false,
        runAsUser: 1000,
        runAsNonRoot: true,
        source: at(deployment, 20),
      },
    ],
    containerPorts: [
      {
        container: 'server',
        port: 5050,
        transport: 'TCP',
        source: at(deployment, 25),
      },
    ],
    services: [
      {
        name: 'checkout',
        headless: false,
        annotations: {},
        source: at('Service shop/checkout', 50),
      },
    ],
    servicePorts: [
      {
        service: 'checkout',
        port: 5050,
        targetPort: 5050,
        containerPort: 5050,
        name: 'grpc',
        transport: 'TCP',
        protocol: 'grpc',
        protocolFrom: 'port name',
        source: at('Service shop/checkout', 56),
      },
    ],
    probes: [
      {
        container: 'server',
        slot: 'readiness',
        kind: 'grpc',
        source: at(deployment, 30),
      },
      {
        container: 'server',
        slot: 'liveness',
        kind: 'grpc',
        source: at(deployment, 33),
      },
    ],
    ...overrides,
  };
}

function observation(...workloads: ObservedWorkload[]): ManifestObservation {
  return { locations: ['./deploy/'], files: 1, workloads, problems: [] };
}

function evaluate(
  observed: ManifestObservation | undefined,
  annotations: Record<string, string> = {},
  mesh: MeshOption = 'istio-sidecar',
) {
  const svc: Entity = component('checkout', {
    'mesh-readiness.io/manifests': './deploy/',
    ...annotations,
  });
  const context = buildCatalogContext([...baseOrg(), svc], { now: NOW });
  return evaluateEntity(svc, context, {
    recommendedMesh: mesh,
    observations: observed
      ? new Map([['component:default/checkout', observed]])
      : undefined,
  });
}

function check(result: ReturnType<typeof evaluate>, id: string) {
  const found = result.checks.find(c => c.id === id);
  if (!found) {
    throw new Error(`no result for ${id}`);
  }
  return found;
}

describe('checks fed from manifests', () => {
  it('reads ports, protocols, UIDs, probes and replicas from the manifests, each with its file and line', () => {
    const result = evaluate(observation(workload()));
    const protocols = check(result, 'protocols');
    expect(protocols.status).toBe('pass');
    expect(protocols.message).toContain('5050/grpc');
    expect(protocols.evidence).toEqual([
      {
        fact: 'port 5050',
        value: "grpc (from the port name 'grpc' of Service checkout)",
        source: at('Service shop/checkout', 56),
      },
    ]);
    const uid = check(result, 'proxy-uid');
    expect(uid.status).toBe('pass');
    expect(uid.evidence?.[0]).toMatchObject({
      fact: 'runAsUser of server',
      value: '1000',
      source: { label: `Deployment shop/checkout, ${FILE}:20` },
    });
    const probes = check(result, 'probes');
    expect(probes.status).toBe('pass');
    expect(probes.message).toBe('Probes: grpc.');
    expect(probes.evidence?.map(e => e.fact)).toEqual([
      'readiness probe of server',
      'liveness probe of server',
    ]);
    // Replicas are stated: the cost needs only the peak load declared.
    const cost = check(result, 'cost-inputs');
    expect(cost.status).toBe('unknown');
    expect(cost.message).toBe(
      'mesh-readiness.io/peak-rps not set, so the cost estimate leaves this service out.',
    );
    expect(cost.fixYaml).not.toContain('mesh-readiness.io/replicas');
    expect(cost.evidence?.[0]).toMatchObject({ fact: 'replicas', value: '3' });
    expect(result.manifests).toMatchObject({
      locations: ['./deploy/'],
      workloads: [{ kind: 'Deployment', name: 'checkout', matchedBy: 'name' }],
    });
  });

  it('scores the manifests over a contradicting annotation, and the drift check names both values and sources', () => {
    const result = evaluate(observation(workload()), {
      'mesh-readiness.io/run-as-uid': '1337',
      'mesh-readiness.io/probes': 'tcp',
      'mesh-readiness.io/ports': '5050/http',
      'mesh-readiness.io/replicas': '3',
    });
    // The declared UID 1337 would fail; the manifests say 1000.
    expect(check(result, 'proxy-uid').status).toBe('pass');
    expect(check(result, 'probes').status).toBe('pass');
    const drift = check(result, 'drift');
    expect(drift.status).toBe('warn');
    expect(drift.message).toContain(
      'mesh-readiness.io/run-as-uid says 1337, the manifests say 1000',
    );
    expect(drift.message).toContain(
      'mesh-readiness.io/probes says tcp, the manifests say grpc',
    );
    expect(drift.message).toContain('5050 is declared http but is grpc there');
    expect(drift.message).not.toContain('replicas');
    const sources = drift.evidence!.map(e => e.source.label);
    expect(sources).toContain('annotation mesh-readiness.io/run-as-uid');
    expect(sources).toContain(`Deployment shop/checkout, ${FILE}:20`);
  });

  it('passes drift when the declarations agree, and has nothing to compare without manifests', () => {
    expect(
      check(
        evaluate(observation(workload()), {
          'mesh-readiness.io/run-as-uid': '1000',
        }),
        'drift',
      ).status,
    ).toBe('pass');
    expect(check(evaluate(undefined), 'drift').status).toBe('not-applicable');
  });

  it('compares three ways when a running cluster is scored and manifests are linked: declared, written, running', () => {
    const cluster: FactSource = {
      kind: 'manifest',
      label: 'Deployment shop/checkout, cluster prod',
      cluster: 'prod',
      observedAt: '2026-06-01T00:00:00.000Z',
    };
    const running = workload({
      source: cluster,
      replicas: { value: 5, from: 'spec.replicas', source: cluster },
      containers: [
        { ...workload().containers[0], runAsUser: 1001, source: cluster },
      ],
    });
    const result = evaluate(
      {
        ...observation(running),
        observedAt: cluster.observedAt,
        written: [workload()],
      },
      {
        'mesh-readiness.io/run-as-uid': '1000',
        'mesh-readiness.io/ports': '5050/http',
      },
    );
    const drift = check(result, 'drift');
    expect(drift.message).toContain(
      'mesh-readiness.io/ports disagrees with the running cluster: 5050 is declared http but is grpc there',
    );
    expect(drift.status).toBe('warn');
    expect(drift.message).toContain(
      'mesh-readiness.io/run-as-uid says 1000, the running cluster says 1001',
    );
    expect(drift.message).toContain(
      'the manifests say runAsUser 1000, the running cluster has 1001',
    );
    expect(drift.message).toContain(
      'the manifests say replicas 3, the running cluster has 5',
    );
    expect(drift.message).not.toContain('probes');
    expect(drift.message).toContain('The running cluster is scored');
    expect(drift.message).not.toContain('the manifests say 1000');
    const sources = drift.evidence!.map(e => e.source.label);
    expect(sources).toContain(`Deployment shop/checkout, ${FILE}:20`);
    expect(sources).toContain('Deployment shop/checkout, cluster prod');
    // Scored from what runs.
    expect(check(result, 'proxy-uid').evidence?.[0].value).toBe('1001');
  });

  it('warns about a Service port that states no protocol (IST0118)', () => {
    const w = workload({
      servicePorts: [
        {
          service: 'checkout',
          port: 80,
          targetPort: 5050,
          containerPort: 5050,
          name: 'web',
          transport: 'TCP',
          protocolFrom: 'none',
          source: at('Service shop/checkout', 56),
        },
      ],
    });
    const protocols = check(evaluate(observation(w)), 'protocols');
    expect(protocols.status).toBe('warn');
    expect(protocols.message).toContain('checkout:80');
    expect(protocols.message).toContain('IST0118');
    expect(protocols.evidence?.[0].value).toContain("named 'web'");
  });

  it('flags a server-first database port by its number, and passes one that both meshes handle', () => {
    const postgres = workload({
      servicePorts: [
        {
          service: 'checkout-db',
          port: 5432,
          targetPort: 5432,
          containerPort: 5432,
          name: 'db',
          transport: 'TCP',
          protocol: 'postgres',
          protocolFrom: 'well-known port',
          source: at('Service shop/checkout-db', 60),
        },
      ],
    });
    const failing = check(
      evaluate(observation(postgres)),
      'server-first-protocols',
    );
    // 5432 is opaque by default in Linkerd only, and the name tells Istio nothing.
    expect(failing.status).toBe('warn');
    expect(failing.message).toContain(
      '5432 (postgres) (handled by Linkerd only)',
    );

    const mysql = workload({
      servicePorts: [
        {
          service: 'mysqldb',
          port: 3306,
          targetPort: 3306,
          containerPort: 3306,
          name: 'tcp',
          transport: 'TCP',
          protocol: 'tcp',
          protocolFrom: 'port name',
          source: at('Service shop/mysqldb', 70),
        },
      ],
    });
    const passing = check(
      evaluate(observation(mysql)),
      'server-first-protocols',
    );
    expect(passing.status).toBe('pass');
    expect(passing.message).toContain('3306 (mysql)');
    expect(passing.evidence?.[0].source.label).toBe(
      `Service shop/mysqldb, ${FILE}:70`,
    );
  });

  it('fails a server-first port neither mesh handles unless the manifests mark it opaque for Linkerd and TCP for Istio', () => {
    const nats = (appProtocol?: string) =>
      workload({
        servicePorts: [
          {
            service: 'queue',
            port: 4222,
            targetPort: 4222,
            containerPort: 4222,
            name: 'client',
            ...(appProtocol ? { appProtocol } : {}),
            transport: 'TCP',
            protocol: appProtocol ? 'tcp' : 'nats',
            protocolFrom: appProtocol ? 'appProtocol' : 'well-known port',
            source: at('Service shop/queue', 80),
          },
        ],
      });
    expect(
      check(evaluate(observation(nats())), 'server-first-protocols').status,
    ).toBe('fail');
    expect(
      check(
        evaluate(observation(nats('linkerd.io/opaque'))),
        'server-first-protocols',
      ).status,
    ).toBe('pass');
  });

  it('reads UDP, headless Services, Jobs and unset UIDs from the manifests', () => {
    const job = workload({
      kind: 'CronJob',
      replicas: undefined,
      containers: [
        {
          name: 'backup',
          init: false,
          nativeSidecar: false,
          source: at('CronJob shop/checkout', 12),
        },
      ],
      containerPorts: [
        {
          container: 'backup',
          port: 5353,
          transport: 'UDP',
          source: at('CronJob shop/checkout', 14),
        },
      ],
      services: [
        {
          name: 'checkout',
          headless: true,
          annotations: {},
          source: at('Service shop/checkout', 50),
        },
      ],
      servicePorts: [],
      probes: [],
    });
    const result = evaluate(observation(job));
    expect(check(result, 'udp').status).toBe('warn');
    expect(check(result, 'headless').status).toBe('warn');
    expect(check(result, 'headless').evidence?.[0].source.label).toBe(
      `Service shop/checkout, ${FILE}:50`,
    );
    const batch = check(result, 'batch-workload');
    expect(batch.status).not.toBe('not-applicable');
    expect(batch.evidence?.[0].value).toBe('CronJob');
    const uid = check(result, 'proxy-uid');
    expect(uid.status).toBe('unknown');
    expect(uid.message).toContain('backup sets no runAsUser');
    expect(check(result, 'probes').message).toBe('Probes: none.');
  });

  it("reads the pod's Linkerd opaque-ports annotation as opaque ports", () => {
    const redis = workload({
      podAnnotations: { 'config.linkerd.io/opaque-ports': '6379' },
      servicePorts: [
        {
          service: 'checkout',
          port: 6379,
          targetPort: 6379,
          containerPort: 6379,
          name: 'tcp-redis',
          transport: 'TCP',
          protocol: 'tcp',
          protocolFrom: 'port name',
          source: at('Service shop/checkout', 56),
        },
      ],
    });
    const opaque = check(evaluate(observation(redis)), 'opaque-ports');
    expect(opaque.status).toBe('pass');
    expect(opaque.message).toBe(
      'Opaque ports 6379 are server-first or TCP ports.',
    );
    expect(opaque.evidence?.[0].source.label).toBe(
      `Deployment shop/checkout, ${FILE}:1`,
    );
    expect(
      check(evaluate(observation(workload())), 'opaque-ports').status,
    ).toBe('not-applicable');
  });

  it('does not ask whether a workload that no Service selects is headless', () => {
    const worker = workload({ services: [], servicePorts: [] });
    const headless = check(evaluate(observation(worker)), 'headless');
    expect(headless.status).toBe('not-applicable');
    expect(headless.message).toContain('No Service in the manifests selects');
  });

  it('counts inspected services, and only they carry a manifest summary', () => {
    const inspected = component('checkout', {
      'mesh-readiness.io/manifests': './deploy/',
    });
    const declaredOnly = component('cart', {
      'mesh-readiness.io/replicas': '2',
    });
    const report = evaluateCatalog([...baseOrg(), inspected, declaredOnly], {
      now: NOW,
      observations: new Map([
        ['component:default/checkout', observation(workload())],
      ]),
    });
    expect(report.org.inspected).toBe(1);
    const cart = report.entities.find(e => e.name === 'cart')!;
    expect(cart.manifests).toBeUndefined();
    const checkout = report.entities.find(e => e.name === 'checkout')!;
    expect(checkout.manifests?.workloads).toHaveLength(1);
  });

  it('does not share a result between rows whose facts come from different files', () => {
    const a = component('a', { 'mesh-readiness.io/manifests': './deploy/' });
    const b = component('b', { 'mesh-readiness.io/manifests': './deploy/' });
    const other = workload({
      servicePorts: [
        { ...workload().servicePorts[0], source: at('Service shop/b', 99) },
      ],
    });
    const report = evaluateCatalog([...baseOrg(), a, b], {
      now: NOW,
      observations: new Map([
        ['component:default/a', observation(workload())],
        ['component:default/b', observation(other)],
      ]),
    });
    const labels = ['a', 'b'].map(
      name =>
        report.entities
          .find(e => e.name === name)!
          .checks.find(c => c.id === 'protocols')!.evidence![0].source.label,
    );
    expect(labels).toEqual([
      `Service shop/checkout, ${FILE}:56`,
      `Service shop/b, ${FILE}:99`,
    ]);
  });
});
