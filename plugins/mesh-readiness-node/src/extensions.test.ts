import { meshReadinessChecksExtensionPoint } from './extensions';
import { meshReadinessFactSourcesExtensionPoint } from './factSources';

describe('meshReadinessChecksExtensionPoint', () => {
  it('has the id other modules register against', () => {
    // The id is part of the public contract: modules that add checks
    // depend on it (see the backend's extensionPoint test for the whole path).
    expect(meshReadinessChecksExtensionPoint.id).toBe('mesh-readiness.checks');
  });
});

describe('meshReadinessFactSourcesExtensionPoint', () => {
  it('has the id fact-source modules register against', () => {
    expect(meshReadinessFactSourcesExtensionPoint.id).toBe(
      'mesh-readiness.fact-sources',
    );
  });
});
