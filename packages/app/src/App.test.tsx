import { render, screen, waitFor } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import App from './App';

/** The app's own app-config.yaml, as `yarn start` reads it. */
function appConfig() {
  return parse(
    readFileSync(resolve(__dirname, '../../../app-config.yaml'), 'utf8'),
  );
}

// The app is created once per module, so every test renders it with one
// configuration: the repository's, past the guest sign-in page (which needs
// a backend).
function renderApp() {
  const config = appConfig();
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: {
            title: 'Test',
            extensions: [
              ...config.app.extensions,
              { 'sign-in-page:app': false },
            ],
          },
          backend: { baseUrl: 'http://localhost:7007' },
        },
        context: 'test',
      },
    ] as any,
  };
  return render(App.createRoot());
}

describe('App', () => {
  it('should render', async () => {
    const rendered = renderApp();

    await waitFor(() => {
      expect(rendered.baseElement).toBeInTheDocument();
    });
  });

  it('serves the catalog at /catalog and sends the landing page there', async () => {
    window.history.pushState({}, '', '/');
    renderApp();

    await waitFor(() => expect(window.location.pathname).toBe('/catalog'), {
      timeout: 20_000,
    });
    // The catalog's table of components, not the app's "page not found".
    // The table renders after the catalog answers: slow on a loaded machine.
    expect(
      await screen.findByText(/^All components/, {}, { timeout: 20_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/page not found/i)).toBeNull();
  }, 30_000);
});
