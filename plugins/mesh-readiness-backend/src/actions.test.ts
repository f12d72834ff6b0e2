import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';
import {
  hidingFromUsers,
  permissionsDecidedBy,
} from './__testUtils__/permissions';

jest.setTimeout(120_000);

/*
 * The actions through the real MCP endpoint: the catalog backend, the MCP
 * actions backend and Mesh Readiness in one test backend, and the official
 * MCP TypeScript SDK client talking Streamable HTTP to it.
 */

const HIDDEN = 'vault';

const CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-b }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: shop }
spec: { owner: group:default/team-a }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    mesh-readiness.io/ports: "8080/http"
    mesh-readiness.io/tracing: "full"
    mesh-readiness.io/replicas: "3"
    mesh-readiness.io/peak-rps: "200"
    mesh-readiness.io/run-as-uid: "10001"
    mesh-readiness.io/probes: "http"
    mesh-readiness.io/bind-address: "0.0.0.0"
    mesh-readiness.io/headless: "false"
    mesh-readiness.io/timeouts: "true"
    mesh-readiness.io/retries: "idempotent-only"
    mesh-readiness.io/no-retry-routes: "POST /orders"
    mesh-readiness.io/waive.pod-security: "2099-12-31 vendor base image runs as root; JIRA-12"
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
  system: shop
  providesApis: [orders-api]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing
  annotations:
    mesh-readiness.io/ports: "8080/http"
    mesh-readiness.io/tracing: "yes"
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
  system: shop
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${HIDDEN}
  annotations:
    mesh-readiness.io/ports: "8443/https"
spec:
  type: service
  lifecycle: production
  owner: group:default/team-b
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: orders-api }
spec:
  type: openapi
  lifecycle: production
  owner: group:default/team-a
  definition: |
    openapi: 3.0.3
    info: { title: Orders, version: 1.0.0 }
    paths:
      /orders:
        get:
          responses: { '200': { description: The orders } }
        post:
          responses: { '201': { description: Created } }
      /orders/{id}:
        put:
          parameters:
            - { name: id, in: path, required: true, schema: { type: string } }
          responses: { '200': { description: Replaced } }
      /orders/{id}/cancel:
        post:
          parameters:
            - { name: id, in: path, required: true, schema: { type: string } }
          responses: { '200': { description: Cancelled } }
