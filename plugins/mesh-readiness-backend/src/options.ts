import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  resolveConfig,
  ResolvedMeshReadinessConfig,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { DEFAULT_MAX_DEFINITION_BYTES } from '@mesh-readiness/plugin-mesh-readiness-common/retry';

/** The id of the scheduled snapshot task. */
export const SNAPSHOT_TASK_ID = 'mesh-readiness-snapshot';

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};

export const DEFAULT_RETENTION: HumanDuration = { days: 90 };

/** Everything the plugin reads from `meshReadiness` in app-config. */
export interface MeshReadinessOptions {
  /** The model's configuration, every default filled in. */
  model: ResolvedMeshReadinessConfig;
  schedule: SchedulerServiceTaskScheduleDefinition;
  retention: HumanDuration;
  retentionMs: number;
  /** `meshReadiness.maxDefinitionBytes`: largest API definition read. */
  maxDefinitionBytes: number;
  /** `meshReadiness.manifests`: how much of an entity's manifests is read. */
  manifests: ManifestLimits;
  /** `meshReadiness.refresh`: how often one caller may ask for a snapshot. */
  refresh: RefreshLimits;
}

/** How many `POST /refresh` one caller may make, per backend instance. */
export interface RefreshLimits {
  /** Refreshes per caller within the window. */
  maxPerCaller: number;
  /** The window's length, in seconds. */
  windowSeconds: number;
}

export const DEFAULT_REFRESH_LIMITS: RefreshLimits = {
  maxPerCaller: 5,
  windowSeconds: 60,
};

/** Bounds of `meshReadiness.refresh.*`. */
export const REFRESH_LIMIT_RANGES = {
  maxPerCaller: { min: 1, max: 10_000 },
  windowSeconds: { min: 1, max: 86_400 },
};

/** How much of one entity's Kubernetes manifests a snapshot reads. */
export interface ManifestLimits {
  /** Files per entity, over all its locations. */
  maxFiles: number;
  /** UTF-8 bytes per entity, over all its locations. */
  maxBytes: number;
}

export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = {
  maxFiles: 100,
  maxBytes: 5 * 1024 * 1024,
};

/** Bounds of `meshReadiness.manifests.*`. */
export const MANIFEST_LIMIT_RANGES = {
  maxFiles: { min: 1, max: 10_000 },
  maxBytes: { min: 1024, max: 256 * 1024 * 1024 },
};

const PLUGIN_KEYS = [
  'schedule',
  'retention',
  'maxDefinitionBytes',
  'manifests',
  'refresh',
  // Read and checked by services/NotificationService/notificationOptions.ts.
  'notifications',
  // Read and checked by @mesh-readiness/plugin-mesh-readiness-backend-module-kubernetes.
  'kubernetes',
];

/**
 * A whole-number setting within its range, or an Error naming it (`at`, the
 * full key) with the range and the default: "must be a whole number[ of
 * <unit>] between <min> and <max> (default <fallback>), got <value>".
 */
export function wholeNumberIn(
  at: string,
  value: unknown,
  range: { min: number; max: number },
  fallback: string | number,
  unit?: string,
): number {
  const { min, max } = range;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    throw new Error(
      `Invalid configuration at ${at}: must be a whole number${
        unit ? ` of ${unit}` : ''
      } between ${min} and ${max} (default ${fallback}), got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

/**
 * Reads a block of whole-number settings, `meshReadiness.<section>`: each
 * key known, each value within its range; a missing key keeps its default.
 */
function readWholeNumbers<K extends string>(
  section: string,
  raw: unknown,
  defaults: Record<K, number>,
  ranges: Record<K, { min: number; max: number }>,
): Record<K, number> {
  const known = Object.keys(defaults) as K[];
  const knownInWords = known.join(' and ');
  if (raw === undefined) {
    return defaults;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      `Invalid configuration at meshReadiness.${section}: must be an object with ${knownInWords}`,
    );
  }
  const values = { ...defaults };
  for (const [key, value] of Object.entries(raw)) {
    if (!known.includes(key as K)) {
      throw new Error(
        `Invalid configuration at meshReadiness.${section}.${key}: unknown key (${knownInWords} are known)`,
      );
    }
    values[key as K] = wholeNumberIn(
      `meshReadiness.${section}.${key}`,
      value,
      ranges[key as K],
      defaults[key as K],
    );
  }
  return values;
}

/** Bounds of `meshReadiness.maxDefinitionBytes`: 1 KiB to 512 MiB (about V8's longest string). */
export const MAX_DEFINITION_BYTES_RANGE = { min: 1024, max: 512 * 1024 * 1024 };

function fail(key: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  throw new Error(
    `Invalid configuration at meshReadiness.${key}: ${message.replace(
      /^Invalid[^:]*:\s*/,
      '',
    )}`,
  );
}

/**
 * Reads and validates the `meshReadiness` block. Throws an Error whose
 * message names the offending key; the backend then refuses to start.
 */
export function readMeshReadinessOptions(
  rootConfig: Config,
): MeshReadinessOptions {
  const block = rootConfig.getOptionalConfig('meshReadiness');
  const raw = (block?.get() ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('Invalid configuration: meshReadiness must be an object');
  }

  const modelPart: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!PLUGIN_KEYS.includes(key)) {
      modelPart[key] = value;
    }
  }
  let model: ResolvedMeshReadinessConfig;
  try {
    model = resolveConfig(modelPart);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Invalid configuration: ${message}`);
  }

  let schedule = DEFAULT_SCHEDULE;
  if (block?.has('schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        block.getConfig('schedule'),
      );
    } catch (error) {
      fail('schedule', error);
    }
  }

  let retention = DEFAULT_RETENTION;
  if (block?.has('retention')) {
    try {
      retention = readDurationFromConfig(block, { key: 'retention' });
    } catch (error) {
      fail('retention', error);
    }
  }
  const retentionMs = durationToMilliseconds(retention);
  if (!Number.isFinite(retentionMs) || retentionMs <= 0) {
    throw new Error(
      'Invalid configuration at meshReadiness.retention: must be a positive duration',
    );
  }

  let maxDefinitionBytes = DEFAULT_MAX_DEFINITION_BYTES;
  if (block?.has('maxDefinitionBytes')) {
    maxDefinitionBytes = wholeNumberIn(
      'meshReadiness.maxDefinitionBytes',
      raw.maxDefinitionBytes,
      MAX_DEFINITION_BYTES_RANGE,
      `${DEFAULT_MAX_DEFINITION_BYTES}, 16 MiB`,
      'bytes',
    );
  }

  const manifests: ManifestLimits = readWholeNumbers(
    'manifests',
    raw.manifests,
    DEFAULT_MANIFEST_LIMITS,
    MANIFEST_LIMIT_RANGES,
  );
  const refresh: RefreshLimits = readWholeNumbers(
    'refresh',
    raw.refresh,
    DEFAULT_REFRESH_LIMITS,
    REFRESH_LIMIT_RANGES,
  );

  return {
    model,
    schedule,
    retention,
    retentionMs,
    maxDefinitionBytes,
    manifests,
    refresh,
  };
}
