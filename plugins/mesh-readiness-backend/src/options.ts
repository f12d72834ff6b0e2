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

function readManifestLimits(raw: unknown): ManifestLimits {
  if (raw === undefined) {
    return DEFAULT_MANIFEST_LIMITS;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      'Invalid configuration at meshReadiness.manifests: must be an object with maxFiles and maxBytes',
    );
  }
  const limits = { ...DEFAULT_MANIFEST_LIMITS };
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'maxFiles' && key !== 'maxBytes') {
      throw new Error(
        `Invalid configuration at meshReadiness.manifests.${key}: unknown key (maxFiles and maxBytes are known)`,
      );
    }
    const { min, max } = MANIFEST_LIMIT_RANGES[key];
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < min ||
      value > max
    ) {
      throw new Error(
        `Invalid configuration at meshReadiness.manifests.${key}: must be a whole number between ${min} and ${max} (default ${
          DEFAULT_MANIFEST_LIMITS[key]
        }), got ${JSON.stringify(value)}`,
      );
    }
    limits[key] = value;
  }
  return limits;
}

function readRefreshLimits(raw: unknown): RefreshLimits {
  if (raw === undefined) {
    return DEFAULT_REFRESH_LIMITS;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      'Invalid configuration at meshReadiness.refresh: must be an object with maxPerCaller and windowSeconds',
    );
  }
  const limits = { ...DEFAULT_REFRESH_LIMITS };
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'maxPerCaller' && key !== 'windowSeconds') {
      throw new Error(
        `Invalid configuration at meshReadiness.refresh.${key}: unknown key (maxPerCaller and windowSeconds are known)`,
      );
    }
    const { min, max } = REFRESH_LIMIT_RANGES[key];
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < min ||
      value > max
    ) {
      throw new Error(
        `Invalid configuration at meshReadiness.refresh.${key}: must be a whole number between ${min} and ${max} (default ${
          DEFAULT_REFRESH_LIMITS[key]
        }), got ${JSON.stringify(value)}`,
      );
    }
    limits[key] = value;
  }
  return limits;
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
    const value = raw.maxDefinitionBytes;
    const { min, max } = MAX_DEFINITION_BYTES_RANGE;
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < min ||
      value > max
    ) {
      throw new Error(
        `Invalid configuration at meshReadiness.maxDefinitionBytes: must be a whole number of bytes between ${min} and ${max} (default ${DEFAULT_MAX_DEFINITION_BYTES}, 16 MiB), got ${JSON.stringify(
          value,
        )}`,
      );
    }
    maxDefinitionBytes = value;
  }

  const manifests = readManifestLimits(raw.manifests);
  const refresh = readRefreshLimits(raw.refresh);

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
