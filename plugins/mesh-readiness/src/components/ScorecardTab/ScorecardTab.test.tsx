import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  XSS,
  bareEntity,
  bareResult,
  checkoutResult,
  mainframeEntity,
  orderEntity,
  orderResult,
  outOfScopeResult,
  paymentsEntity,
  paymentsResult,
} from '../../__fixtures__';
import { EntityMeshReadinessContent } from '../../plugin';
import {
  fakeBackend,
  headingOutline,
  headingsAreLogical,
  renderWithApi,
} from '../../__testUtils__';

// CodeSnippet copies through react-use, which calls copy-to-clipboard.
const mockCopy = jest.fn((_text: string) => true);
jest.mock('copy-to-clipboard', () => (text: string) => mockCopy(text));

const server = setupServer();

function checkSection(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-check="${id}"]`);
  if (!el) throw new Error(`no check section ${id}`);
  return el;
}

describe('EntityMeshReadinessContent (scorecard tab)', () => {
  registerMswTestHooks(server);

  it('shows score, level and how many checks pass at a glance', async () => {
    const backend = fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    expect(
      await screen.findByLabelText('Score 38 out of 100'),
    ).toHaveTextContent('38');
    const summary = screen.getByRole('region', { name: 'Mesh readiness' });
    expect(within(summary).getByText('Not ready')).toBeInTheDocument();
    expect(within(summary).getByText('2 of 9 checks pass')).toBeInTheDocument();
    expect(within(summary).getByTestId('coverage')).toHaveTextContent(
      'Coverage 86%: the share of check weight whose status is known',
    );
    expect(
      backend.to('/entities/Component/default/payments-service'),
    ).toHaveLength(1);
  });

  it('says under a check which mesh its result assumed and why', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const retry = checkSection('retry-safety');
    expect(within(retry).getByTestId('assumption')).toHaveTextContent(
      'Assumed: Assumes Istio (sidecar), the mesh recommended for the organisation.',
    );
    expect(
      within(checkSection('owner')).queryByTestId('assumption'),
    ).toBeNull();
  });

  it('gives every status its own icon and text label, not colour alone', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const expected: Record<string, string> = {
      owner: 'Pass',
      tracing: 'Unknown',
      'server-first-protocols': 'Fail',
      probes: 'Invalid',
      timeouts: 'Waived',
      'batch-workload': 'Not applicable',
      'compliance-mtls-scope': 'Warning',
    };
    const icons = new Set<string>();
    for (const [id, label] of Object.entries(expected)) {
      const chip = checkSection(id).querySelector(
        '[data-status]',
      ) as HTMLElement;
      expect(chip).toHaveTextContent(label);
      const icon = chip.querySelector('svg path')?.getAttribute('d');
      expect(icon).toBeTruthy();
      icons.add(icon!);
    }
    expect(icons.size).toBe(Object.keys(expected).length);
  });

  it('groups checks by category with failing groups and checks first', async () => {
    fakeBackend(server, { entity: paymentsResult });
    const { container } = await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const outline = headingOutline(container).filter(h => h.startsWith('h3'));
    expect(outline.slice(0, 6)).toEqual([
      'h3 Security',
      'h3 Protocols and ports',
      'h3 Resilience',
      'h3 Workload',
      'h3 Observability',
      'h3 Ownership',
    ]);
    const security = screen.getByRole('region', { name: 'Security' });
    const titles = within(security)
      .getAllByRole('heading', { level: 4 })
      .map(h => h.textContent);
    expect(titles).toEqual([
      'Not running as the proxy UID',
      'Compliance scope states its mTLS requirement',
    ]);
  });

  it('explains each failing check: message, why, fix, snippet and sources', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const uid = checkSection('proxy-uid');
    expect(uid).toHaveTextContent(
      'mesh-readiness.io/run-as-uid is 1337, the Istio proxy UID',
    );
    expect(uid).toHaveTextContent(
      "Why it matters: Istio's sidecar runs as UID 1337",
    );
    expect(uid).toHaveTextContent(
      'How to fix: Run the container as another UID',
    );
    expect(uid).toHaveTextContent('mesh-readiness.io/run-as-uid: "10001"');
    expect(
      within(uid).getByRole('link', {
        name: /Istio: application requirements/,
      }),
    ).toHaveAttribute(
      'href',
      'https://istio.io/latest/docs/ops/deployment/application-requirements/',
    );
    expect(
      within(uid).getByRole('button', { name: 'Copy text' }),
    ).toBeInTheDocument();
  });

  it('merges every failing and unknown fix into one copyable snippet', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const card = await screen.findByRole('region', {
      name: 'Add these to catalog-info.yaml',
    });
    const expectedText = [
      'metadata:',
      '  annotations:',
      // No manifests linked: they come first.
      '    mesh-readiness.io/manifests: "./deploy/" # the workload\'s Kubernetes YAML: a file or a folder',
      '    mesh-readiness.io/no-retry-routes: "POST /payments, POST /payments/{id}/refunds"',
      '    mesh-readiness.io/run-as-uid: "10001"',
      '    mesh-readiness.io/tracing: "full" # one of full, partial, none',
      '    mesh-readiness.io/opaque-ports: "5432"',
      '    mesh-readiness.io/probes: "http"',
    ].join('\n');
    expect(card.textContent).toContain(
      'mesh-readiness.io/opaque-ports: "5432"',
    );
    // A warning is not a failure: its fix is not merged.
    expect(card.textContent).not.toContain('mtls-requirement');
    await userEvent.click(
      within(card).getByRole('button', { name: 'Copy text' }),
    );
    expect(mockCopy).toHaveBeenCalledWith(expectedText);
  });

  it('opens catalog-info.yaml where it is edited, in a new tab, beside the merged snippet', async () => {
    const editUrl =
      'https://github.com/acme/payments/edit/main/catalog-info.yaml';
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: {
        ...paymentsEntity,
        metadata: {
          ...paymentsEntity.metadata,
          annotations: {
            ...paymentsEntity.metadata.annotations,
            'backstage.io/edit-url': editUrl,
          },
        },
      },
    });
    const card = await screen.findByRole('region', {
      name: 'Add these to catalog-info.yaml',
    });
    const edit = within(card).getByRole('link', {
      name: /^Edit catalog-info\.yaml/,
    });
    expect(edit).toHaveAttribute('href', editUrl);
    expect(edit).toHaveAttribute('target', '_blank');
    expect(edit).toHaveTextContent('Opens in a new window');
  });

  it('offers no edit link when the entity has no edit URL, or one that is not http(s)', async () => {
    fakeBackend(server, { entity: paymentsResult });
    const { unmount } = await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    await screen.findByRole('region', {
      name: 'Add these to catalog-info.yaml',
    });
    expect(
      screen.queryByRole('link', { name: /Edit catalog-info\.yaml/ }),
    ).toBeNull();
    unmount();

    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: {
        ...paymentsEntity,
        metadata: {
          ...paymentsEntity.metadata,
          annotations: {
            ...paymentsEntity.metadata.annotations,
            'backstage.io/edit-url': 'data:text/html,<script>alert(1)</script>',
          },
        },
      },
    });
    await screen.findByRole('region', {
      name: 'Add these to catalog-info.yaml',
    });
    expect(
      screen.queryByRole('link', { name: /Edit catalog-info\.yaml/ }),
    ).toBeNull();
  });

  it('says under each check which facts it used and where each was read', async () => {
    fakeBackend(server, { entity: orderResult });
    const { container } = await renderWithApi(<EntityMeshReadinessContent />, {
      entity: orderEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const table = within(checkSection('protocols')).getByRole('table', {
      name: 'Evidence: Ports declare their protocol',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('port 8080');
    expect(rows[0]).toHaveTextContent('http (from the port name)');
    expect(rows[0]).toHaveTextContent(
      'ObservedService shop/order-service, deploy/order.yaml:58',
    );
    expect(
      within(rows[0]).getByRole('link', {
        name: /Service shop\/order-service, deploy\/order.yaml:58/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/order-service/blob/main/deploy/order.yaml#L58',
    );
    // A label is text, and only http(s) URLs become links.
    expect(rows[2]).toHaveTextContent(XSS);
    expect(within(rows[2]).queryByRole('link')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('a[href^="data:"]')).toBeNull();

    // Observed, declared and default differ in word and icon.
    const chip = (id: string, kind: string) =>
      checkSection(id).querySelector(`[data-source="${kind}"] [data-source]`);
    expect(chip('tracing', 'annotation')).toHaveTextContent('Declared');
    expect(chip('proxy-uid', 'manifest')).toHaveTextContent('Observed');
    expect(chip('batch-workload', 'default')).toHaveTextContent('Default');
    const icons = new Set(
      [
        chip('tracing', 'annotation'),
        chip('proxy-uid', 'manifest'),
        chip('batch-workload', 'default'),
      ].map(c => c?.querySelector('svg path')?.getAttribute('d')),
    );
    expect(icons.size).toBe(3);
    // Checks without evidence show no table.
    expect(within(checkSection('owner')).queryByRole('table')).toBeNull();
  });

  it('shows a drift with both values and both sources', async () => {
    fakeBackend(server, { entity: orderResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: orderEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const drift = checkSection('drift');
    expect(
      within(drift).getByRole('heading', {
        name: 'Declarations match the manifests',
      }),
    ).toBeInTheDocument();
    expect(drift).toHaveTextContent(
      'mesh-readiness.io/run-as-uid says 1000, the manifests say 1001',
    );
    const rows = within(
      within(drift).getByRole('table', { name: /^Evidence/ }),
    ).getAllByRole('row');
    expect(rows.slice(1).map(r => r.textContent)).toEqual([
      'run-as UID1000Declaredannotation mesh-readiness.io/run-as-uid',
      'runAsUser of app1001ObservedDeployment shop/order-service, deploy/order.yaml:31, Opens in a new window',
    ]);
  });

  it('says which running cluster a fact was read from, and when', async () => {
    fakeBackend(server, {
      entity: {
        ...orderResult,
        checks: [
          {
            id: 'proxy-uid',
            status: 'pass',
            message: 'Runs as UID 1000, which no mesh proxy uses.',
            evidence: [
              {
                fact: 'runAsUser of server',
                value: '1000',
                source: {
                  kind: 'manifest' as const,
                  label: 'Deployment shop/cartservice, cluster local',
                  cluster: 'local',
                  observedAt: '2026-12-05T18:12:52.306Z',
                },
              },
            ],
          },
        ],
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: orderEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const row = within(checkSection('proxy-uid')).getAllByRole('row')[1];
    expect(row).toHaveTextContent(
      'Deployment shop/cartservice, cluster local, seen',
    );
    expect(row).toHaveTextContent('2026');
    expect(row.querySelector('[data-source="manifest"]')).toHaveAttribute(
      'title',
      'Read from the running cluster local',
    );
  });

  it('folds long evidence lists behind a button', async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      fact: `port ${8000 + i}`,
      value: 'http (from the port name)',
      source: { kind: 'manifest' as const, label: `Service a, a.yaml:${i}` },
    }));
    fakeBackend(server, {
      entity: {
        ...orderResult,
        checks: [
          { id: 'protocols', status: 'pass', message: 'ok', evidence: many },
        ],
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: orderEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const section = checkSection('protocols');
    expect(within(section).getAllByRole('row')).toHaveLength(5);
    await userEvent.click(
      within(section).getByRole('button', { name: 'Show 3 more facts' }),
    );
    expect(within(section).getAllByRole('row')).toHaveLength(8);
  });

  it('says which workloads were inspected, and what in the manifests could not be read', async () => {
    fakeBackend(server, { entity: orderResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: orderEntity,
    });
    const bar = await screen.findByRole('region', {
      name: 'Where the facts come from',
    });
    expect(bar).toHaveTextContent(
      'ObservedInspected: 1 workload from ./deploy/ (Deployment shop/order-service, Opens in a new window). What these manifests state is observed',
    );
    expect(
      within(bar).getByRole('link', { name: /Deployment shop\/order-service/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/order-service/blob/main/deploy/order.yaml#L3',
    );
    expect(bar).toHaveTextContent(
      './deploy/chart/templates/deployment.yaml:7 — a Helm template, not rendered YAML',
    );
    // Manifests are linked: nothing to suggest about them.
    expect(screen.queryByTestId('manifests-note')).toBeNull();
  });

  it('says the facts are declared only, and offers the manifests annotation first', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const bar = await screen.findByRole('region', {
      name: 'Where the facts come from',
    });
    expect(bar).toHaveTextContent(
      'Declared only: no manifests linked. Every fact below comes from annotations',
    );
    const card = screen.getByRole('region', {
      name: 'Add these to catalog-info.yaml',
    });
    expect(within(card).getByTestId('manifests-note')).toHaveTextContent(
      'mesh-readiness.io/manifests comes first',
    );
    const snippet = card.querySelector('pre')!.textContent!;
    expect(snippet.split('\n')[2]).toMatch(
      /^ {4}mesh-readiness\.io\/manifests: "\.\/deploy\/"/,
    );
  });

  it('says which cluster the running workloads were observed in and when, stale when the cluster stopped answering, and an injected proxy', async () => {
    const seen = '2026-12-14T10:00:00.000Z';
    const cluster = {
      kind: 'manifest' as const,
      label: 'Deployment shop/inventory-service, cluster demo-local',
      cluster: 'demo-local',
      observedAt: seen,
    };
    const running = {
      locations: ['cluster demo-local'],
      files: 0,
      workloads: [
        {
          kind: 'Deployment',
          name: 'inventory-service',
          namespace: 'shop',
          matchedBy: 'backstage.io/kubernetes-id',
          source: cluster,
          meshProxy: {
            mesh: 'linkerd',
            container: 'linkerd-proxy',
            source: {
              ...cluster,
              label: 'Pod shop/inventory-1, cluster demo-local',
            },
          },
        },
      ],
      problems: [],
      observedAt: seen,
      meshResources: [
        {
          mesh: 'linkerd',
          kind: 'Server',
          name: 'inventory-http',
          namespace: 'shop',
          source: {
            ...cluster,
            label: 'Server shop/inventory-http, cluster demo-local',
          },
        },
      ],
    };
    fakeBackend(server, { entity: { ...orderResult, manifests: running } });
    const first = await renderWithApi(<EntityMeshReadinessContent />, {
      entity: orderEntity,
    });
    let bar = await screen.findByRole('region', {
      name: 'Where the facts come from',
    });
    expect(bar).toHaveTextContent(
      /^ObservedObserved in cluster demo-local, .*2026/,
    );
    expect(bar).toHaveTextContent('What runs is scored');
    expect(bar).toHaveTextContent(
      'Already meshed: linkerd-proxy (linkerd) runs in Pod shop/inventory-1, cluster demo-local; linkerd Server shop/inventory-http, cluster demo-local.',
    );
    expect(bar.getAttribute('data-stale')).toBeNull();
    first.unmount();

    fakeBackend(server, {
      entity: {
        ...orderResult,
        manifests: {
          ...running,
          stale: true,
          problems: [
            {
              file: 'the Kubernetes backend',
              message: 'did not answer in time',
            },
          ],
        },
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: orderEntity,
    });
    bar = await screen.findByRole('region', {
      name: 'Where the facts come from',
    });
    expect(bar).toHaveTextContent(
      /Last observed in cluster demo-local, .*2026/,
    );
    expect(bar).toHaveTextContent('these facts are stale');
    expect(bar).toHaveTextContent('1 problem reading the facts');
    expect(bar.getAttribute('data-stale')).toBe('true');
  });

  it('says when the linked manifests hold no workload of this entity', async () => {
    fakeBackend(server, {
      entity: {
        ...orderResult,
        manifests: {
          locations: ['./deploy/', 'https://example.com/rendered.yaml'],
          files: 2,
          workloads: [],
          problems: [],
        },
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: orderEntity,
    });
    const bar = await screen.findByRole('region', {
      name: 'Where the facts come from',
    });
    expect(bar).toHaveTextContent(
      'Declared only: no workload in ./deploy/, https://example.com/rendered.yaml (2 files read) matches this entity',
    );
    expect(bar.getAttribute('data-inspected')).toBe('false');
  });

  it('lists annotation problems with key, value, message and suggestion, as text', async () => {
    fakeBackend(server, { entity: paymentsResult });
    const { container } = await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const table = await screen.findByRole('table', {
      name: 'Annotation problems',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows[2]).toHaveTextContent('mesh-readiness.io/ports');
    expect(rows[2]).toHaveTextContent('9090/grcp');
    expect(rows[2]).toHaveTextContent(
      "'grcp' is not a known protocol; did you mean 'grpc'?",
    );
    expect(within(rows[2]).getAllByRole('cell')[3]).toHaveTextContent('grpc');
    // The hostile value is shown verbatim and never becomes an element.
    expect(within(rows[1]).getAllByRole('cell')[1]).toHaveTextContent(XSS);
    expect(checkSection('probes')).toHaveTextContent(XSS);
    expect(container.querySelector('img')).toBeNull();
  });

  it('shows waivers in force and flags expired ones', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const table = await screen.findByRole('table', { name: 'Waivers' });
    const [, inForce, expired] = within(table).getAllByRole('row');
    expect(inForce).toHaveTextContent('Client timeouts configured');
    expect(inForce).toHaveTextContent('2027-03-31');
    expect(inForce).toHaveTextContent(
      'legacy SDK has no per-call timeout; PAY-412',
    );
    expect(inForce).toHaveTextContent('In force');
    expect(expired).toHaveTextContent('Expired — ignored');
    expect(
      screen.getByText(/1 waiver has expired and is ignored/),
    ).toBeInTheDocument();
    expect(checkSection('probes')).toHaveTextContent(
      /Expired waiver \(ended .*\), so it is ignored: migrating probes/,
    );
  });

  it('lists operations with the unsafe ones first and per-mesh snippets in tabs', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const table = await screen.findByRole('table', {
      name: 'Operations and retry safety',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[1].textContent),
    ).toEqual([
      'POST /payments',
      'POST /payments/{id}/refunds',
      'GET /payments/{id}',
      'PUT /payments/{id}/capture',
      'POST /payments/{id}/authorize',
    ]);
    const first = within(rows[0]).getAllByRole('cell');
    expect(
      within(first[0]).getByRole('link', { name: 'payments-v1' }),
    ).toHaveAttribute('href', '/catalog/default/api/payments-v1');
    expect(first[2]).toHaveTextContent('No');
    expect(first[3]).toHaveTextContent('Unsafe');
    expect(first[4]).toHaveTextContent(
      'POST without an Idempotency-Key header',
    );
    expect(within(rows[2]).getAllByRole('cell')[3]).toHaveTextContent('Safe');

    const section = screen.getByRole('region', { name: 'Retry safety' });
    expect(
      within(section).getByText('Istio (sidecar): unsafe'),
    ).toBeInTheDocument();
    expect(within(section).getByText('Linkerd: safe')).toBeInTheDocument();
    expect(section).toHaveTextContent('kind: VirtualService');
    expect(section).toHaveTextContent(
      'retryOn: connect-failure,refused-stream',
    );

    const tabs = within(section).getByRole('tablist', {
      name: 'Mesh configuration',
    });
    await userEvent.click(within(tabs).getByRole('tab', { name: 'Linkerd' }));
    expect(section).toHaveTextContent('kind: HTTPRoute');
    expect(section).not.toHaveTextContent('kind: VirtualService');
    expect(
      within(section).getByRole('link', {
        name: /Linkerd: retries and timeouts/,
      }),
    ).toBeInTheDocument();
  });

  it('keeps details of passing checks behind a keyboard-reachable button', async () => {
    fakeBackend(server, { entity: paymentsResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    const toggle = await screen.findByRole('button', {
      name: 'Show details for Owned by a team',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(checkSection('owner')).not.toHaveTextContent('Why it matters');
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    expect(
      screen.getByRole('button', { name: 'Hide details for Owned by a team' }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(checkSection('owner')).toHaveTextContent(
      'Why it matters: Mesh configuration (routes, retry policies, authorization policies) needs an accountable team',
    );
  });

  it('keeps a logical heading outline under the entity page title', async () => {
    fakeBackend(server, { entity: paymentsResult });
    const { container } = await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    await screen.findByRole('heading', { name: 'Retry safety' });
    const outline = headingOutline(container);
    expect(outline[0]).toBe('h2 Mesh readiness');
    expect(outline.some(h => h.startsWith('h1'))).toBe(false);
    expect(headingsAreLogical(container, 1)).toBe(true);
  });

  it('has no combined snippet when nothing needs fixing', async () => {
    fakeBackend(server, {
      entity: checkoutResult,
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: {
        ...paymentsEntity,
        metadata: { ...paymentsEntity.metadata, name: 'checkout-service' },
      },
    });
    await screen.findByRole('heading', { name: 'Checks' });
    expect(
      screen.queryByRole('heading', { name: 'Add these to catalog-info.yaml' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('4 of 5 checks pass')).toBeInTheDocument();
  });

  it('labels the catalogue example as an example and keeps it out of the merged snippet', async () => {
    fakeBackend(server, {
      entity: {
        ...paymentsResult,
        checks: paymentsResult.checks.map(c =>
          c.id === 'tracing' ? { ...c, fixYaml: undefined } : c,
        ),
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    await screen.findByRole('heading', { name: 'Checks' });
    const tracing = checkSection('tracing');
    expect(tracing).toHaveTextContent(
      'Example (adapt the values to this service)',
    );
    expect(tracing).toHaveTextContent('mesh-readiness.io/tracing: "full"');
    expect(checkSection('proxy-uid')).toHaveTextContent(
      'Add to catalog-info.yaml',
    );
    const merged = screen.getByRole('region', {
      name: 'Add these to catalog-info.yaml',
    });
    expect(merged).not.toHaveTextContent('mesh-readiness.io/tracing');
    expect(merged).toHaveTextContent('mesh-readiness.io/run-as-uid: "10001"');
  });

  it('leads a not-assessed service with the annotations to declare', async () => {
    fakeBackend(server, { entity: bareResult });
    await renderWithApi(<EntityMeshReadinessContent />, { entity: bareEntity });
    const card = await screen.findByRole('region', {
      name: 'Declare these 4 annotations',
    });
    expect(card).toHaveTextContent('Not assessed: only 20%');
    expect(card).toHaveTextContent('mesh-readiness.io/tracing: "full"');
    expect(card).toHaveTextContent('mesh-readiness.io/ports: "8080/http"');
    expect(card).toHaveTextContent('mesh-readiness.io/run-as-uid: "10001"');
    expect(
      within(card).getByRole('button', { name: 'Copy text' }),
    ).toBeInTheDocument();
    // It comes first, before the score.
    const regions = screen.getAllByRole('region');
    expect(regions[0]).toBe(card);
    const summary = screen.getByRole('region', { name: 'Mesh readiness' });
    expect(within(summary).getByText('Not assessed')).toBeInTheDocument();
    expect(within(summary).getByTestId('coverage')).toHaveTextContent(
      'Coverage 20%',
    );
    expect(
      screen.queryByRole('region', { name: 'Start here' }),
    ).not.toBeInTheDocument();
  });

  it('greets a component without annotations with a start-here snippet', async () => {
    // As a backend without coverage scores it: a level, no coverage.
    fakeBackend(server, {
      entity: { ...bareResult, level: 'not-ready', coverage: undefined },
    });
    await renderWithApi(<EntityMeshReadinessContent />, { entity: bareEntity });
    const card = await screen.findByRole('region', { name: 'Start here' });
    expect(card).toHaveTextContent('no mesh-readiness annotations yet');
    expect(card).toHaveTextContent('mesh-readiness.io/tracing: "full"');
    expect(card).toHaveTextContent('mesh-readiness.io/ports: "8080/http"');
    expect(card).toHaveTextContent('mesh-readiness.io/run-as-uid: "10001"');
    expect(
      within(card).getByRole('button', { name: 'Copy text' }),
    ).toBeInTheDocument();
  });

  it('skips "start here" for a component without annotations whose workloads were observed', async () => {
    fakeBackend(server, {
      entity: {
        ...bareResult,
        level: 'not-ready',
        manifests: {
          locations: ['cluster demo-local'],
          files: 0,
          problems: [],
          workloads: [
            {
              kind: 'Deployment',
              name: 'bare',
              matchedBy: 'backstage.io/kubernetes-id',
              source: {
                kind: 'manifest',
                label: 'Deployment shop/bare, cluster demo-local',
                cluster: 'demo-local',
              },
            },
          ],
        },
      },
    });
    await renderWithApi(<EntityMeshReadinessContent />, { entity: bareEntity });
    const card = await screen.findByRole('region', {
      name: 'Add these to catalog-info.yaml',
    });
    // The checks' own fixes, not the starter's full list.
    expect(card).toHaveTextContent('mesh-readiness.io/tracing: "full"');
    expect(card).not.toHaveTextContent('no mesh-readiness annotations yet');
    expect(screen.queryByRole('region', { name: 'Start here' })).toBeNull();
  });

  it('explains why an entity is out of scope', async () => {
    fakeBackend(server, { entity: outOfScopeResult });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: mainframeEntity,
    });
    expect(
      await screen.findByRole('heading', {
        name: 'Not in scope for mesh readiness',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Excluded by mesh-readiness.io/exclude: runs on the mainframe',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Checks' }),
    ).not.toBeInTheDocument();
  });

  it('says so when the backend has no result for the entity (404)', async () => {
    fakeBackend(server, { entity: { status: 404, message: 'not found' } });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    expect(
      await screen.findByRole('heading', {
        name: 'No mesh readiness result for this entity',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('component:default/payments-service'),
    ).toBeInTheDocument();
  });

  it('says the backend is unreachable when nothing answers', async () => {
    fakeBackend(server, { entity: { status: 0, network: true } });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    expect(
      await screen.findByRole('heading', {
        name: 'The Mesh Readiness backend is unreachable',
      }),
    ).toBeInTheDocument();
  });

  it('explains a catalog outage (503) and shows the server message', async () => {
    fakeBackend(server, {
      entity: { status: 503, message: 'The catalog did not answer' },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    expect(
      await screen.findByRole('heading', {
        name: 'The catalog is unavailable',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/The catalog did not answer/).length,
    ).toBeGreaterThan(0);
  });

  it('still shows the scorecard when the check catalogue fails', async () => {
    fakeBackend(server, {
      entity: paymentsResult,
      checks: { status: 500, message: 'boom' },
    });
    await renderWithApi(<EntityMeshReadinessContent />, {
      entity: paymentsEntity,
    });
    expect(
      await screen.findByText(/The check catalogue could not be loaded/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(checkSection('proxy-uid')).getByRole('heading', { level: 4 }),
      ).toHaveTextContent(/^proxy-uid$/),
    );
  });
});
