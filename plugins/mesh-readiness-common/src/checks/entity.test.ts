import type { Entity } from '@backstage/catalog-model';
import { buildCatalogContext } from '../context';
import { evaluateEntity, listChecks } from '../engine';
import type { CheckStatus, MeshOption } from '../types';
import {
  baseOrg,
  cluster,
  component,
  group,
  READY,
} from '../__testUtils__/entities';

const NOW = new Date('2026-06-01T00:00:00Z');

function evaluate(
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
  mesh: MeshOption = 'istio-sidecar',
  extra: Entity[] = [],
  metadata: Record<string, unknown> = {},
) {
  const svc = component(
    'svc',
    annotations,
    { dependsOn: ['resource:default/prod'], ...spec },
    metadata,
  );
  const context = buildCatalogContext([...baseOrg(), ...extra, svc], {
    now: NOW,
  });
  return evaluateEntity(svc, context, { recommendedMesh: mesh });
}

function check(
  id: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
  mesh: MeshOption = 'istio-sidecar',
  extra: Entity[] = [],
  metadata: Record<string, unknown> = {},
) {
  const result = evaluate(annotations, spec, mesh, extra, metadata);
  const found = result.checks.find(c => c.id === id);
  if (!found) {
    throw new Error(`no result for ${id}`);
  }
  return found;
}

type Case = [
  string,
  Record<string, string>,
  CheckStatus,
  RegExp,
  {
    spec?: Record<string, unknown>;
    mesh?: MeshOption;
    extra?: Entity[];
    metadata?: Record<string, unknown>;
  }?,
];

const P = 'mesh-readiness.io/';

