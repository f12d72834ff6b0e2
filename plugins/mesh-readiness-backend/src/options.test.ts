import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { meshReadinessPlugin } from './plugin';
import { readMeshReadinessOptions } from './options';

describe('readMeshReadinessOptions', () => {
  it('fills every default', () => {
    const options = readMeshReadinessOptions(new ConfigReader({}));
    expect(options.schedule).toEqual({
      frequency: { minutes: 30 },
      timeout: { minutes: 15 },
      initialDelay: { seconds: 15 },
    });
    expect(options.retention).toEqual({ days: 90 });
    expect(options.retentionMs).toBe(90 * 24 * 3600 * 1000);
    expect(options.maxDefinitionBytes).toBe(16 * 1024 * 1024);
    expect(options.manifests).toEqual({
      maxFiles: 100,
      maxBytes: 5 * 1024 * 1024,
    });
    expect(options.refresh).toEqual({ maxPerCaller: 5, windowSeconds: 60 });
    expect(options.model.thresholds.meshEngineers).toBe(2);
    expect(options.model.levels).toEqual({
      pilot: 60,
      production: 85,
      optimal: 95,
    });
  });

  it('reads the schedule, retention and model settings', () => {
    const options = readMeshReadinessOptions(
      new ConfigReader({
        meshReadiness: {
          schedule: { frequency: { hours: 1 }, timeout: 'PT10M' },
          retention: 'P30D',
          thresholds: { tracingCoverage: 0.5 },
          weights: { tracing: 20 },
          disabledChecks: ['udp'],
          maxDefinitionBytes: 32 * 1024 * 1024,
          manifests: { maxFiles: 20 },
          refresh: { maxPerCaller: 2 },
        },
      }),
    );
    expect(options.refresh).toEqual({ maxPerCaller: 2, windowSeconds: 60 });
    expect(options.maxDefinitionBytes).toBe(32 * 1024 * 1024);
    expect(options.manifests).toEqual({
      maxFiles: 20,
      maxBytes: 5 * 1024 * 1024,
    });
    expect(options.schedule.frequency).toEqual({ hours: 1 });
    expect(options.retentionMs).toBe(30 * 24 * 3600 * 1000);
    expect(options.model.thresholds.tracingCoverage).toBe(0.5);
    expect(options.model.weights).toEqual({ tracing: 20 });
    expect(options.model.disabledChecks).toEqual(['udp']);
  });

  it.each([
    [
      { thresholds: { tracingCoverage: 3 } },
      /meshReadiness\.thresholds\.tracingCoverage/,
    ],
    [{ levels: { pilot: 90, production: 80 } }, /meshReadiness\.levels\.pilot/],
    [{ thresholdz: {} }, /meshReadiness\.thresholdz is not a known setting/],
    [{ weights: { tracing: 'heavy' } }, /meshReadiness\.weights\.tracing/],
    [{ retention: 'forever' }, /meshReadiness\.retention/],
    [{ retention: { days: 0 } }, /meshReadiness\.retention/],
    [{ schedule: { frequency: 'often' } }, /meshReadiness\.schedule/],
    [
      { maxDefinitionBytes: '16MiB' },
      /meshReadiness\.maxDefinitionBytes: must be a whole number of bytes between 1024 and 536870912 \(default 16777216, 16 MiB\), got "16MiB"/,
    ],
    [{ maxDefinitionBytes: 10 }, /meshReadiness\.maxDefinitionBytes/],
    [{ maxDefinitionBytes: 1.5e9 }, /meshReadiness\.maxDefinitionBytes/],
    [
      { manifests: { maxFiles: 0 } },
      /meshReadiness\.manifests\.maxFiles: must be a whole number between 1 and 10000 \(default 100\), got 0/,
    ],
    [
      { manifests: { maxBytes: '5MiB' } },
      /meshReadiness\.manifests\.maxBytes: must be a whole number between 1024 and 268435456 \(default 5242880\), got "5MiB"/,
    ],
    [
      { manifests: { maxFolders: 3 } },
      /meshReadiness\.manifests\.maxFolders: unknown key/,
    ],
    [{ manifests: 'small' }, /meshReadiness\.manifests: must be an object/],
    [
      { refresh: { maxPerCaller: 0 } },
      /meshReadiness\.refresh\.maxPerCaller: must be a whole number between 1 and 10000 \(default 5\), got 0/,
    ],
    [
      { refresh: { windowSeconds: '1m' } },
      /meshReadiness\.refresh\.windowSeconds: must be a whole number between 1 and 86400 \(default 60\), got "1m"/,
    ],
    [
      { refresh: { perCaller: 3 } },
      /meshReadiness\.refresh\.perCaller: unknown key/,
    ],
    [{ refresh: true }, /meshReadiness\.refresh: must be an object/],
  ])('rejects %j naming the key', (block, message) => {
    expect(() =>
      readMeshReadinessOptions(new ConfigReader({ meshReadiness: block })),
    ).toThrow(message);
  });

  it('stops the backend at startup on invalid configuration', async () => {
    await expect(
      startTestBackend({
        features: [
          meshReadinessPlugin,
          mockServices.rootConfig.factory({
            data: { meshReadiness: { thresholds: { meshEngineers: -1 } } },
          }),
        ],
      }),
    ).rejects.toThrow(/meshReadiness\.thresholds\.meshEngineers/);
  });
});
