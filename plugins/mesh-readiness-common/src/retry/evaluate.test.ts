import { parse, parseAllDocuments } from 'yaml';
import { MeshOption } from '../types';
import { analyzeApis } from './analyze';
import { evaluateRetrySafety, RetrySafetyInput } from './evaluate';
import { istioSnippet, linkerdSnippet, RouteOperation } from './snippets';
import { ApiAnalysis } from './types';
import { retrySafety } from '../checks/entity/retrySafety';
import { apiEntity, componentEntity, fixture } from './__fixtures__/entities';

let analyses: Map<string, ApiAnalysis>;

beforeAll(async () => {
  analyses = await analyzeApis([
    apiEntity('payments-api', 'openapi', fixture('payments-swagger2.json')),
    apiEntity('orders-api', 'openapi', fixture('orders-swagger2.yaml')),
    apiEntity('checkout-api', 'openapi', fixture('checkout-openapi3.yaml')),
    apiEntity('payments-grpc', 'grpc', fixture('payments.proto')),
    apiEntity('broken-api', 'openapi', fixture('malformed-openapi.yaml.txt')),
    apiEntity('search-graph', 'graphql', 'type Query { a: String }'),
    apiEntity(
      'stripe-api',
      'openapi',
      fixture('billing-stripe-shaped-swagger2.json'),
    ),
    apiEntity(
      'catalog-api',
      'openapi',
      'openapi: 3.0.3\ninfo: { title: c, version: "1" }\npaths:\n  /products/{id}:\n    get:\n      responses: { "200": { description: ok } }\n',
    ),
  ]);
});

function evaluate(
  overrides: Partial<RetrySafetyInput> & { providedApis: string[] },
) {
  return evaluateRetrySafety({
    component: componentEntity('payments'),
    analyses,
    noRetryRoutes: [],
    mesh: 'istio-sidecar',
    appRetries: 'idempotent-only',
    ...overrides,
  });
}

function unsafeOps(result: ReturnType<typeof evaluate>): string[] {
  return (result.operations ?? [])
    .filter(o => o.retrySafe === false)
    .map(o => o.operation)
    .sort();
}

