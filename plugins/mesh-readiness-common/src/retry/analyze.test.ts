import { analyzeApiEntity, analyzeApis } from './analyze';
import { ApiAnalysis } from './types';
import { apiEntity, fixture } from './__fixtures__/entities';

function byOperation(analysis: ApiAnalysis) {
  return Object.fromEntries(analysis.operations.map(o => [o.operation, o]));
}

function notIdempotent(analysis: ApiAnalysis): string[] {
  return analysis.operations
    .filter(o => o.idempotent === false)
    .map(o => o.operation)
    .sort();
}

describe('analyzeApiEntity: OpenAPI', () => {
  it('reads a Swagger 2 JSON definition with $ref header and path-level parameters', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('payments-api', 'openapi', fixture('payments-swagger2.json')),
    );
    expect(analysis).toMatchObject({
      apiRef: 'api:default/payments-api',
      type: 'openapi',
      status: 'ok',
      basePath: '/v1',
    });
    expect(analysis.operations.map(o => o.operation)).toEqual([
      'GET /payments',
      'POST /payments',
      'GET /payments/{paymentId}',
      'DELETE /payments/{paymentId}',
      'POST /payments/{paymentId}/capture',
      'POST /payments/{paymentId}/refunds',
    ]);
    expect(notIdempotent(analysis)).toEqual([
      'POST /payments/{paymentId}/capture',
    ]);

    const ops = byOperation(analysis);
    // Idempotency-Key through #/parameters/IdempotencyKey on the operation.
    expect(ops['POST /payments'].idempotent).toBe(true);
    expect(ops['POST /payments'].reason).toContain('Idempotency-Key');
    // ... and through a path-level $ref.
    expect(ops['POST /payments/{paymentId}/refunds'].idempotent).toBe(true);
    expect(ops['POST /payments/{paymentId}/refunds'].reason).toContain(
      'path item',
    );
    expect(ops['DELETE /payments/{paymentId}'].reason).toContain(
      'RFC 9110 §9.2.2',
    );
    expect(ops['POST /payments/{paymentId}/capture'].reason).toMatch(
      /RFC 9110 §9\.2\.2: POST is not idempotent/,
    );
  });

  it('reads a Swagger 2 YAML definition: case-insensitive header, x-idempotent on PATCH', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('orders-api', 'openapi', fixture('orders-swagger2.yaml')),
    );
    expect(analysis.status).toBe('ok');
    expect(analysis.basePath).toBe('/api');
    const ops = byOperation(analysis);
    expect(ops['POST /orders'].idempotent).toBe(true);
    expect(ops['PUT /orders/{orderId}'].idempotent).toBe(true);
    expect(ops['PATCH /orders/{orderId}'].idempotent).toBe(true);
    expect(ops['PATCH /orders/{orderId}'].reason).toContain(
      'x-idempotent: true',
    );
    expect(notIdempotent(analysis)).toEqual([
      'PATCH /orders/{orderId}/notes',
      'POST /orders/{orderId}/cancel',
    ]);
  });

  it('reads an OpenAPI 3.0 YAML definition with components/parameters, path-level keys and a circular schema', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('checkout-api', 'openapi', fixture('checkout-openapi3.yaml')),
    );
    expect(analysis.status).toBe('ok');
    // Both servers share the path /checkout/v2.
    expect(analysis.basePath).toBe('/checkout/v2');
    const ops = byOperation(analysis);
    expect(ops['POST /carts'].idempotent).toBe(true);
    expect(ops['POST /carts/{cartId}/checkout'].idempotent).toBe(true);
    expect(ops['POST /carts/{cartId}/recalculate'].idempotent).toBe(true);
    expect(notIdempotent(analysis)).toEqual([
      'PATCH /carts/{cartId}',
      'POST /webhooks/payment-events',
    ]);
  });

  it('reads an OpenAPI 3.1 JSON definition; a query parameter is not the key, an external $ref gives unknown', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity(
        'inventory-api',
        'openapi',
        fixture('inventory-openapi31.json'),
      ),
    );
    expect(analysis.status).toBe('ok');
    // The server URL has a variable: no base path is assumed.
    expect(analysis.basePath).toBeUndefined();
    const ops = byOperation(analysis);
    expect(ops['HEAD /items/{sku}'].idempotent).toBe(true);
    expect(ops['OPTIONS /items/{sku}'].idempotent).toBe(true);
    expect(ops['POST /reservations'].idempotent).toBe(true);
    expect(notIdempotent(analysis)).toEqual([
      'PATCH /items/{sku}',
      'POST /items/{sku}/movements',
    ]);
    const release = ops['POST /reservations/{id}/release'];
    expect(release.idempotent).toBe('unknown');
    expect(release.reason).toContain(
      'https://schemas.example.com/common/parameters.yaml#/RequestId',
    );
  });

  it('accepts spec.type case-insensitively and namespaced entities', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity(
        'Orders-API',
        'OpenAPI',
        fixture('orders-swagger2.yaml'),
        'Shop',
      ),
    );
    expect(analysis.apiRef).toBe('api:shop/orders-api');
    expect(analysis.status).toBe('ok');
  });

  it('lets x-idempotent: false override the method', async () => {
    const definition = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/counters/{id}': {
          put: {
            'x-idempotent': false,
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    });
    const analysis = await analyzeApiEntity(
      apiEntity('counter-api', 'openapi', definition),
    );
    expect(analysis.operations[0]).toMatchObject({
      operation: 'PUT /counters/{id}',
      idempotent: false,
    });
  });

  it('reads OpenAPI 3.2, including the QUERY method', async () => {
    const definition = [
      'openapi: 3.2.0',
      'info: { title: Search, version: "1" }',
      'paths:',
      '  /search:',
      '    query:',
      '      responses: { "200": { description: ok } }',
      '    post:',
      '      parameters: [{ $ref: "#/components/parameters/Key" }]',
      '      responses: { "200": { description: ok } }',
      'components:',
      '  parameters:',
      '    Key: { name: Idempotency-Key, in: header, schema: { type: string } }',
    ].join('\n');
    const analysis = await analyzeApiEntity(
      apiEntity('search-api', 'openapi', definition),
    );
    expect(analysis.status).toBe('ok');
    expect(byOperation(analysis)['QUERY /search'].idempotent).toBe(true);
    expect(byOperation(analysis)['POST /search'].idempotent).toBe(true);
  });
});

