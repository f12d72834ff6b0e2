import { ConfigReader } from '@backstage/config';
import { DEFAULT_OPTIONS, readKubernetesFactOptions } from './options';

function read(kubernetes: unknown) {
  return readKubernetesFactOptions(
    new ConfigReader({ meshReadiness: { kubernetes } } as any),
  );
}

describe('readKubernetesFactOptions', () => {
  it('has defaults', () => {
    expect(readKubernetesFactOptions(new ConfigReader({}))).toEqual(
      DEFAULT_OPTIONS,
    );
  });

  it('reads every key', () => {
    expect(
      read({
        enabled: false,
        concurrency: 2,
        timeoutMs: 500,
        maxAgeMinutes: 0,
        clusters: ['prod-eu'],
      }),
    ).toEqual({
      enabled: false,
      concurrency: 2,
      timeoutMs: 500,
      maxAgeMinutes: 0,
      clusters: ['prod-eu'],
    });
  });

  it.each([
    [
      { enabled: 'yes' },
      'meshReadiness.kubernetes.enabled must be true or false, got "yes"',
    ],
    [
      { concurrency: 0 },
      'meshReadiness.kubernetes.concurrency must be an integer between 1 and 64, got 0',
    ],
    [
      { timeoutMs: 1.5 },
      'meshReadiness.kubernetes.timeoutMs must be an integer between 100 and 600000, got 1.5',
    ],
    [
      { maxAgeMinutes: -1 },
      'meshReadiness.kubernetes.maxAgeMinutes must be an integer between 0 and 10080, got -1',
    ],
    [
      { concurrency: '4' },
      'meshReadiness.kubernetes.concurrency must be an integer between 1 and 64, got "4"',
    ],
    [
      { clusters: 'prod-eu' },
      'meshReadiness.kubernetes.clusters must be a non-empty list of cluster names',
    ],
    [
      { clusters: [] },
      'meshReadiness.kubernetes.clusters must be a non-empty list of cluster names',
    ],
  ])('refuses %j naming the key', (kubernetes, message) => {
    expect(() => read(kubernetes)).toThrow(message);
  });
});