describe('evaluateRetrySafety', () => {
  it('fails under Istio, naming exactly the unsafe operations of an HTTP service', () => {
    const result = evaluate({ providedApis: ['payments-api'] });
    expect(result.status).toBe('fail');
    expect(unsafeOps(result)).toEqual(['POST /payments/{paymentId}/capture']);
    expect(result.message).toContain(
      'POST /payments/{paymentId}/capture (api:default/payments-api)',
    );
    expect(result.message).toContain('Istio (sidecar)');
    expect(result.perMesh).toEqual({
      none: 'safe',
      cilium: 'safe',
      linkerd: 'safe',
      'istio-ambient': 'unsafe',
      'istio-sidecar': 'unsafe',
    });
    expect(result.message).toContain(
      'Safe under Cilium, Linkerd; unsafe under Istio (ambient), Istio (sidecar).',
    );
    const op = result.operations!.find(
      o => o.operation === 'POST /payments/{paymentId}/capture',
    )!;
    expect(op).toMatchObject({
      api: 'api:default/payments-api',
      idempotent: false,
      retrySafe: false,
    });
    expect(op.reason).toContain('RFC 9110');
    expect(op.reason).toContain('2 retries');
  });

  it('fails a gRPC service on its rpcs without idempotency_level, streaming ones included', () => {
    const result = evaluate({
      providedApis: ['api:default/payments-grpc'],
      mesh: 'istio-ambient',
    });
    expect(result.status).toBe('fail');
    expect(unsafeOps(result)).toEqual([
      'acme.payments.v1.PaymentService/CapturePayment',
      'acme.payments.v1.PaymentService/RefundPayment',
      'acme.payments.v1.PaymentService/UploadSettlementBatch',
    ]);
    expect(
      result.operations!.find(o =>
        o.operation.endsWith('/UploadSettlementBatch'),
      )!.streaming,
    ).toBe(true);
  });

  it('passes under Linkerd and Cilium, which do not retry by default', () => {
    for (const mesh of ['linkerd', 'cilium'] as MeshOption[]) {
      const result = evaluate({
        providedApis: ['payments-api', 'payments-grpc'],
        mesh,
      });
      expect(result.status).toBe('pass');
      expect(result.operations!.every(o => o.retrySafe === true)).toBe(true);
      // Snippets are still offered so the Istio option can be made safe too.
      expect(result.snippets!.map(s => s.mesh)[0]).toBe(
        mesh === 'linkerd' ? 'linkerd' : 'istio-sidecar',
      );
    }
  });

  it('passes once the unsafe operations are listed in no-retry-routes (method case-insensitive)', () => {
    const result = evaluate({
      providedApis: ['payments-api', 'payments-grpc'],
      noRetryRoutes: [
        'post /payments/{paymentId}/capture',
        'acme.payments.v1.PaymentService/CapturePayment',
        '/acme.payments.v1.PaymentService/RefundPayment',
        'acme.payments.v1.PaymentService/UploadSettlementBatch',
      ],
    });
    expect(result.status).toBe('pass');
    expect(
      result.operations!.filter(o => o.reason.includes('no-retry-routes')),
    ).toHaveLength(4);
    expect(result.perMesh!['istio-sidecar']).toBe('safe');
  });

  it('matches the exact path template only, and says which entries match nothing', () => {
    const result = evaluate({
      providedApis: ['payments-api'],
      noRetryRoutes: ['POST /payments/{id}/capture', 'payments-capture'],
    });
    expect(result.status).toBe('fail');
    expect(result.message).toContain(
      "'POST /payments/{id}/capture', which matches no operation",
    );
    expect(result.message).toContain("'payments-capture' are neither");
  });

  it('is invalid when a provided API definition is malformed, naming the API', () => {
    const result = evaluate({ providedApis: ['catalog-api', 'broken-api'] });
    expect(result.status).toBe('invalid');
    expect(result.message).toContain('api:default/broken-api');
  });

  it('still fails when another API is invalid, and mentions it', () => {
    const result = evaluate({ providedApis: ['payments-api', 'broken-api'] });
    expect(result.status).toBe('fail');
    expect(result.message).toContain('api:default/broken-api');
  });

  it('is unknown when the component provides no APIs', () => {
    const result = evaluate({ providedApis: [] });
    expect(result.status).toBe('unknown');
    expect(result.message).toContain(
      'component:default/payments lists no spec.providesApis',
    );
  });

  it('is unknown when no provided API could be analysed', () => {
    const result = evaluate({
      providedApis: ['search-graph', 'not-registered'],
    });
    expect(result.status).toBe('unknown');
    expect(result.message).toContain("spec.type 'graphql'");
    expect(result.message).toContain('api:default/not-registered');
    expect(result.message).toContain('not found in the catalog');
  });

  it('is unknown under Istio when only some APIs could be read, warn under Linkerd', () => {
    const istio = evaluate({ providedApis: ['catalog-api', 'search-graph'] });
    expect(istio.status).toBe('unknown');
    expect(istio.perMesh!['istio-sidecar']).toBe('unknown');
    const linkerd = evaluate({
      providedApis: ['catalog-api', 'search-graph'],
      mesh: 'linkerd',
    });
    expect(linkerd.status).toBe('warn');
    expect(linkerd.message).toContain("spec.type 'graphql'");
  });

  it('never caps a service under a mesh that retries nothing because a definition is unreadable', () => {
    for (const mesh of ['linkerd', 'cilium'] as const) {
      const invalid = evaluate({ providedApis: ['broken-api'], mesh });
      expect(invalid.status).toBe('warn');
      expect(invalid.message).toContain('retries nothing by default');
      expect(invalid.message).toContain('api:default/broken-api');
      const unread = evaluate({ providedApis: ['search-graph'], mesh });
      expect(unread.status).toBe('warn');
    }
    // Under Istio, which retries by default, an invalid definition stays invalid.
    expect(evaluate({ providedApis: ['broken-api'] }).status).toBe('invalid');
  });

  it('checks the operations of a definition read in part, and names the parts left out', () => {
    const result = evaluate({ providedApis: ['stripe-api'] });
    expect(result.status).toBe('fail');
    expect(unsafeOps(result)).toEqual([
      'POST /v1/charges',
      'POST /v1/charges/{charge}',
    ]);
    expect(result.message).toContain(
      "part(s) of the definition could not be read and were left out: /paths/~1v1~1payouts ($ref '#/x-paths/payouts' points to nothing in the definition",
    );
    const linkerd = evaluate({ providedApis: ['stripe-api'], mesh: 'linkerd' });
    expect(linkerd.status).toBe('pass');
    expect(linkerd.message).toContain('could not be read and were left out');
  });

  it('is not-applicable when no mesh is planned', () => {
    const result = evaluate({ providedApis: ['payments-api'], mesh: 'none' });
    expect(result.status).toBe('not-applicable');
    expect(result.perMesh!['istio-sidecar']).toBe('unsafe');
  });

  it('passes a service whose operations are all idempotent, without snippets', () => {
    const result = evaluate({ providedApis: ['catalog-api'] });
    expect(result.status).toBe('pass');
    expect(result.snippets).toBeUndefined();
  });

  it('warns about retry amplification when the app retries everything itself', () => {
    const result = evaluate({
      providedApis: ['catalog-api'],
      appRetries: 'all',
    });
    expect(result.status).toBe('warn');
    expect(result.message).toContain("'idempotent-only'");
  });

  it('suggests the no-retry-routes annotation as the catalog fix', () => {
    const result = evaluate({ providedApis: ['orders-api'] });
    const fix = parse(result.fixYaml!);
    expect(fix.metadata.annotations['mesh-readiness.io/no-retry-routes']).toBe(
      'POST /orders/{orderId}/cancel, PATCH /orders/{orderId}/notes',
    );
  });
});

