/*
 * The checks only manifests make possible: host-network, init-containers,
 * injection-labels, service-account-token and target-ports, evaluated
 * through the engine with hand-written observations.
 */
import type { Entity } from '@backstage/catalog-model';
import { buildCatalogContext } from '../context';
import { evaluateCatalog, evaluateEntity, listChecks } from '../engine';
import type {
  FactSource,
  ManifestObservation,
  ObservedContainer,
  ObservedWorkload,
} from '../observed';
import type { CheckResult, MeshOption } from '../types';
import { baseOrg, component } from '../__testUtils__/entities';

const NOW = new Date('2026-06-01T00:00:00Z');
const FILE = 'deploy/orders.yaml';
const IDS = [
  'host-network',
  'init-containers',
  'injection-labels',
  'service-account-token',
  'target-ports',
];

function at(what: string, line: number): FactSource {
  return { kind: 'manifest', label: `${what}, ${FILE}:${line}` };
}

const DEPLOYMENT = at('Deployment shop/orders', 1);
const SERVICE_PORT = at('Service shop/orders', 40);
const NAMESPACE = at('Namespace shop', 70);

function container(
  name: string,
  overrides: Partial<ObservedContainer> = {},
): ObservedContainer {
  return {
    name,
    image: `${name}:1.0`,
    init: false,
    nativeSidecar: false,
    source: at('Deployment shop/orders', 20),
    ...overrides,
  };
}

/** A Deployment with one container on 8080 and a Service that reaches it. */
function workload(overrides: Partial<ObservedWorkload> = {}): ObservedWorkload {
  return {
    kind: 'Deployment',
    name: 'orders',
    namespace: 'shop',
    source: DEPLOYMENT,
    matchedBy: 'name',
    podLabels: { app: 'orders' },
    podAnnotations: {},
    containers: [container('server')],
    containerPorts: [
      {
        container: 'server',
        port: 8080,
        name: 'http',
        transport: 'TCP',
        source: at('Deployment shop/orders', 25),
      },
    ],
    services: [
      {
        name: 'orders',
        headless: false,
        annotations: {},
        source: at('Service shop/orders', 35),
      },
    ],
    servicePorts: [
      {
        service: 'orders',
        port: 80,
        targetPort: 'http',
        containerPort: 8080,
        name: 'http',
        transport: 'TCP',
        protocol: 'http',
        protocolFrom: 'port name',
        source: SERVICE_PORT,
      },
    ],
    probes: [],
    ...overrides,
  };
}

function observation(...workloads: ObservedWorkload[]): ManifestObservation {
  return { locations: ['./deploy/'], files: 2, workloads, problems: [] };
}

function orders(): Entity {
  return component('orders', { 'mesh-readiness.io/manifests': './deploy/' });
}

function evaluate(
  observed: ManifestObservation | undefined,
  mesh: MeshOption = 'istio-sidecar',
) {
  const svc = orders();
  const context = buildCatalogContext([...baseOrg(), svc], { now: NOW });
  return evaluateEntity(svc, context, {
    recommendedMesh: mesh,
    observations: observed
      ? new Map([['component:default/orders', observed]])
      : undefined,
  });
}

function check(
  id: string,
  observed: ManifestObservation | undefined,
  mesh: MeshOption = 'istio-sidecar',
): CheckResult {
  const found = evaluate(observed, mesh).checks.find(c => c.id === id);
  if (!found) {
    throw new Error(`no result for ${id}`);
  }
  return found;
}

/** The result of a check while no mesh is decided (nothing declares a need). */
function undecided(id: string, observed: ManifestObservation): CheckResult {
  const report = evaluateCatalog([...baseOrg(), orders()], {
    now: NOW,
    observations: new Map([['component:default/orders', observed]]),
  });
  const row = report.entities.find(e => e.name === 'orders')!;
  return row.checks.find(c => c.id === id)!;
}

