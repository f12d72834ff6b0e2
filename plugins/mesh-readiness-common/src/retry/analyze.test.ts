import {
  analyzeApiEntity,
  analyzeApis,
  DEFAULT_MAX_DEFINITION_BYTES,
} from './analyze';
import { ApiAnalysis, MAX_DEFINITION_WARNINGS } from './types';
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

  it('reads an operation whose parameter $ref points to nothing, as unknown with the pointer', async () => {
    const definition = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/x': {
          post: {
            parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
            responses: { '200': { description: 'ok' } },
          },
          get: { responses: { '200': { description: 'ok' } } },
        },
      },
    });
    const analysis = await analyzeApiEntity(
      apiEntity('dangling-api', 'openapi', definition),
    );
    expect(analysis.status).toBe('ok');
    expect(analysis.warnings).toEqual([
      {
        pointer: '/paths/~1x/post/parameters/0',
        message: expect.stringContaining(
          "$ref '#/components/parameters/IdempotencyKey' points to nothing",
        ),
      },
    ]);
    const ops = byOperation(analysis);
    expect(ops['GET /x'].idempotent).toBe(true);
    expect(ops['POST /x'].idempotent).toBe('unknown');
    expect(ops['POST /x'].reason).toContain('/paths/~1x/post/parameters/0');
    expect(analysis.message).toContain('/paths/~1x/post/parameters/0');
  });

  it('is invalid only when no operation can be read', async () => {
    const definition = JSON.stringify({
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: {
        '/a': { $ref: '#/x-paths/a' },
        '/b': { $ref: 'other.yaml#/paths/b' },
      },
    });
    const analysis = await analyzeApiEntity(
      apiEntity('unreadable-api', 'openapi', definition),
    );
    expect(analysis.status).toBe('invalid');
    expect(analysis.operations).toEqual([]);
    expect(analysis.message).toContain('no operation');
    expect(analysis.message).toContain('/paths/~1a');
    expect(analysis.message).toContain("'other.yaml#/paths/b'");
    expect(analysis.warnings!.map(w => w.pointer).sort()).toEqual([
      '/paths/~1a',
      '/paths/~1b',
    ]);
  });

  it('reads a version written as a YAML number, with a warning', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity(
        'numeric-version',
        'openapi',
        'swagger: 2.0\ninfo: { title: t, version: 1.0 }\npaths:\n  /a:\n    get:\n      responses: { "200": { description: ok } }\n',
      ),
    );
    expect(analysis.status).toBe('ok');
    expect(analysis.operations.map(o => o.operation)).toEqual(['GET /a']);
    expect(analysis.warnings!.map(w => w.pointer)).toEqual([
      '/swagger',
      '/info/version',
    ]);
    expect(analysis.warnings![0].message).toContain('"2.0"');
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

  it('has a 16 MiB default limit, and names the setting that raises it', async () => {
    expect(DEFAULT_MAX_DEFINITION_BYTES).toBe(16 * 1024 * 1024);
    const big = `${fixture('orders-swagger2.yaml')}\n# ${'x'.repeat(
      DEFAULT_MAX_DEFINITION_BYTES,
    )}\n`;
    const analysis = await analyzeApiEntity(
      apiEntity('huge-api', 'openapi', big),
    );
    expect(analysis.status).toBe('unknown');
    expect(analysis.message).toContain('16.0 MiB limit');
    expect(analysis.message).toContain('meshReadiness.maxDefinitionBytes');
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

describe('analyzeApiEntity: definitions read in part', () => {
  it('analyses every readable operation of a Stripe-shaped spec with dangling and external $refs', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity(
        'stripe-api',
        'openapi',
        fixture('billing-stripe-shaped-swagger2.json'),
      ),
    );
    expect(analysis.status).toBe('ok');
    const ops = byOperation(analysis);
    expect(Object.keys(ops)).toEqual([
      'GET /v1/charges',
      'POST /v1/charges',
      'GET /v1/charges/{charge}',
      'POST /v1/charges/{charge}',
      'POST /v1/charges/{charge}/capture',
      'GET /v1/customers/{customer}',
      'DELETE /v1/customers/{customer}',
      'POST /v1/refunds',
      'POST /v1/disputes/{dispute}/close',
    ]);
    expect(notIdempotent(analysis)).toEqual([
      'POST /v1/charges',
      'POST /v1/charges/{charge}',
    ]);
    expect(ops['POST /v1/charges/{charge}/capture'].idempotent).toBe(true);
    expect(ops['POST /v1/refunds'].idempotent).toBe(true);
    expect(ops['POST /v1/disputes/{dispute}/close']).toMatchObject({
      idempotent: 'unknown',
      reason: expect.stringContaining(
        '/paths/~1v1~1disputes~1{dispute}~1close/post/parameters/0',
      ),
    });

    const pointers = analysis.warnings!.map(w => w.pointer);
    // Every error response's dangling #/definitions/error, by pointer.
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/paths/~1v1~1charges/get/responses/default/schema',
        '/paths/~1v1~1charges/post/responses/default/schema',
        '/paths/~1v1~1refunds/post/responses/default/schema',
        '/paths/~1v1~1payouts',
        '/definitions/customer/properties/default_source',
        '/definitions/charge/properties/metadata',
      ]),
    );
    const byPointer = Object.fromEntries(
      analysis.warnings!.map(w => [w.pointer, w.message]),
    );
    expect(byPointer['/paths/~1v1~1charges/get/responses/default/schema']).toBe(
      "$ref '#/definitions/error' points to nothing in the definition; add the target or remove the $ref",
    );
    expect(byPointer['/definitions/charge/properties/metadata']).toContain(
      "$ref 'common.json#/definitions/metadata' points outside the definition",
    );
    expect(analysis.warningCount).toBe(analysis.warnings!.length);
    expect(analysis.message).toMatch(
      /^API api:default\/stripe-api: 9 operation\(s\) read; \d+ part\(s\) of the definition could not be read and were left out: /,
    );
    expect(analysis.basePath).toBeUndefined();
  });

  it('keeps at most MAX_DEFINITION_WARNINGS warnings and counts the rest', async () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 80; i++) {
      paths[`/r${i}`] = {
        get: { responses: { default: { $ref: '#/responses/error' } } },
      };
    }
    const analysis = await analyzeApiEntity(
      apiEntity(
        'many-api',
        'openapi',
        JSON.stringify({
          swagger: '2.0',
          info: { title: 't', version: '1' },
          paths,
        }),
      ),
    );
    expect(analysis.status).toBe('ok');
    expect(analysis.operations).toHaveLength(80);
    expect(analysis.warnings).toHaveLength(MAX_DEFINITION_WARNINGS);
    expect(analysis.warningCount).toBe(80);
    expect(analysis.message).toContain('and 77 more');
  });
});