describe('analyzeApiEntity: gRPC', () => {
  it('reads idempotency_level, imports of well-known types and streaming rpcs', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('payments-grpc', 'grpc', fixture('payments.proto')),
    );
    expect(analysis.status).toBe('ok');
    expect(analysis.message).toBeUndefined();
    const ops = byOperation(analysis);
    expect(Object.keys(ops)).toEqual([
      'acme.payments.v1.PaymentService/GetPayment',
      'acme.payments.v1.PaymentService/AuthorizePayment',
      'acme.payments.v1.PaymentService/CapturePayment',
      'acme.payments.v1.PaymentService/RefundPayment',
      'acme.payments.v1.PaymentService/WatchPayment',
      'acme.payments.v1.PaymentService/UploadSettlementBatch',
    ]);
    expect(ops['acme.payments.v1.PaymentService/GetPayment']).toMatchObject({
      idempotent: true,
      reason: expect.stringContaining('NO_SIDE_EFFECTS'),
    });
    expect(
      ops['acme.payments.v1.PaymentService/AuthorizePayment'].idempotent,
    ).toBe(true);
    expect(ops['acme.payments.v1.PaymentService/CapturePayment']).toMatchObject(
      {
        idempotent: false,
        reason: expect.stringContaining('No idempotency_level'),
      },
    );
    expect(ops['acme.payments.v1.PaymentService/RefundPayment']).toMatchObject({
      idempotent: false,
      reason: expect.stringContaining('IDEMPOTENCY_UNKNOWN'),
    });
    expect(ops['acme.payments.v1.PaymentService/WatchPayment']).toMatchObject({
      idempotent: true,
      streaming: true,
      reason: expect.stringContaining('server-streaming'),
    });
    expect(
      ops['acme.payments.v1.PaymentService/UploadSettlementBatch'],
    ).toMatchObject({
      idempotent: false,
      streaming: true,
      reason: expect.stringContaining('client-streaming'),
    });
    expect(
      ops['acme.payments.v1.PaymentService/GetPayment'].streaming,
    ).toBeUndefined();
  });

  it('treats rpcs without idempotency_level as not idempotent, across services, with custom-option imports', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('ledger-grpc', 'grpc', fixture('ledger.proto')),
    );
    expect(analysis.status).toBe('ok');
    expect(notIdempotent(analysis)).toEqual([
      'acme.ledger.v2.LedgerService/GetBalance',
      'acme.ledger.v2.LedgerService/PostEntry',
      'acme.ledger.v2.LedgerService/Reconcile',
    ]);
    const reconcile =
      byOperation(analysis)['acme.ledger.v2.LedgerService/Reconcile'];
    expect(reconcile.streaming).toBe(true);
    expect(reconcile.reason).toContain('bidirectional-streaming');
    expect(
      byOperation(analysis)['acme.ledger.v2.AuditService/ExportEntries']
        .idempotent,
    ).toBe(true);
  });

  it('reads numeric levels and protos without a package', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity(
        'echo-grpc',
        'grpc',
        'syntax = "proto3"; service Echo { rpc Say(M) returns (M) { option idempotency_level = 2; } rpc Shout(M) returns (M) { option idempotency_level = 0; } } message M {}',
      ),
    );
    expect(analysis.operations).toEqual([
      expect.objectContaining({ operation: 'Echo/Say', idempotent: true }),
      expect.objectContaining({ operation: 'Echo/Shout', idempotent: false }),
    ]);
  });
});

