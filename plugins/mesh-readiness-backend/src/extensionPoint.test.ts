import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import type {
  CheckDefinition,
  CustomCheck,
  EntityResult,
  ServicesPage,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { meshReadinessChecksExtensionPoint } from '@mesh-readiness/plugin-mesh-readiness-node';
import request from 'supertest';
import { meshReadinessPlugin } from './plugin';
import {
  catalogConfig,
  waitForComponents,
  waitForStableCatalog,
} from './__testUtils__/backend';

jest.setTimeout(120_000);

const API = '/api/mesh-readiness';

const runbookDefinition: CheckDefinition = {
  id: 'acme-runbook',
  title: 'Has an on-call runbook',
  category: 'organisation',
  scope: 'entity',
  appliesTo: 'Every workload in scope',
  weight: 5,
  gate: false,
  rationale:
    'Whoever is paged for the mesh needs to know how the service fails.',
  remediation: 'Add the acme.io/runbook annotation with a link to the runbook.',
  remediationYaml:
    'metadata:\n  annotations:\n    acme.io/runbook: https://runbooks.example/my-service\n',
  sources: [
    { title: 'Acme SRE handbook', url: 'https://sre.example/runbooks' },
  ],
};

/** A check of the same shape as the built-in ones, from another module. */
const runbookCheck: CustomCheck = {
  definition: runbookDefinition,
  evaluate(entity) {
    const runbook = entity.metadata.annotations?.['acme.io/runbook'];
    return runbook
      ? { status: 'pass', message: `Runbook at ${runbook}.` }
      : {
          status: 'fail',
          message: 'acme.io/runbook is not set.',
          fixYaml: runbookDefinition.remediationYaml,
        };
  },
};

/** A custom check that throws must not break anything else. */
const brokenCheck: CustomCheck = {
  definition: { ...runbookDefinition, id: 'acme-broken', title: 'Broken' },
  evaluate() {
    throw new Error('the check exploded');
  },
};

const testChecksModule = createBackendModule({
  pluginId: 'mesh-readiness',
  moduleId: 'test-checks',
  register(env) {
    env.registerInit({
      deps: { checks: meshReadinessChecksExtensionPoint },
      async init({ checks }) {
        checks.addChecks(runbookCheck, brokenCheck);
      },
    });
  },
});

describe('meshReadinessChecksExtensionPoint', () => {
  let server: any;
  let stop: () => Promise<void>;
  const user = () => mockCredentials.user.header();

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        meshReadinessPlugin,
        testChecksModule,
        mockServices.rootConfig.factory({ data: catalogConfig() }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForComponents(server, 46);
    await waitForStableCatalog(server);
  });

  afterAll(async () => {
    await stop?.();
  });

  it('lists the added checks in /checks', async () => {
    const res = await request(server)
      .get(`${API}/checks`)
      .set('Authorization', user());
    const added = res.body.items.find(
      (c: CheckDefinition) => c.id === 'acme-runbook',
    );
    expect(added).toEqual(runbookDefinition);
    expect(res.body.items.map((c: CheckDefinition) => c.id)).toContain(
      'acme-broken',
    );
  });

  it('runs them in entity results, a throwing one as unknown', async () => {
    const res = await request(server)
      .get(`${API}/entities/component/default/payment-gateway`)
      .set('Authorization', user());
    expect(res.status).toBe(200);
    const result: EntityResult = res.body;
    const runbook = result.checks.find(c => c.id === 'acme-runbook');
    expect(runbook).toEqual({
      id: 'acme-runbook',
      status: 'fail',
      message: 'acme.io/runbook is not set.',
      fixYaml: runbookDefinition.remediationYaml,
    });
    const broken = result.checks.find(c => c.id === 'acme-broken');
    expect(broken?.status).toBe('unknown');
    expect(broken?.message).toMatch(/the check exploded/);
    // The built-in checks still ran.
    expect(result.checks.find(c => c.id === 'tracing')?.status).toBe('pass');
  });

  it('runs them in snapshots, where /services can filter on them', async () => {
    await request(server).post(`${API}/refresh`).set('Authorization', user());
    const page: ServicesPage = (
      await request(server)
        .get(`${API}/services?check=acme-runbook&status=fail&pageSize=100`)
        .set('Authorization', user())
    ).body;
    expect(page.snapshot.source).toBe('snapshot');
    expect(page.total).toBeGreaterThan(30);
    expect(page.items.every(i => i.failing.includes('acme-runbook'))).toBe(
      true,
    );
    const summary = (
      await request(server).get(`${API}/summary`).set('Authorization', user())
    ).body;
    expect(
      summary.org.mostMissing.map((m: { checkId: string }) => m.checkId),
    ).toContain('acme-runbook');
  });
});

describe('meshReadinessChecksExtensionPoint with a clashing id', () => {
  it('stops the backend at startup, naming the id', async () => {
    const clashing = createBackendModule({
      pluginId: 'mesh-readiness',
      moduleId: 'clashing-checks',
      register(env) {
        env.registerInit({
          deps: { checks: meshReadinessChecksExtensionPoint },
          async init({ checks }) {
            checks.addChecks({
              ...runbookCheck,
              definition: { ...runbookDefinition, id: 'tracing' },
            });
          },
        });
      },
    });
    await expect(
      startTestBackend({
        features: [
          meshReadinessPlugin,
          clashing,
          mockServices.rootConfig.factory({ data: {} }),
        ],
      }),
    ).rejects.toThrow(/'tracing' is already in use/);
  });
});