describe('entity checks', () => {
  it.each<Case>([
    // owner
    ['owner', {}, 'pass', /Owned by group:default\/team-a \(1 member\)/],
    [
      'owner',
      {},
      'unknown',
      /spec.owner is not set/,
      { spec: { owner: undefined } },
    ],
    [
      'owner',
      {},
      'fail',
      /spec.owner group:default\/ghosts is not in the catalog/,
      { spec: { owner: 'group:default/ghosts' } },
    ],
    [
      'owner',
      {},
      'warn',
      /the person user:default\/bob/,
      { spec: { owner: 'user:bob' } },
    ],
    [
      'owner',
      {},
      'warn',
      /without members/,
      { spec: { owner: 'empty' }, extra: [group('empty')] },
    ],
    [
      'owner',
      {},
      'invalid',
      /not an entity reference/,
      { spec: { owner: 'a/b/c' } },
    ],
    // cost-inputs
    [
      'cost-inputs',
      { [`${P}replicas`]: '3', [`${P}peak-rps`]: '250' },
      'pass',
      /3 pods at 250 requests\/s at peak/,
    ],
    [
      'cost-inputs',
      { [`${P}replicas`]: '3' },
      'unknown',
      /^mesh-readiness.io\/peak-rps not set, so the cost estimate leaves this service out/,
    ],
    [
      'cost-inputs',
      { [`${P}replicas`]: 'many', [`${P}peak-rps`]: '250' },
      'invalid',
      /replicas/,
    ],
    // lifecycle
    ['lifecycle', {}, 'pass', /'production'/],
    ['lifecycle', {}, 'unknown', /not set/, { spec: { lifecycle: undefined } }],
    // cluster-known
    ['cluster-known', {}, 'pass', /Runs on resource:default\/prod/],
    [
      'cluster-known',
      {},
      'unknown',
      /names no kubernetes-cluster Resource/,
      { spec: { dependsOn: [] } },
    ],
    [
      'cluster-known',
      {},
      'unknown',
      /none is a Resource of spec.type kubernetes-cluster/,
      { spec: { dependsOn: ['resource:default/db'] } },
    ],
    // tracing
    ['tracing', { [`${P}tracing`]: 'full' }, 'pass', /'full'/],
    ['tracing', { [`${P}tracing`]: 'partial' }, 'warn', /'partial'/],
    ['tracing', { [`${P}tracing`]: 'none' }, 'fail', /'none'/],
    ['tracing', {}, 'unknown', /not set/],
    [
      'tracing',
      { [`${P}tracing`]: 'yes' },
      'invalid',
      /'yes' is not a known tracing level/,
    ],
    // protocols
    ['protocols', { [`${P}ports`]: '8080/http' }, 'pass', /1 port declared/],
    ['protocols', {}, 'unknown', /ports is not set/],
    [
      'protocols',
      { [`${P}ports`]: '8080/grcp' },
      'invalid',
      /did you mean 'grpc'/,
    ],
    // port-conflicts
    [
      'port-conflicts',
      { [`${P}ports`]: '8080/http, 9090/grpc' },
      'pass',
      /single protocol/,
    ],
    [
      'port-conflicts',
      { [`${P}ports`]: '8080/http, 8080/grpc' },
      'fail',
      /8080 \(http and grpc\)/,
    ],
    [
      'port-conflicts',
      { [`${P}ports`]: '53/dns, 53/udp' },
      'pass',
      /single protocol/,
    ],
    // server-first-protocols
    [
      'server-first-protocols',
      { [`${P}ports`]: '8080/http' },
      'pass',
      /No server-first protocol/,
    ],
    [
      'server-first-protocols',
      { [`${P}ports`]: '5433/postgres' },
      'fail',
      /5433 is not declared opaque/,
    ],
    ['server-first-protocols', { [`${P}ports`]: '4222/nats' }, 'fail', /4222/],
    [
      'server-first-protocols',
      { [`${P}ports`]: '4222/nats', [`${P}opaque-ports`]: '4222' },
      'pass',
      /opaque/,
    ],
    [
      'server-first-protocols',
      { [`${P}ports`]: '3306/mysql' },
      'pass',
      /handled by both meshes/,
    ],
    [
      'server-first-protocols',
      { [`${P}ports`]: '5432/postgres' },
      'warn',
      /handled by default by Linkerd only/,
    ],
    [
      'server-first-protocols',
      { [`${P}ports`]: '27017/mongodb' },
      'warn',
      /Istio only/,
    ],
    ['server-first-protocols', {}, 'unknown', /not set/],
    [
      'server-first-protocols',
      { [`${P}ports`]: '4222/nats', [`${P}opaque-ports`]: 'x' },
      'invalid',
      /not a port number/,
    ],
    // opaque-ports
    [
      'opaque-ports',
      { [`${P}ports`]: '5432/postgres' },
      'not-applicable',
      /not set/,
    ],
    [
      'opaque-ports',
      { [`${P}ports`]: '5432/postgres', [`${P}opaque-ports`]: '5432' },
      'pass',
      /5432/,
    ],
    [
      'opaque-ports',
      { [`${P}ports`]: '5432/postgres', [`${P}opaque-ports`]: '6379' },
      'warn',
      /6379 is not among the declared ports/,
    ],
    [
      'opaque-ports',
      { [`${P}ports`]: '8080/http', [`${P}opaque-ports`]: '8080' },
      'warn',
      /would lose L7 features/,
    ],
    // reserved-ports
    [
      'reserved-ports',
      { [`${P}ports`]: '8080/http' },
      'pass',
      /No declared port/,
    ],
    [
      'reserved-ports',
      { [`${P}ports`]: '15001/http' },
      'fail',
      /15001 \(Istio\)/,
    ],
    [
      'reserved-ports',
      { [`${P}ports`]: '4143/tcp' },
      'fail',
      /4143 \(Linkerd\)/,
    ],
    // udp
    ['udp', { [`${P}ports`]: '8080/http' }, 'pass', /No UDP/],
    ['udp', { [`${P}ports`]: '514/udp' }, 'warn', /514 will not be proxied/],
    [
      'udp',
      { [`${P}ports`]: '514/udp', [`${P}compliance`]: 'pci' },
      'fail',
      /compliance scope \(pci\)/,
    ],
    // grpc-load-balancing
    [
      'grpc-load-balancing',
      { [`${P}ports`]: '9090/grpc' },
      'pass',
      /9090\/grpc/,
    ],
    [
      'grpc-load-balancing',
      { [`${P}ports`]: '8080/http' },
      'not-applicable',
      /No gRPC/,
    ],
    // proxy-uid
    ['proxy-uid', { [`${P}run-as-uid`]: '1000' }, 'pass', /UID 1000/],
    ['proxy-uid', { [`${P}run-as-uid`]: '1337' }, 'fail', /Istio's sidecar/],
    [
      'proxy-uid',
      { [`${P}run-as-uid`]: '1337' },
      'warn',
      /if Istio sidecars were adopted/,
      { mesh: 'linkerd' },
    ],
    [
      'proxy-uid',
      { [`${P}run-as-uid`]: '2102' },
      'fail',
      /Linkerd's proxy/,
      { mesh: 'linkerd' },
    ],
    [
      'proxy-uid',
      { [`${P}run-as-uid`]: '2102' },
      'warn',
      /Linkerd's proxy/,
      { mesh: 'istio-sidecar' },
    ],
    ['proxy-uid', {}, 'unknown', /cannot be ruled out/],
    [
      'proxy-uid',
      { [`${P}run-as-uid`]: 'root' },
      'invalid',
      /not a whole number/,
    ],
    // pod-security
    ['pod-security', { [`${P}pod-security`]: 'baseline' }, 'pass', /baseline/],
    [
      'pod-security',
      { [`${P}pod-security`]: 'restricted' },
      'warn',
      /CNI plugin/,
    ],
    [
      'pod-security',
      { [`${P}pod-security`]: 'restricted' },
      'pass',
      /adds no init container/,
      { mesh: 'istio-ambient' },
    ],
    ['pod-security', {}, 'unknown', /not set/],
    // bind-address
    ['bind-address', { [`${P}bind-address`]: '0.0.0.0' }, 'pass', /0.0.0.0/],
    [
      'bind-address',
      { [`${P}bind-address`]: '127.0.0.1' },
      'fail',
      /other pods cannot reach it/,
    ],
    ['bind-address', { [`${P}bind-address`]: '::1' }, 'fail', /::1/],
    [
      'bind-address',
      { [`${P}bind-address`]: 'localhost' },
      'fail',
      /localhost/,
    ],
    ['bind-address', {}, 'unknown', /not set/],
    [
      'bind-address',
      { [`${P}bind-address`]: 'nope' },
      'invalid',
      /not an IP address/,
    ],
    // probes
    ['probes', { [`${P}probes`]: 'http, exec' }, 'pass', /http, exec/],
    ['probes', { [`${P}probes`]: 'tcp' }, 'warn', /TCP probes always succeed/],
    ['probes', {}, 'unknown', /not set/],
    // batch-workload
    ['batch-workload', {}, 'not-applicable', /Not a batch workload/],
    [
      'batch-workload',
      {},
      'pass',
      /supports native sidecars/,
      { spec: { type: 'job' } },
    ],
    [
      'batch-workload',
      {},
      'pass',
      /adds no sidecar/,
      { spec: { type: 'cronjob' }, mesh: 'istio-ambient' },
    ],
    [
      'batch-workload',
      {},
      'fail',
      /native sidecars need 1.29\+/,
      {
        spec: { type: 'job', dependsOn: ['resource:default/old'] },
        extra: [
          cluster('old', { 'mesh-readiness.io/kubernetes-version': '1.27' }),
        ],
      },
    ],
    [
      'batch-workload',
      {},
      'unknown',
      /Kubernetes version of the cluster is unknown/,
      { spec: { type: 'job', dependsOn: [] } },
    ],
    [
      'batch-workload',
      {},
      'pass',
      /native sidecars/,
      { metadata: { tags: ['batch'] } },
    ],
    // headless
    ['headless', { [`${P}headless`]: 'false' }, 'pass', /ClusterIP/],
    ['headless', { [`${P}headless`]: 'true' }, 'warn', /Headless/],
    [
      'headless',
      { [`${P}headless`]: 'true', [`${P}needs`]: 'canary' },
      'fail',
      /asks for canary/,
    ],
    ['headless', {}, 'unknown', /not set/],
    // timeouts
    ['timeouts', { [`${P}timeouts`]: 'true' }, 'pass', /configured/],
    ['timeouts', { [`${P}timeouts`]: 'false' }, 'fail', /no timeouts/],
    ['timeouts', {}, 'unknown', /not set/],
    // retry-policy
    [
      'retry-policy',
      { [`${P}retries`]: 'idempotent-only' },
      'pass',
      /idempotent calls only/,
    ],
    ['retry-policy', { [`${P}retries`]: 'none' }, 'pass', /does not retry/],
    [
      'retry-policy',
      { [`${P}retries`]: 'all' },
      'fail',
      /each attempt can become 3/,
    ],
    ['retry-policy', {}, 'unknown', /not set/],
    // retry-safety without the analysis
    ['retry-safety', {}, 'unknown', /API analysis not run/],
    // compliance-mtls-scope
    ['compliance-mtls-scope', {}, 'not-applicable', /No compliance scope/],
    [
      'compliance-mtls-scope',
      { [`${P}compliance`]: 'pci' },
      'unknown',
      /mtls-requirement is not set/,
    ],
    [
      'compliance-mtls-scope',
      { [`${P}compliance`]: 'pci', [`${P}mtls-requirement`]: 'encryption' },
      'pass',
      /requires encryption/,
    ],
    [
      'compliance-mtls-scope',
      { [`${P}compliance`]: 'pci', [`${P}mtls-requirement`]: 'none' },
      'warn',
      /confirm with the auditor/,
    ],
    [
      'compliance-mtls-scope',
      {},
      'unknown',
      /In compliance scope \(hipaa\)/,
      { metadata: { tags: ['hipaa'] } },
    ],
  ])('%s with %j → %s', (id, annotations, status, message, opts = {}) => {
    const result = check(
      id,
      annotations,
      opts.spec,
      opts.mesh,
      opts.extra,
      opts.metadata,
    );
    expect(result.status).toBe(status);
    expect(result.message).toMatch(message);
  });

  it('gives every non-passing check with an annotation input an entity-specific fix', () => {
    const result = evaluate({
      [`${P}ports`]: '8080/http, 4222/nats, 5433/postgres',
      [`${P}opaque-ports`]: '4222',
    });
    const sf = result.checks.find(c => c.id === 'server-first-protocols')!;
    expect(sf.status).toBe('fail');
    expect(sf.fixYaml).toBe(
      'metadata:\n  annotations:\n    mesh-readiness.io/opaque-ports: "4222, 5433"  # after marking these ports opaque/TCP in the mesh',
    );
    const tracing = result.checks.find(c => c.id === 'tracing')!;
    expect(tracing.fixYaml).toContain('mesh-readiness.io/tracing: "full"');
  });

  it('proposes the only cluster of the catalog in the cluster-known fix', () => {
    const result = check('cluster-known', {}, { dependsOn: [] });
    expect(result.fixYaml).toBe(
      'spec:\n  dependsOn:  # the kubernetes-cluster Resource it runs on\n    - "resource:default/prod"',
    );
  });

  it('leaves an unknown owner unknown when the catalog holds no Groups (a CLI run on one file)', () => {
    const svc = component('svc', {}, { owner: 'group:default/ghosts' });
    const context = buildCatalogContext([svc], { now: NOW });
    const owner = evaluateEntity(svc, context, {
      recommendedMesh: 'istio-sidecar',
    }).checks.find(c => c.id === 'owner');
    expect(owner).toMatchObject({
      status: 'unknown',
      message: expect.stringMatching(/which holds no Groups/),
    });
  });

  it('passes every check that has an input for a ready service', () => {
    const result = evaluate(READY);
    const notPassing = result.checks.filter(
      c => c.status !== 'pass' && c.status !== 'not-applicable',
    );
    // retry-safety needs the API analysis; the checks that only manifests
    // make possible need mesh-readiness.io/manifests.
    expect(notPassing.map(c => c.id)).toEqual([
      'target-ports',
      'host-network',
      'injection-labels',
      'service-account-token',
      'init-containers',
      'retry-safety',
    ]);
  });
});

describe('the catalogue', () => {
  it('contains the pinned ids and at least 25 checks', () => {
    const ids = listChecks().map(c => c.id);
    for (const pinned of [
      'owner',
      'tracing',
      'protocols',
      'server-first-protocols',
      'proxy-uid',
      'retry-safety',
      'genuine-need',
      'platform-capacity',
      'observability',
    ]) {
      expect(ids).toContain(pinned);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(25);
  });

  it.each(listChecks().map(c => [c.id, c] as const))(
    '%s is fully documented',
    (_id, d) => {
      expect(d.title).not.toBe('');
      expect(d.rationale.length).toBeGreaterThan(40);
      expect(d.remediation.length).toBeGreaterThan(10);
      expect(d.appliesTo).not.toBe('');
      expect(d.sources.length).toBeGreaterThan(0);
      for (const s of d.sources) {
        expect(s.url).toMatch(/^https:\/\//);
      }
      expect(d.remediationYaml ?? 'metadata:\n').toMatch(/^(metadata|spec):\n/);
    },
  );
});
