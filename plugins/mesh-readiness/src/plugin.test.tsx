import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import { paymentsEntity } from './__fixtures__';
import {
  MeshReadinessPage,
  isMeshReadinessAvailable,
  meshReadinessPlugin,
} from './plugin';
import { fakeBackend, renderWithApi } from './__testUtils__';

const server = setupServer();

describe('meshReadinessPlugin (classic)', () => {
  registerMswTestHooks(server);

  it('has the mesh-readiness id and provides its API', () => {
    expect(meshReadinessPlugin.getId()).toBe('mesh-readiness');
    expect([...meshReadinessPlugin.getApis()].map(f => f.api.id)).toEqual([
      'plugin.mesh-readiness.service',
    ]);
  });

  it('is available for Components only', () => {
    expect(isMeshReadinessAvailable(paymentsEntity)).toBe(true);
    expect(
      isMeshReadinessAvailable({ ...paymentsEntity, kind: 'component' }),
    ).toBe(true);
    expect(isMeshReadinessAvailable({ ...paymentsEntity, kind: 'API' })).toBe(
      false,
    );
    expect(isMeshReadinessAvailable({ ...paymentsEntity, kind: 'Group' })).toBe(
      false,
    );
  });

  it('mounts the dashboard page with its header at a route', async () => {
    fakeBackend(server);
    await renderWithApi(
      <Routes>
        <Route path="/mesh-readiness" element={<MeshReadinessPage />} />
      </Routes>,
      { routeEntries: ['/mesh-readiness'] },
    );
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Mesh readiness' }),
    ).toBeInTheDocument();
  });
});