describe('checks that only manifests make possible', () => {
  it('are registered, weigh 1, gate nothing and read the manifests annotation', () => {
    const definitions = listChecks().filter(c => IDS.includes(c.id));
    expect(definitions.map(c => c.id).sort()).toEqual(IDS);
    for (const d of definitions) {
      expect(d).toMatchObject({ scope: 'entity', weight: 1, gate: false });
      expect(d.reads).toEqual(['mesh-readiness.io/manifests']);
      expect(d.sources.length).toBeGreaterThan(0);
    }
  });

  it.each(IDS)(
    '%s is unknown with the manifests fix when no manifests are linked',
    id => {
      const result = check(id, undefined);
      expect(result.status).toBe('unknown');
      expect(result.message).toMatch(
        /^No manifests are linked \(mesh-readiness\.io\/manifests\), so .+ cannot be checked\.$/,
      );
      expect(result.fixYaml).toBe(
        'metadata:\n  annotations:\n    mesh-readiness.io/manifests: "./deploy/"  # the workload\'s Kubernetes manifests',
      );
      expect(result.evidence).toBeUndefined();
    },
  );

  it.each(IDS)(
    '%s is unknown and says how matching works when no workload matched',
    id => {
      const result = check(id, observation());
      expect(result.status).toBe('unknown');
      expect(result.message).toContain(
        'No workload in the manifests read (./deploy/) matches this component',
      );
      expect(result.message).toContain('backstage.io/kubernetes-id label');
      expect(result.message).toContain(
        'backstage.io/kubernetes-label-selector',
      );
      expect(result.message).toContain("the component's name (orders)");
      expect(result.fixYaml).toContain('backstage.io/kubernetes-id: "orders"');
    },
  );
});

describe('host-network', () => {
  it('fails a pod on the host network, citing where hostNetwork is set', () => {
    const hostNetwork = at('Deployment shop/orders', 12);
    const result = check(
      'host-network',
      observation(workload({ hostNetwork })),
    );
    expect(result.status).toBe('fail');
    expect(result.message).toBe(
      'Deployment orders runs on the host network (hostNetwork: true): neither Istio (sidecar or ambient) nor Linkerd meshes a host-network pod, so its traffic stays outside the mesh.',
    );
    expect(result.evidence).toEqual([
      {
        fact: 'Deployment orders hostNetwork',
        value: 'true',
        source: hostNetwork,
      },
    ]);
  });

  it('passes when no pod uses the host network', () => {
    const result = check('host-network', observation(workload()));
    expect(result.status).toBe('pass');
    expect(result.message).toBe('No pod uses the host network.');
    expect(result.evidence?.[0].source).toEqual(DEPLOYMENT);
  });
});

describe('init-containers', () => {
  const migrate = container('migrate', {
    init: true,
    image: 'flyway:10',
    source: at('Deployment shop/orders', 15),
  });
  const withInit = observation(
    workload({
      containers: [
        migrate,
        // a native sidecar is not an init container that blocks the app
        container('log-shipper', { init: true, nativeSidecar: true }),
        container('server'),
      ],
    }),
  );

  it('warns under a sidecar mesh, naming the init containers', () => {
    for (const mesh of ['istio-sidecar', 'linkerd'] as const) {
      const result = check('init-containers', withInit, mesh);
      expect(result.status).toBe('warn');
      expect(result.message).toMatch(
        /^The init container migrate runs before the sidecar proxy is up under (Istio \(sidecars\)|Linkerd): any network call it makes is redirected to a proxy that is not listening yet/,
      );
      expect(result.message).not.toContain('log-shipper');
      expect(result.assumption).toMatch(/^Assumes /);
      expect(result.evidence).toEqual([
        {
          fact: 'Deployment orders init container migrate',
          value: 'flyway:10',
          source: migrate.source,
        },
      ]);
    }
  });

  it('passes under Istio ambient and Cilium, which add no sidecar', () => {
    for (const mesh of ['istio-ambient', 'cilium'] as const) {
      const result = check('init-containers', withInit, mesh);
      expect(result.status).toBe('pass');
      expect(result.message).toContain('adds no sidecar');
      expect(result.evidence?.[0].source).toEqual(migrate.source);
    }
  });

  it('judges against the sidecar meshes while no mesh is decided, and says so', () => {
    const result = undecided('init-containers', withInit);
    expect(result.status).toBe('warn');
    expect(result.message).toContain('no mesh is decided yet');
    expect(result.assumption).toMatch(/^No mesh is decided yet/);
  });

  it('passes without init containers', () => {
    const result = check('init-containers', observation(workload()));
    expect(result.status).toBe('pass');
    expect(result.message).toBe(
      'No init containers run before the application.',
    );
    expect(result.evidence).toEqual([
      {
        fact: 'Deployment orders init containers',
        value: 'none',
        source: DEPLOYMENT,
      },
    ]);
  });
});