describe('analyzeApiEntity: hostile $refs', () => {
  it('reads a document whose schemas reference each other deeply without dereferencing them', async () => {
    // Each schema refers to the two before it: dereferencing this whole
    // (as swagger-parser's dereference() does) takes time exponential in
    // the depth; the analysis follows only what operations need.
    const schemas: Record<string, unknown> = { s0: { type: 'string' } };
    for (let i = 1; i < 60; i++) {
      schemas[`s${i}`] = {
        type: 'object',
        properties: {
          a: { $ref: `#/components/schemas/s${i - 1}` },
          b: { $ref: `#/components/schemas/s${Math.max(0, i - 2)}` },
        },
      };
    }
    const ok = {
      description: 'ok',
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/s59' } },
      },
    };
    const analysis = await analyzeApiEntity(
      apiEntity(
        'deep-api',
        'openapi',
        JSON.stringify({
          openapi: '3.0.3',
          info: { title: 't', version: '1' },
          paths: {
            '/a': {
              parameters: [{ $ref: '#/components/parameters/self' }],
              post: { responses: { '200': ok } },
            },
          },
          components: {
            schemas,
            parameters: { self: { $ref: '#/components/parameters/self' } },
          },
        }),
      ),
    );
    expect(analysis.status).toBe('ok');
    expect(analysis.operations).toEqual([
      expect.objectContaining({ operation: 'POST /a', idempotent: 'unknown' }),
    ]);
    expect(analysis.warnings![0].pointer).toBe('/paths/~1a/parameters/0');
  });
});

