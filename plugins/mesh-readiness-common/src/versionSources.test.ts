import { kernelVersion } from './checks/org/kernelVersion';
import { kubernetesVersion } from './checks/org/kubernetesVersion';
import { resolveConfig } from './config';
import type { OrgFacts } from './facts';
import { parseVersion } from './util';

function facts(kubernetes: string, kernel: string): OrgFacts {
  return {
    clusters: [
      {
        ref: 'resource:default/prod',
        name: 'prod',
        values: {
          kubernetesVersion: parseVersion(kubernetes),
          kernelVersion: parseVersion(kernel),
        },
      },
    ],
  } as unknown as OrgFacts;
}

describe('version windows carry the release they come from', () => {
  it('names the Istio release next to its window', () => {
    const o = kubernetesVersion.evaluate({
      facts: facts('1.31', '6.1'),
      config: resolveConfig(),
      recommendedMesh: 'istio-ambient',
    } as any);
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Istio supports Kubernetes 1.32–1.36 (Istio 1.31); outside: prod (1.31).',
    );
    expect(o.figures).toMatchObject({ windowFrom: 'Istio 1.31' });
  });

  it('names the Linkerd release on a pass', () => {
    const o = kubernetesVersion.evaluate({
      facts: facts('1.33', '6.1'),
      config: resolveConfig(),
      recommendedMesh: 'linkerd',
    } as any);
    expect(o.status).toBe('pass');
    expect(o.message).toBe(
      'Every cluster runs a supported Kubernetes version for Linkerd, 1.29–1.35 (Linkerd 2.20; minimum from the 2.19 row), with native sidecars.',
    );
  });

  it('says "configured" for a window from app-config', () => {
    const o = kubernetesVersion.evaluate({
      facts: facts('1.36', '6.1'),
      config: resolveConfig({ versions: { istio: { max: '1.35' } } }),
      recommendedMesh: 'istio-sidecar',
    } as any);
    expect(o.message).toBe(
      'Istio supports Kubernetes 1.32–1.35 (configured); outside: prod (1.36).',
    );
  });

  it('keeps a source given in the configuration', () => {
    const c = resolveConfig({
      versions: {
        istio: {
          min: '1.31',
          max: '1.35',
          source: { release: 'Istio 1.29', title: 'Our pin', url: 'https://x' },
        },
      },
    });
    expect(c.versions.istio.source?.release).toBe('Istio 1.29');
    expect(() =>
      resolveConfig({ versions: { istio: { source: { release: '' } } } }),
    ).toThrow(/versions\.istio\.source/);
  });

  it('names where the Kubernetes minimum for native sidecars comes from', () => {
    const o = kubernetesVersion.evaluate({
      facts: facts('1.28', '6.1'),
      config: resolveConfig(),
      recommendedMesh: 'cilium',
    } as any);
    expect(o.status).toBe('warn');
    expect(o.message).toBe(
      'prod (1.28) predate native sidecars (on by default from Kubernetes 1.29).',
    );
  });

  it('names the source of the Cilium kernel minimum', () => {
    const o = kernelVersion.evaluate({
      facts: facts('1.33', '4.19'),
      config: resolveConfig(),
      recommendedMesh: 'cilium',
    } as any);
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'prod runs kernel 4.19; Cilium needs 5.10+ (Cilium docs (main)).',
    );
    const configured = kernelVersion.evaluate({
      facts: facts('1.33', '6.1'),
      config: resolveConfig({ versions: { ciliumMinKernel: '6.1' } }),
      recommendedMesh: 'cilium',
    } as any);
    expect(configured.message).toBe(
      'Every cluster runs kernel 6.1 or later (Cilium minimum, configured).',
    );
  });
});