describe('injection-labels', () => {
  it('warns about a pod that opts out, naming key, value and source', () => {
    const result = check(
      'injection-labels',
      observation(
        workload({
          podLabels: { app: 'orders', 'sidecar.istio.io/inject': 'false' },
        }),
      ),
    );
    expect(result.status).toBe('warn');
    expect(result.message).toBe(
      'sidecar.istio.io/inject: "false" (pod label of Deployment orders) keeps it out of Istio\'s sidecar mode: the workload would stay outside the mesh unless this is removed.',
    );
    expect(result.evidence).toEqual([
      {
        fact: 'pod label of Deployment orders: sidecar.istio.io/inject',
        value: 'false',
        source: DEPLOYMENT,
      },
    ]);
  });

  it('warns about opt-outs on the Namespace, for Linkerd and for ambient', () => {
    const result = check(
      'injection-labels',
      observation(
        workload({
          podAnnotations: { 'linkerd.io/inject': 'disabled' },
          podLabels: { 'istio.io/dataplane-mode': 'none' },
          namespaceLabels: {
            labels: { 'istio-injection': 'disabled' },
            source: NAMESPACE,
          },
        }),
      ),
    );
    expect(result.status).toBe('warn');
    expect(result.message).toContain(
      'istio-injection: "disabled" (label of Namespace shop) keeps it out of Istio\'s sidecar mode',
    );
    expect(result.message).toContain(
      'linkerd.io/inject: "disabled" (pod annotation of Deployment orders) keeps it out of Linkerd',
    );
    expect(result.message).toContain(
      'istio.io/dataplane-mode: "none" (pod label of Deployment orders) keeps it out of Istio\'s ambient mode',
    );
    expect(result.evidence?.map(e => e.source)).toContain(NAMESPACE);
  });

  it('fails a Namespace labelled both istio-injection and istio.io/rev (IST0123)', () => {
    const result = check(
      'injection-labels',
      observation(
        workload({
          namespaceLabels: {
            labels: { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' },
            source: NAMESPACE,
          },
        }),
      ),
    );
    expect(result.status).toBe('fail');
    expect(result.message).toBe(
      'Injection labels conflict: istio-injection: "enabled" (label of Namespace shop) and istio.io/rev: "canary" (label of Namespace shop) both select Istio injection (istioctl analyze IST0123: keep one).',
    );
    expect(result.evidence?.every(e => e.source === NAMESPACE)).toBe(true);
  });

  it('fails when Istio and Linkerd injection are both enabled', () => {
    const result = check(
      'injection-labels',
      observation(
        workload({
          podAnnotations: { 'linkerd.io/inject': 'enabled' },
          namespaceLabels: {
            labels: { 'istio-injection': 'enabled' },
            source: NAMESPACE,
          },
        }),
      ),
    );
    expect(result.status).toBe('fail');
    expect(result.message).toContain(
      'istio-injection: "enabled" (label of Namespace shop) enables Istio and linkerd.io/inject: "enabled" (pod annotation of Deployment orders) enables Linkerd: a pod can be in one mesh only',
    );
  });

  it('passes with injection enabled, and with nothing set yet', () => {
    const enabled = check(
      'injection-labels',
      observation(
        workload({
          namespaceLabels: {
            labels: { 'istio-injection': 'enabled' },
            source: NAMESPACE,
          },
        }),
      ),
    );
    expect(enabled.status).toBe('pass');
    expect(enabled.message).toBe(
      'Injection is enabled: istio-injection: "enabled" (label of Namespace shop).',
    );
    expect(enabled.evidence?.[0].source).toEqual(NAMESPACE);

    const nothing = check('injection-labels', observation(workload()));
    expect(nothing.status).toBe('pass');
    expect(nothing.message).toBe(
      "No injection labels yet: the mesh's namespace label will decide.",
    );
    expect(nothing.evidence?.[0].source).toEqual(DEPLOYMENT);
  });
});

describe('service-account-token', () => {
  const tokenSource = at('ServiceAccount shop/orders', 60);
  const off = observation(
    workload({
      automountServiceAccountToken: { value: false, source: tokenSource },
    }),
  );

  it('warns under Linkerd, whose injector may skip a pod without the token', () => {
    const result = check('service-account-token', off, 'linkerd');
    expect(result.status).toBe('warn');
    expect(result.message).toMatch(
      /^Deployment orders turns off the ServiceAccount token \(automountServiceAccountToken: false\): Linkerd's proxy injector has listed it among its reasons to skip a pod/,
    );
    expect(result.message).toContain('the workload stays outside the mesh');
    expect(result.evidence).toEqual([
      {
        fact: 'Deployment orders automountServiceAccountToken',
        value: 'false',
        source: tokenSource,
      },
    ]);
  });

  it('passes under Istio, whose sidecar mounts a token of its own', () => {
    const result = check('service-account-token', off, 'istio-sidecar');
    expect(result.status).toBe('pass');
    expect(result.message).toContain(
      'Istio (sidecars) does not need it (the sidecar mounts a projected token of its own). It would matter under Linkerd.',
    );
    expect(result.evidence?.[0].source).toEqual(tokenSource);
  });

  it('warns, naming Linkerd, while no mesh is decided', () => {
    const result = undecided('service-account-token', off);
    expect(result.status).toBe('warn');
    expect(result.message).toContain('This matters if Linkerd is adopted');
    expect(result.evidence?.[0].source).toEqual(tokenSource);
  });

  it('passes when the token is mounted or left to the default', () => {
    const unset = check(
      'service-account-token',
      observation(workload()),
      'linkerd',
    );
    expect(unset.status).toBe('pass');
    expect(unset.evidence).toEqual([
      {
        fact: 'Deployment orders automountServiceAccountToken',
        value: 'not set (true)',
        source: DEPLOYMENT,
      },
    ]);
    const on = check(
      'service-account-token',
      observation(
        workload({
          automountServiceAccountToken: { value: true, source: tokenSource },
        }),
      ),
      'linkerd',
    );
    expect(on.status).toBe('pass');
    expect(on.evidence?.[0]).toMatchObject({
      value: 'true',
      source: tokenSource,
    });
  });
});

describe('target-ports', () => {
  it('warns about a targetPort no container declares (KIA0701)', () => {
    const metricsPort = at('Service shop/orders', 44);
    const result = check(
      'target-ports',
      observation(
        workload({
          servicePorts: [
            workload().servicePorts[0],
            {
              service: 'orders',
              port: 9090,
              targetPort: 'metrics',
              transport: 'TCP',
              protocolFrom: 'none',
              source: metricsPort,
            },
          ],
        }),
      ),
    );
    expect(result.status).toBe('warn');
    expect(result.message).toBe(
      'Service orders port 9090 (targetPort metrics): no container declares that port (Kiali KIA0701), so traffic for it may not reach the workload.',
    );
    expect(result.evidence).toEqual([
      {
        fact: 'Service orders port 9090 targetPort',
        value: 'metrics (no matching container port)',
        source: metricsPort,
      },
    ]);
  });

  it('is not applicable when no Service selects the workload', () => {
    const result = check(
      'target-ports',
      observation(workload({ services: [], servicePorts: [] })),
    );
    expect(result.status).toBe('not-applicable');
    expect(result.message).toBe('No Service selects this workload.');
    expect(result.evidence?.[0].source).toEqual(DEPLOYMENT);
  });

  it('passes when every targetPort resolves', () => {
    const result = check('target-ports', observation(workload()));
    expect(result.status).toBe('pass');
    expect(result.message).toBe(
      'Every Service port reaches a container port: orders:80 → 8080.',
    );
    expect(result.evidence).toEqual([
      {
        fact: 'Service orders port 80 targetPort',
        value: 'http → container port 8080',
        source: SERVICE_PORT,
      },
    ]);
  });
});
