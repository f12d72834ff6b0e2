import { DEFAULT_COST_FIGURES, resolveConfig } from './config';

describe('resolveConfig', () => {
  it('fills every default', () => {
    const c = resolveConfig();
    expect(c.thresholds).toEqual({
      complianceServices: 50,
      l7NeedServices: 1,
      meshEngineers: 2,
      tracingCoverage: 0.8,
      costHeadroom: 0.1,
      needsDeclared: 0.8,
      coverage: 0.5,
    });
    expect(c.levels).toEqual({ pilot: 60, production: 85, optimal: 95 });
    expect(c.cost).toEqual(DEFAULT_COST_FIGURES);
    expect(c.disabledChecks).toEqual([]);
    expect(c.workloadTypes).toContain('service');
    expect(c.versions.linkerd).toMatchObject({ min: '1.29', max: '1.35' });
    expect(c.versions.linkerd.source?.release).toMatch(/^Linkerd 2\.20/);
    expect(c.versions.istio).toMatchObject({ min: '1.32', max: '1.36' });
    expect(c.versions.istio.source?.release).toBe('Istio 1.31');
    expect(c.versions.sources.nativeSidecarsKubernetes?.release).toBe(
      'Kubernetes 1.29',
    );
    expect(c.versions.sources.ciliumMinKernel?.url).toMatch(
      /system_requirements/,
    );
  });

  it('keeps given values and merges partial sections', () => {
    const c = resolveConfig({
      thresholds: { tracingCoverage: 0.5 },
      weights: { tracing: 5 },
      disabledChecks: ['udp'],
      cost: { istioSidecarMemoryMB: 80 },
      versions: { istio: { min: '1.30', max: '1.34' } },
      workloadTypes: ['Service', 'daemon'],
    });
    expect(c.thresholds.tracingCoverage).toBe(0.5);
    expect(c.thresholds.complianceServices).toBe(50);
    expect(c.weights).toEqual({ tracing: 5 });
    expect(c.disabledChecks).toEqual(['udp']);
    expect(c.cost.istioSidecarMemoryMB).toBe(80);
    expect(c.cost.ztunnelMemoryMB).toBe(12);
    expect(c.versions.istio).toEqual({ min: '1.30', max: '1.34' });
    expect(c.workloadTypes).toEqual(['service', 'daemon']);
  });

  it('returns an already resolved configuration unchanged', () => {
    const c = resolveConfig({ levels: { pilot: 50 } });
    expect(resolveConfig(c)).toBe(c);
  });

  it.each<[string, unknown, string]>([
    [
      'coverage above 1',
      { thresholds: { tracingCoverage: 3 } },
      'meshReadiness.thresholds.tracingCoverage must be between 0 and 1, got 3',
    ],
    [
      'a string number',
      { thresholds: { meshEngineers: '2' } },
      "meshReadiness.thresholds.meshEngineers must be a number, got '2'",
    ],
    [
      'a fraction of engineers',
      { thresholds: { meshEngineers: 1.5 } },
      'meshReadiness.thresholds.meshEngineers must be a whole number, got 1.5',
    ],
    [
      'negative services',
      { thresholds: { complianceServices: -1 } },
      'meshReadiness.thresholds.complianceServices must be at least 0, got -1',
    ],
    [
      'unknown threshold',
      { thresholds: { tracingCoverag: 0.5 } },
      "meshReadiness.thresholds.tracingCoverag is not a known setting; did you mean 'tracingCoverage'?",
    ],
    [
      'unknown root key',
      { weight: {} },
      "meshReadiness.weight is not a known setting; did you mean 'weights'?",
    ],
    [
      'levels out of order',
      { levels: { pilot: 90 } },
      'meshReadiness.levels.pilot must not exceed levels.production (85), got 90',
    ],
    [
      'level above 100',
      { levels: { optimal: 101 } },
      'meshReadiness.levels.optimal must be between 0 and 100, got 101',
    ],
    [
      'negative weight',
      { weights: { tracing: -1 } },
      'meshReadiness.weights.tracing must be between 0 and 1000, got -1',
    ],
    [
      'disabledChecks not a list',
      { disabledChecks: 'udp' },
      "meshReadiness.disabledChecks must be a list of strings, got 'udp'",
    ],
    [
      'empty check id',
      { disabledChecks: [''] },
      "meshReadiness.disabledChecks[0] must be a non-empty string, got ''",
    ],
    [
      'thresholds not an object',
      { thresholds: 5 },
      'meshReadiness.thresholds must be an object, got 5',
    ],
    [
      'bad cost figure',
      { cost: { ztunnelMemoryMB: 'a lot' } },
      "meshReadiness.cost.ztunnelMemoryMB must be a number, got 'a lot'",
    ],
    [
      'unknown cost figure',
      { cost: { envoyMB: 1 } },
      'meshReadiness.cost.envoyMB is not a known setting',
    ],
    [
      'bad version',
      { versions: { ciliumMinKernel: 'five' } },
      "meshReadiness.versions.ciliumMinKernel must be a version like '1.29', got 'five'",
    ],
    [
      'inverted window',
      { versions: { linkerd: { min: '1.35', max: '1.30' } } },
      'meshReadiness.versions.linkerd.min must not be newer than versions.linkerd.max (1.30)',
    ],
    ['root not an object', [1], 'meshReadiness must be an object, got a list'],
  ])('rejects %s', (_name, input, message) => {
    expect(() => resolveConfig(input)).toThrow(message);
  });
});