describe('retry-safety snippets', () => {
  it('gives an Istio VirtualService that narrows retries on the unsafe routes, then a default route', () => {
    const result = evaluateRetrySafety({
      component: componentEntity('checkout', {
        'backstage.io/kubernetes-id': 'checkout-svc',
      }),
      providedApis: ['checkout-api', 'payments-grpc'],
      analyses,
      noRetryRoutes: [],
      mesh: 'istio-sidecar',
    });
    const snippet = result.snippets!.find(s => s.mesh === 'istio-sidecar')!;
    expect(snippet.sources.map(s => s.url)).toContain(
      'https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry',
    );
    const vs = parse(snippet.yaml);
    expect(vs).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      spec: { hosts: ['checkout-svc'] },
    });
    const [unsafe, fallback] = vs.spec.http;
    expect(unsafe.retries).toEqual({
      attempts: 2,
      retryOn: 'connect-failure,refused-stream',
    });
    expect(unsafe.match).toEqual([
      // servers: /checkout/v2 is prefixed; path templates become one-segment regexes.
      {
        method: { exact: 'PATCH' },
        uri: { regex: '/checkout/v2/carts/[^/]+' },
      },
      {
        method: { exact: 'POST' },
        uri: { exact: '/checkout/v2/webhooks/payment-events' },
      },
      { uri: { exact: '/acme.payments.v1.PaymentService/CapturePayment' } },
      { uri: { exact: '/acme.payments.v1.PaymentService/RefundPayment' } },
      {
        uri: {
          exact: '/acme.payments.v1.PaymentService/UploadSettlementBatch',
        },
      },
    ]);
    expect(fallback).toEqual({
      name: 'default',
      route: [{ destination: { host: 'checkout-svc' } }],
    });
    expect(snippet.yaml).toContain('attempts: 0');
    expect(snippet.yaml).not.toContain('&');
  });

  it('gives Linkerd routes: no retry annotation on the unsafe ones, opt-in on the idempotent ones', () => {
    const result = evaluate({
      providedApis: ['payments-api', 'payments-grpc'],
    });
    const snippet = result.snippets!.find(s => s.mesh === 'linkerd')!;
    expect(snippet.sources[0].url).toBe(
      'https://linkerd.io/2-edge/reference/retries/',
    );
    const docs = parseAllDocuments(snippet.yaml);
    expect(Array.isArray(docs)).toBe(true);
    const objects = (docs as any[]).map(d => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    expect(objects.map(o => `${o.kind} ${o.metadata.name}`)).toEqual([
      'HTTPRoute payments-no-retry',
      'GRPCRoute payments-grpc-no-retry',
      'HTTPRoute payments-retry',
      'GRPCRoute payments-grpc-retry',
    ]);
    const [httpNoRetry, grpcNoRetry, httpRetry, grpcRetry] = objects;
    expect(httpNoRetry.metadata.annotations).toBeUndefined();
    expect(httpNoRetry.spec.parentRefs).toEqual([
      { name: 'payments', kind: 'Service', group: 'core' },
    ]);
    expect(httpNoRetry.spec.rules[0].matches).toEqual([
      {
        method: 'POST',
        path: {
          type: 'RegularExpression',
          value: '/v1/payments/[^/]+/capture',
        },
      },
    ]);
    expect(grpcNoRetry.spec.rules[0].matches).toContainEqual({
      method: {
        type: 'Exact',
        service: 'acme.payments.v1.PaymentService',
        method: 'CapturePayment',
      },
    });
    expect(httpRetry.metadata.annotations).toEqual({
      'retry.linkerd.io/http': '5xx',
      'retry.linkerd.io/limit': '2',
    });
    expect(httpRetry.spec.rules[0].matches).toContainEqual({
      method: 'GET',
      path: { type: 'Exact', value: '/v1/payments' },
    });
    expect(grpcRetry.metadata.annotations['retry.linkerd.io/grpc']).toBe(
      'unavailable',
    );
  });

  it('produces YAML that parses for every fixture and mesh', () => {
    for (const mesh of [
      'istio-sidecar',
      'istio-ambient',
      'linkerd',
    ] as MeshOption[]) {
      const result = evaluate({
        providedApis: [
          'payments-api',
          'orders-api',
          'checkout-api',
          'payments-grpc',
        ],
        mesh,
      });
      expect(result.snippets).toHaveLength(3);
      for (const snippet of result.snippets!) {
        for (const doc of parseAllDocuments(snippet.yaml) as any[]) {
          expect(doc.errors).toEqual([]);
        }
        expect(snippet.sources.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('retry-safety snippets shared between components', () => {
  // Components with the same APIs share the generated snippets; the host is
  // filled in afterwards. The result must be what the builders give for
  // that host, whatever the host looks like.
  const hosts = [
    'checkout-svc',
    'a',
    'Checkout',
    'true',
    'yes',
    '123',
    'svc.shop',
    'x-',
    'team_a/checkout',
    'zzmeshreadinesshostzz',
    'a'.repeat(49),
    'a'.repeat(50),
    'with space: colon',
  ];

  function direct(mesh: MeshOption, host: string, apis: string[]) {
    const protect: RouteOperation[] = [];
    const retryable: RouteOperation[] = [];
    for (const ref of apis) {
      const analysis = analyses.get(`api:default/${ref}`)!;
      for (const op of analysis.operations) {
        const target = {
          operation: op.operation,
          basePath: analysis.basePath,
        };
        (op.idempotent === true ? retryable : protect).push(target);
      }
    }
    const order: MeshOption[] = ['istio-sidecar', 'istio-ambient', 'linkerd'];
    order.sort((a, b) => Number(b === mesh) - Number(a === mesh));
    return order.map(option =>
      option === 'linkerd'
        ? linkerdSnippet({ host, protect, retryable })
        : istioSnippet(option as 'istio-sidecar' | 'istio-ambient', {
            host,
            protect,
            retryable,
          }),
    );
  }

  it.each(hosts)('gives the snippets the builders give for host %j', host => {
    const apis = ['checkout-api', 'payments-grpc', 'orders-api'];
    for (const mesh of ['istio-ambient', 'linkerd'] as MeshOption[]) {
      // Twice: the first call builds the shared part, the second reuses it.
      for (let i = 0; i < 2; i++) {
        const result = evaluateRetrySafety({
          component: componentEntity(`c${i}`, {
            'backstage.io/kubernetes-id': host,
          }),
          providedApis: apis,
          analyses,
          noRetryRoutes: [],
          mesh,
        });
        expect(result.snippets).toEqual(direct(mesh, host, apis));
      }
    }
  });
});

describe('the retry-safety check while no mesh is decided', () => {
  it('offers each snippet once, though several candidate meshes would retry', () => {
    const outcome = retrySafety.evaluate(
      {
        retrySafety: (mesh: MeshOption) =>
          evaluate({ providedApis: ['payments-api'], mesh }),
      } as any,
      { mesh: 'none', meshDecided: false } as any,
    );
    expect(outcome.status).toBe('warn');
    const keys = (outcome.snippets ?? []).map(s => `${s.mesh}: ${s.title}`);
    expect(keys.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