describe('analyzeApiEntity: gRPC with google.api.http bindings', () => {
  let analysis: ApiAnalysis;
  let ops: Record<string, ApiAnalysis['operations'][number]>;
  beforeAll(async () => {
    analysis = await analyzeApiEntity(
      apiEntity('library-grpc', 'grpc', fixture('library-googleapis.proto')),
    );
    ops = byOperation(analysis);
  });

  it('reads a googleapis-style proto whose google/api imports are not available', () => {
    expect(analysis.status).toBe('ok');
    expect(analysis.operations).toHaveLength(17);
  });

  it('classifies get bindings as safe, put and delete as idempotent, post and patch as not', () => {
    const idempotency = Object.fromEntries(
      Object.entries(ops).map(([name, op]) => [name, op.idempotent]),
    );
    expect(idempotency).toEqual({
      'google.example.library.v1.LibraryService/CreateShelf': false,
      'google.example.library.v1.LibraryService/GetShelf': true,
      'google.example.library.v1.LibraryService/ListShelves': true,
      'google.example.library.v1.LibraryService/DeleteShelf': true,
      'google.example.library.v1.LibraryService/MergeShelves': false,
      'google.example.library.v1.LibraryService/GetBook': true,
      'google.example.library.v1.LibraryService/UpdateBook': false,
      'google.example.library.v1.LibraryService/ReplaceCover': true,
      'google.example.library.v1.LibraryService/MoveBook': true,
      'google.example.library.v1.LibraryService/RecordRead': false,
      'google.example.library.v1.LibraryService/PurgeShelf': 'unknown',
      'google.example.library.v1.LibraryService/CheckShelf': true,
      'google.example.library.v1.LibraryService/SearchBooks': false,
      'google.example.library.v1.LibraryService/Restock': false,
      'google.example.library.v1.Operations/ListOperations': true,
      'google.example.library.v1.Operations/CancelOperation': false,
      'google.example.library.v1.Operations/DeleteOperation': true,
    });
  });

  it('cites google/api/http.proto and RFC 9110, naming the bindings', () => {
    const get = ops['google.example.library.v1.LibraryService/GetShelf'];
    expect(get.reason).toBe(
      'No idempotency_level option, but its google.api.http binding (google/api/http.proto HttpRule) is GET /v1/{name=shelves/*}: RFC 9110 §9.2.2 makes GET safe, hence idempotent.',
    );
    expect(
      ops['google.example.library.v1.LibraryService/DeleteShelf'].reason,
    ).toContain('RFC 9110 §9.2.2 makes DELETE idempotent');
    const update = ops['google.example.library.v1.LibraryService/UpdateBook'];
    expect(update.reason).toContain(
      'bindings (google/api/http.proto HttpRule) are PATCH /v1/{book.name=shelves/*/books/*}, PUT /v1/{book.name=shelves/*/books/*}',
    );
    expect(update.reason).toContain('does not make PATCH idempotent');
    expect(update.reason).toContain('the least idempotent binding decides');
    expect(
      ops['google.example.library.v1.LibraryService/GetBook'].reason,
    ).toContain('GET /v1/{name=shelves/*/books/*}, GET /v1/{name=books/*}');
    expect(
      ops['google.example.library.v1.LibraryService/PurgeShelf'].reason,
    ).toContain('does not classify PURGE');
  });

  it('lets idempotency_level win over a binding, either way', () => {
    expect(
      ops['google.example.library.v1.LibraryService/MoveBook'].reason,
    ).toBe('idempotency_level = IDEMPOTENT (descriptor.proto).');
    expect(
      ops['google.example.library.v1.LibraryService/RecordRead'].reason,
    ).toContain('decides over any google.api.http binding');
  });

  it('reads a binding written as option (google.api.http).put lines', () => {
    expect(
      ops['google.example.library.v1.LibraryService/ReplaceCover'].reason,
    ).toContain('PUT /v1/{name=shelves/*/books/*}/cover');
  });
});

describe('analyzeApiEntity: hostile proto names', () => {
  it('analyses a proto declaring package __proto__ like any other', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity('proto-grpc', 'grpc', fixture('proto-package.proto')),
    );
    expect(analysis.status).toBe('ok');
    expect(analysis.operations.map(o => [o.operation, o.idempotent])).toEqual([
      ['__proto__.Echo/Get', true],
      ['__proto__.Echo/Send', false],
    ]);
    expect(Object.getPrototypeOf(analysis)).toBe(Object.prototype);
  });

  it('keeps a service named __proto__ and a text that already holds the stand-in name', async () => {
    const analysis = await analyzeApiEntity(
      apiEntity(
        'odd-grpc',
        'grpc',
        'syntax = "proto3"; package a.__proto__.b; // mesh_readiness_proto_name\nservice __proto__ { rpc Ping(M) returns (M) { option (google.api.http) = { get: "/v1/__proto__" }; } } message M {}',
      ),
    );
    expect(analysis.operations).toEqual([
      expect.objectContaining({
        operation: 'a.__proto__.b.__proto__/Ping',
        idempotent: true,
        reason: expect.stringContaining('GET /v1/__proto__'),
      }),
    ]);
  });
});