describe('analyzeApiEntity: problems are reported, never thrown', () => {
  it('reports malformed YAML as invalid, naming the API', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('broken-api', 'openapi', fixture('malformed-openapi.yaml.txt')),
    );
    expect(analysis.status).toBe('invalid');
    expect(analysis.message).toContain('api:default/broken-api');
    expect(analysis.message).toContain('YAML');
    expect(analysis.operations).toEqual([]);
  });

  it('reports malformed JSON as invalid', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('broken-json', 'openapi', '{ "openapi": "3.0.3", "paths": { '),
    );
    expect(analysis.status).toBe('invalid');
    expect(analysis.message).toContain('JSON syntax error');
  });

  it('reports a malformed proto as invalid, with the parser position', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('broken-grpc', 'grpc', fixture('malformed.proto')),
    );
    expect(analysis.status).toBe('invalid');
    expect(analysis.message).toContain('api:default/broken-grpc');
    expect(analysis.message).toContain('line 5');
  });

  it('reports a $ref to a missing component as invalid', async () => {
    const definition = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/x': {
          post: {
            parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    });
    const analysis = await analyzeApiEntity(
      apiEntity('dangling-api', 'openapi', definition),
    );
    expect(analysis.status).toBe('invalid');
    expect(analysis.message).toContain(
      '#/components/parameters/IdempotencyKey',
    );
  });

  it('reports an unquoted swagger version as invalid with the reason', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity(
        'numeric-version',
        'openapi',
        'swagger: 2.0\ninfo: { title: t, version: "1" }\npaths: {}\n',
      ),
    );
    expect(analysis.status).toBe('invalid');
    expect(analysis.message).toContain('must be a string');
  });

  it('reports a document that is not OpenAPI as invalid', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('not-openapi', 'openapi', 'name: just some yaml\n'),
    );
    expect(analysis.status).toBe('invalid');
    expect(analysis.message).toContain('neither');
  });

  it('reports an oversized definition as unknown, naming the limit', async () => {
    const big = `${fixture('orders-swagger2.yaml')}\n# ${'x'.repeat(2048)}\n`;
    const analysis = await analyzeApiEntity(
      apiEntity('huge-api', 'openapi', big),
      {
        maxDefinitionBytes: 1024,
      },
    );
    expect(analysis.status).toBe('unknown');
    expect(analysis.message).toContain('api:default/huge-api');
    expect(analysis.message).toContain('1.0 KiB limit');
    expect(analysis.message).toContain('maxDefinitionBytes');
  });

  it('has a 1 MiB default limit', async () => {
    const big = `${fixture('orders-swagger2.yaml')}\n# ${'x'.repeat(
      1024 * 1024,
    )}\n`;
    const analysis = await analyzeApiEntity(
      apiEntity('huge-api', 'openapi', big),
    );
    expect(analysis.status).toBe('unknown');
    expect(analysis.message).toContain('1.0 MiB limit');
  });

  it('reports a missing definition as unknown with the fix', async () => {
    const analysis = await analyzeApiEntity(apiEntity('empty-api', 'grpc'));
    expect(analysis.status).toBe('unknown');
    expect(analysis.message).toContain(
      'api:default/empty-api has no spec.definition',
    );
    expect(analysis.message).toContain('$text');
  });

  it('reports an unsupported spec.type as unknown, pointing to no-retry-routes', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity(
        'search-graph',
        'graphql',
        'type Query { search(q: String): [String] }',
      ),
    );
    expect(analysis).toMatchObject({
      status: 'unknown',
      type: 'graphql',
      operations: [],
    });
    expect(analysis.message).toContain("spec.type 'graphql'");
    expect(analysis.message).toContain('mesh-readiness.io/no-retry-routes');
  });

  it('does not throw on a malformed entity', async () => {
    const analysis = await analyzeApiEntity({ kind: 'API' } as any);
    expect(analysis.status).toBe('unknown');
  });
});

describe('analyzeApis', () => {
  it('keys analyses by lower-cased entity ref', async () => {
    const map = await analyzeApis([
      apiEntity('Payments-API', 'openapi', fixture('payments-swagger2.json')),
      apiEntity('payments-grpc', 'grpc', fixture('payments.proto')),
    ]);
    expect([...map.keys()]).toEqual([
      'api:default/payments-api',
      'api:default/payments-grpc',
    ]);
  });
});