`;

const permissionsWithPolicy = permissionsDecidedBy(hidingFromUsers(HIDDEN));

const TOOLS = [
  'mesh-readiness.get-entity-readiness',
  'mesh-readiness.get-org-readiness',
  'mesh-readiness.list-readiness-checks',
  'mesh-readiness.get-retry-safety',
  'mesh-readiness.validate-readiness-annotations',
];

interface ToolAnswer {
  isError: boolean;
  text: string;
  output: any;
}

describe('Mesh Readiness actions through the MCP endpoint', () => {
  let server: any;
  let baseUrl: string;
  let dir: string;
  const clients: Client[] = [];

  async function connect(authorization: string): Promise<Client> {
    const client = new Client({ name: 'actions-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${baseUrl}/api/mcp-actions/v1`),
        { requestInit: { headers: { Authorization: authorization } } },
      ),
    );
    clients.push(client);
    return client;
  }

  let asUser: Client;
  let asService: Client;

  async function call(
    name: string,
    args: Record<string, unknown>,
    client: Client = asUser,
  ): Promise<ToolAnswer> {
    const result: any = await client.callTool({
      name: `mesh-readiness.${name}`,
      arguments: args,
    });
    const text = result.content?.[0]?.text ?? '';
    return {
      isError: Boolean(result.isError),
      text,
      output: result.isError ? undefined : result.structuredContent,
    };
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mesh-readiness-actions-'));
    const file = path.join(dir, 'catalog-info.yaml');
    await fs.writeFile(file, CATALOG);
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        mcpActionsPlugin,
        meshReadinessPlugin,
        permissionsWithPolicy,
        mockServices.rootConfig.factory({
          data: {
            ...catalogConfig(file),
            backend: { actions: { pluginSources: ['mesh-readiness'] } },
            // Snapshots only when the test asks for one.
            meshReadiness: {
              schedule: {
                frequency: { trigger: 'manual' },
                timeout: { minutes: 5 },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    baseUrl = `http://localhost:${backend.server.port()}`;
    // A user sees two of the three components.
    await waitForComponents(server, 2);
    await waitForStableCatalog(server);

    asUser = await connect(mockCredentials.user.header('user:default/guest'));
    asService = await connect(mockCredentials.service.header());
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    if (dir) {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('lists the five read-only tools with input schemas an assistant can fill in', async () => {
    const { tools } = await asUser.listTools();
    expect(tools.map(t => t.name).sort()).toEqual([...TOOLS].sort());
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(80);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
      });
    }
    const entity = tools.find(t => t.name === TOOLS[0])!;
    expect(entity.inputSchema.required).toEqual(['entityRef']);
    expect(
      (entity.inputSchema.properties as any).entityRef.description,
    ).toMatch(/kind:namespace\/name/);
    const validate = tools.find(t => t.name === TOOLS[4])!;
    expect(validate.inputSchema.required).toEqual(['yaml']);
  });

  it('says in each description what the result holds, since tools/list carries no output schema', async () => {
    const { tools } = await asUser.listTools();
    // The MCP backend lists no outputSchema: the description is all an assistant reads.
    for (const tool of tools) {
      expect((tool as any).outputSchema).toBeUndefined();
    }
    const describe = (name: string) =>
      tools.find(t => t.name === `mesh-readiness.${name}`)!.description!;

    // Status meanings, unknown never a pass, and the level order.
    const statuses = [
      /pass \(met\)/,
      /warn \(/,
      /fail \(something to fix\)/,
      /unknown \([^)]*never a pass/,
      /waived \([^)]*waive\.<check-id>/,
    ];
    for (const name of [
      'get-entity-readiness',
      'get-org-readiness',
      'list-readiness-checks',
    ]) {
      for (const status of statuses) {
        expect(describe(name)).toMatch(status);
      }
    }
    for (const name of ['get-entity-readiness', 'get-org-readiness']) {
      expect(describe(name)).toContain(
        'Levels, lowest first: not-assessed (too little known to judge), not-ready, pilot-ready, production-ready, optimal',
      );
    }

    const entity = describe('get-entity-readiness');
    expect(entity).toMatch(/score \(0-100\), level, coverage/);
    expect(entity).toMatch(/fixYaml \(YAML to add to catalog-info\.yaml\)/);
    expect(entity).toMatch(
      /sources: where each fact was read \(annotation, manifest file:line or running cluster/,
    );

    const org = describe('get-org-readiness');
    expect(org).toMatch(/whole catalog when called with no arguments/);
    expect(org).toMatch(/scoped with owner \(a group\), system or domain/);
    for (const verdict of [
      'ready (adopt recommendation.mesh)',
      'not-ready (',
      'not-needed (',
      'undetermined (declare what toDecide lists)',
    ]) {
      expect(org).toContain(verdict);
    }

    const retry = describe('get-retry-safety');
    expect(retry).toMatch(
      /perMesh: safe, unsafe or unknown under each mesh option \(none, cilium, linkerd, istio-ambient, istio-sidecar\); unknown is never safe/,
    );
    expect(retry).toMatch(
      /For a Component: .*retrySafe under the mesh assumed/,
    );
    expect(retry).toMatch(/warn, it would be under a candidate mesh/);

    expect(describe('validate-readiness-annotations')).toMatch(
      /valid: true only when at least one entity was found/,
    );
  });

  it('get-entity-readiness gives score, level, checks with fixes, waivers and where facts were read', async () => {
    const { isError, output } = await call('get-entity-readiness', {
      entityRef: 'component:default/orders',
    });
    expect(isError).toBe(false);
    expect(output).toMatchObject({
      entityRef: 'component:default/orders',
      kind: 'Component',
      owner: 'group:default/team-a',
      inScope: true,
    });
    expect(output.score).toBeGreaterThan(0);
    expect(output.level).toEqual(expect.any(String));
    expect(output.coverage).toBeGreaterThan(0);

    const byId = new Map<string, any>(output.checks.map((c: any) => [c.id, c]));
    expect(byId.get('protocols')).toMatchObject({
      title: 'Ports declare their protocol',
      status: 'pass',
      message: expect.stringContaining('8080/http'),
      sources: ['annotation mesh-readiness.io/ports'],
    });
    // Not linking manifests leaves checks unknown, each with the YAML to add.
    expect(byId.get('target-ports')).toMatchObject({
      status: 'unknown',
      fixYaml: expect.stringContaining('mesh-readiness.io/manifests'),
    });
    expect(byId.get('pod-security')).toMatchObject({
      status: 'waived',
      waiver: { until: '2099-12-31', expired: false },
    });
    expect(output.waivers).toEqual([
      expect.objectContaining({
        checkId: 'pod-security',
        reason: 'vendor base image runs as root; JIRA-12',
      }),
    ]);
    // Every check that needs something done and has a fix carries its YAML.
    const withFix = output.checks.filter((c: any) => c.fixYaml);
    expect(withFix.length).toBeGreaterThan(0);
    for (const c of withFix) {
      expect(['pass', 'not-applicable', 'waived']).not.toContain(c.status);
    }
    // Evidence only on request.
    expect(output.checks.some((c: any) => c.evidence)).toBe(false);
    const detailed = await call('get-entity-readiness', {
      entityRef: 'orders',
      details: true,
    });
    expect(
      detailed.output.checks.find((c: any) => c.id === 'protocols').evidence,
    ).toEqual([
      expect.objectContaining({
        value: expect.stringContaining('http'),
        source: { label: 'annotation mesh-readiness.io/ports' },
      }),
    ]);
  });

  it('get-entity-readiness reports malformed annotations with the value to write', async () => {
    const { output } = await call('get-entity-readiness', {
      entityRef: 'billing',
    });
    expect(output.problems).toEqual([
      expect.objectContaining({
        key: 'mesh-readiness.io/tracing',
        value: 'yes',
        message: expect.stringContaining('mesh-readiness.io/tracing'),
      }),
    ]);
    expect(output.checks.find((c: any) => c.id === 'tracing').status).toBe(
      'invalid',
    );
  });

  it('get-org-readiness gives verdict, gates, recommendation and cost, scoped on request', async () => {
    const { isError, output } = await call('get-org-readiness', {});
    expect(isError).toBe(false);
    expect(['ready', 'not-ready', 'not-needed', 'undetermined']).toContain(
      output.verdict,
    );
    expect(output.verdictReasons.length).toBeGreaterThan(0);
    expect(output.gates.map((g: any) => g.id)).toEqual(
      expect.arrayContaining(['genuine-need', 'platform-capacity']),
    );
    expect(output.recommendation.alternatives.length).toBeGreaterThan(1);
    expect(output.cost.map((c: any) => c.mesh)).toEqual(
      expect.arrayContaining(['linkerd', 'istio-sidecar']),
    );
    expect(output.rollups).toBeUndefined();

    const scoped = await call('get-org-readiness', {
      owner: 'team-a',
      details: true,
    });
    expect(scoped.output.scope).toEqual({ owner: 'group:default/team-a' });
    expect(scoped.output.counts.inScope).toBe(2);
    expect(scoped.output.rollups.owner.map((r: any) => r.key)).toEqual([
      'group:default/team-a',
    ]);

    const nobody = await call('get-org-readiness', { system: 'no-such' });
    expect(nobody.output.counts.entities).toBe(0);
    expect(nobody.output.notes[0]).toContain('system:default/no-such');
  });

  it('list-readiness-checks explains each check, filtered by category or id', async () => {
    const all = await call('list-readiness-checks', {});
    const ids = all.output.checks.map((c: any) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining(['tracing', 'retry-safety', 'genuine-need']),
    );
    const retry = all.output.checks.find((c: any) => c.id === 'retry-safety');
    expect(retry).toMatchObject({
      scope: 'entity',
      category: 'resilience',
      gate: true,
      rationale: expect.any(String),
      remediation: expect.any(String),
    });
    expect(retry.sources).toBeUndefined();

    const org = await call('list-readiness-checks', { scope: 'org' });
    expect(org.output.checks.every((c: any) => c.scope === 'org')).toBe(true);
    const one = await call('list-readiness-checks', {
      id: 'tracing',
      details: true,
    });
    expect(one.output.checks).toHaveLength(1);
    expect(one.output.checks[0].sources.length).toBeGreaterThan(0);
  });

  it('get-retry-safety lists each operation of a Component and of an API', async () => {
    const component = await call('get-retry-safety', {
      entityRef: 'component:default/orders',
    });
    expect(component.output).toMatchObject({
      entityRef: 'component:default/orders',
      kind: 'Component',
      status: expect.any(String),
    });
    const ops = new Map<string, any>(
      component.output.operations.map((o: any) => [o.operation, o]),
    );
    expect(ops.get('POST /orders')).toMatchObject({
      api: 'api:default/orders-api',
      idempotent: false,
      reason: expect.any(String),
    });
    expect(ops.get('PUT /orders/{id}')).toMatchObject({ idempotent: true });
    expect(component.output.perMesh).toMatchObject({
      linkerd: 'safe',
      'istio-sidecar': 'unsafe',
    });
    expect(component.output.snippets.map((s: any) => s.mesh)).toContain(
      'istio-sidecar',
    );

    // The verdict per mesh for each operation of a Component, as for an API.
    const meshes = [
      'none',
      'cilium',
      'linkerd',
      'istio-ambient',
      'istio-sidecar',
    ];
    for (const op of component.output.operations) {
      expect(Object.keys(op.perMesh).sort()).toEqual([...meshes].sort());
    }
    expect(ops.get('POST /orders/{id}/cancel')).toMatchObject({
      idempotent: false,
      perMesh: {
        none: 'safe',
        cilium: 'safe',
        linkerd: 'safe',
        'istio-ambient': 'unsafe',
        'istio-sidecar': 'unsafe',
      },
    });
    // Listed in mesh-readiness.io/no-retry-routes: safe under Istio too.
    expect(ops.get('POST /orders').perMesh).toEqual({
      none: 'safe',
      cilium: 'safe',
      linkerd: 'safe',
      'istio-ambient': 'safe',
      'istio-sidecar': 'safe',
    });
    expect(ops.get('GET /orders').perMesh['istio-sidecar']).toBe('safe');
    // The mesh assumed judges each operation as its perMesh entry does.
    const verdict: Record<string, string> = {
      true: 'safe',
      false: 'unsafe',
      unknown: 'unknown',
    };
    const assumed = meshes.find(mesh =>
      component.output.operations.every(
        (o: any) => o.perMesh[mesh] === verdict[String(o.retrySafe)],
      ),
    );
    expect(assumed).toMatch(/^istio-/);

    const api = await call('get-retry-safety', {
      entityRef: 'api:default/orders-api',
    });
    expect(api.output).toMatchObject({
      entityRef: 'api:default/orders-api',
      kind: 'API',
      definition: { type: 'openapi', status: 'ok' },
      perMesh: { 'istio-sidecar': 'unsafe', linkerd: 'safe' },
    });
    const post = api.output.operations.find(
      (o: any) => o.operation === 'POST /orders',
    );
    expect(post.perMesh).toMatchObject({
      'istio-sidecar': 'unsafe',
      'istio-ambient': 'unsafe',
      linkerd: 'safe',
      cilium: 'safe',
    });
    const get = api.output.operations.find(
      (o: any) => o.operation === 'GET /orders',
    );
    expect(get.perMesh['istio-sidecar']).toBe('safe');
  });

  it('validate-readiness-annotations reports problems of a pasted catalog-info.yaml and stores nothing', async () => {
    const pasted = [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: pasted-service',
      '  annotations:',
      '    mesh-readiness.io/tracing: fulll',
      '    mesh-readiness.io/replicas: 3',
      '    mesh-readiness.io/waive.tracing: "2099-01-01 dashboards move in Q3"',
      'spec: { type: service, lifecycle: production, owner: team-a }',
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: broken',
      '  annotations: [unclosed',
    ].join('\n');
    const { isError, output } = await call('validate-readiness-annotations', {
      yaml: pasted,
    });
    expect(isError).toBe(false);
    expect(output.valid).toBe(false);
    expect(output.entities).toHaveLength(1);
    const [entity] = output.entities;
    expect(entity).toMatchObject({
      document: 1,
      entityRef: 'component:default/pasted-service',
    });
    expect(entity.annotations).toHaveLength(3);
    expect(entity.waivers).toEqual([
      expect.objectContaining({ checkId: 'tracing', until: '2099-01-01' }),
    ]);
    const byKey = new Map<string, any>(
      entity.problems.map((p: any) => [p.key, p]),
    );
    expect(byKey.get('mesh-readiness.io/tracing')).toMatchObject({
      value: 'fulll',
      suggestion: 'full',
    });
    expect(byKey.get('mesh-readiness.io/replicas')).toMatchObject({
      value: '3',
      suggestion: '"3"',
    });
    expect(output.errors).toEqual([
      expect.objectContaining({ document: 2, line: expect.any(Number) }),
    ]);

    const fixed = await call('validate-readiness-annotations', {
      yaml: pasted
        .split('---')[0]
        .replace('fulll', 'full')
        .replace('replicas: 3', 'replicas: "3"'),
    });
    expect(fixed.output).toMatchObject({ valid: true, errors: [] });
    expect(fixed.output.entities[0].problems).toEqual([]);

    // A paste without an entity checks nothing: not valid, saying what to paste.
    for (const yaml of ['# catalog-info.yaml\n# to do\n', '---\n---\n']) {
      const empty = await call('validate-readiness-annotations', { yaml });
      expect(empty.isError).toBe(false);
      expect(empty.output).toMatchObject({ valid: false, entities: [] });
      expect(empty.output.errors).toEqual([
        {
          document: 1,
          message: expect.stringMatching(
            /^No entity found: .*Paste the whole catalog-info\.yaml: .*apiVersion, kind, metadata/,
          ),
        },
      ]);
    }

    // Nothing reached the catalog.
    const stored = await request(server)
      .get('/api/catalog/entities/by-name/component/default/pasted-service')
      .set('Authorization', mockCredentials.service.header());
    expect(stored.status).toBe(404);
  });

  describe('a denied entity stays hidden', () => {
    it('get-entity-readiness and get-retry-safety answer not found for it, as for a missing one', async () => {
      const hidden = await call('get-entity-readiness', {
        entityRef: `component:default/${HIDDEN}`,
      });
      expect(hidden.isError).toBe(true);
      expect(hidden.text).toBe(
        `NotFoundError: No entity "component:default/${HIDDEN}" that you may see`,
      );
      expect(hidden.text).not.toContain('score');
      const missing = await call('get-entity-readiness', {
        entityRef: 'component:default/no-such-service',
      });
      expect(missing.text).toBe(
        'NotFoundError: No entity "component:default/no-such-service" that you may see',
      );
      const retry = await call('get-retry-safety', { entityRef: HIDDEN });
      expect(retry.isError).toBe(true);
      expect(retry.text).toMatch(/^NotFoundError: /);

      // The same tool with credentials that may see it.
      const seen = await call(
        'get-entity-readiness',
        { entityRef: `component:default/${HIDDEN}` },
        asService,
      );
      expect(seen.isError).toBe(false);
      expect(seen.output.entityRef).toBe(`component:default/${HIDDEN}`);
    });

    it('get-org-readiness does not count it, live or from a snapshot', async () => {
      const live = await call('get-org-readiness', {});
      expect(live.output.snapshot.source).toBe('live');
      expect(live.output.counts.inScope).toBe(2);
      const all = await call('get-org-readiness', {}, asService);
      expect(all.output.counts.inScope).toBe(3);
      const teamB = await call('get-org-readiness', { owner: 'team-b' });
      expect(teamB.output.counts.entities).toBe(0);

      const refreshed = await request(server)
        .post('/api/mesh-readiness/refresh')
        .set('Authorization', mockCredentials.service.header());
      expect(refreshed.status).toBe(200);
      const fromSnapshot = await call('get-org-readiness', {
        details: true,
      });
      expect(fromSnapshot.output.snapshot.source).toBe('snapshot');
      expect(fromSnapshot.output.counts.inScope).toBe(2);
      expect(
        fromSnapshot.output.rollups.owner.map((r: any) => r.key),
      ).not.toContain('group:default/team-b');
    });
  });

  describe('bad input', () => {
    it('names the field', async () => {
      const badRef = await call('get-entity-readiness', {
        entityRef: 'component:default/a/b',
      });
      expect(badRef.isError).toBe(true);
      expect(badRef.text).toMatch(
        /^InputError: Invalid input "entityRef": must be an entity ref/,
      );
      const group = await call('get-retry-safety', {
        entityRef: 'group:default/team-a',
      });
      expect(group.text).toBe(
        'InputError: Invalid input "entityRef": retry safety is read for a Component or an API, not a group',
      );
      const category = await call('list-readiness-checks', {
        category: 'speed',
      });
      expect(category.text).toMatch(
        /^InputError: Invalid input "category": must be one of .*observability/,
      );
      const owner = await call('get-org-readiness', { owner: 'a:b:c' });
      expect(owner.text).toMatch(/^InputError: Invalid input "owner"/);
      const empty = await call('validate-readiness-annotations', { yaml: ' ' });
      expect(empty.text).toMatch(/^InputError: Invalid input "yaml": is empty/);
    });

    it('refuses arguments that do not match the schema, naming the field', async () => {
      const missing = await call('get-entity-readiness', {});
      expect(missing.isError).toBe(true);
      expect(missing.text).toMatch(
        /^InputError: Invalid input to action "mesh-readiness:get-entity-readiness"/,
      );
      expect(missing.text).toMatch(/"path": \[\s*"entityRef"\s*\]/);
    });
  });
});
