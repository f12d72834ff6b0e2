import {
  coreExtensionData,
  identityApiRef,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { createClient, fakeBackend } from '../__testUtils__';
import { fakeBackendWithOwnership } from '../__testUtils__/myServices';
import { meshReadinessApiRef } from '../api';
import { meshReadinessEntityCard } from './entityCards';
import { meshReadinessEntityContent } from './entityContent';
import { meshReadinessMyServicesWidget } from './homePageWidgets';
import { meshReadinessPage } from './pages';
import plugin from './plugin';
import { rootRouteRef } from './routes';

const server = setupServer();

describe('meshReadinessPlugin (new frontend system)', () => {
  registerMswTestHooks(server);

  it('provides the API, the page, the entity tab and the entity card', () => {
    expect(plugin.pluginId).toBe('mesh-readiness');
    // Extension ids are typed: a wrong id does not compile, and throws.
    expect(plugin.getExtension('api:mesh-readiness')).toBeDefined();
    expect(plugin.getExtension('page:mesh-readiness')).toBeDefined();
    expect(plugin.getExtension('entity-content:mesh-readiness')).toBeDefined();
    expect(plugin.getExtension('entity-card:mesh-readiness')).toBeDefined();
    expect(
      plugin.getExtension('home-page-widget:mesh-readiness/my-services'),
    ).toBeDefined();
    expect(() =>
      plugin.getExtension('nav-item:mesh-readiness' as 'page:mesh-readiness'),
    ).toThrow();
  });

  it('mounts the page at /mesh-readiness and leaves the header to the framework', async () => {
    const tester = createExtensionTester(meshReadinessPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/mesh-readiness');
    expect(tester.get(coreExtensionData.title)).toBe('Mesh readiness');
    fakeBackend(server);
    await renderInTestApp(tester.reactElement(), {
      apis: [[meshReadinessApiRef, createClient()]],
    });
    expect(
      await screen.findByRole('heading', { level: 2, name: /^Verdict/ }),
    ).toBeInTheDocument();
    // The framework's page header is the only h1: the content adds none.
    expect(
      screen.getAllByRole('heading', { level: 1 }).map(h => h.textContent),
    ).toEqual(['Mesh readiness']);
  });

  it('offers the home page a "My services\' mesh readiness" widget', async () => {
    const tester = createExtensionTester(meshReadinessMyServicesWidget);
    const widget = tester.get(HomePageWidgetBlueprint.dataRefs.widget);
    expect(widget.title).toBe("My services' mesh readiness");
    expect(widget.name).toBe('MeshReadinessMyServices');
    fakeBackendWithOwnership(server);
    await renderInTestApp(widget.component, {
      apis: [
        [meshReadinessApiRef, createClient()],
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/jane' }),
        ],
      ],
      mountedRoutes: {
        '/mesh-readiness': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
    expect(
      await screen.findByText("My services' mesh readiness"),
    ).toBeInTheDocument();
    const lowest = await screen.findByRole('list', { name: 'Lowest scores' });
    expect(
      within(lowest)
        .getAllByRole('link')
        .map(a => a.textContent),
    ).toEqual(['loyalty-service', 'Checkout Service']);
    expect(
      screen.getByRole('link', { name: 'Open my services on the dashboard' }),
    ).toHaveAttribute('href', '/mesh-readiness?scope=mine');
  });

  it('shows the tab and the card on components only', () => {
    const content = createExtensionTester(meshReadinessEntityContent);
    expect(content.get(coreExtensionData.routePath)).toBe('/mesh-readiness');
    expect(content.get(EntityContentBlueprint.dataRefs.filterExpression)).toBe(
      'kind:component',
    );
    const card = createExtensionTester(meshReadinessEntityCard);
    expect(card.get(EntityCardBlueprint.dataRefs.filterExpression)).toBe(
      'kind:component',
    );
    expect(card.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
  });
});
