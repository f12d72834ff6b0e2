import type { Config } from '@backstage/config';

/** What `meshReadiness.kubernetes` configures, with its defaults applied. */
export interface KubernetesFactOptions {
  enabled: boolean;
  /** Entities whose workloads are asked for at the same time. */
  concurrency: number;
  /** How long one entity's request to the Kubernetes backend may take. */
  timeoutMs: number;
  /**
   * How old the last observation of an entity may be and still stand in,
   * marked with its age, when its cluster does not answer. 0: never.
   */
  maxAgeMinutes: number;
  /** The only clusters read, by name; undefined: every cluster. */
  clusters?: string[];
}

export const DEFAULT_OPTIONS: KubernetesFactOptions = {
  enabled: true,
  concurrency: 4,
  timeoutMs: 10_000,
  maxAgeMinutes: 120,
};

const KEY = 'meshReadiness.kubernetes';

function integer(
  config: Config,
  name: keyof KubernetesFactOptions,
  min: number,
  max: number,
): number | undefined {
  const key = `${KEY}.${name}`;
  if (!config.has(key)) {
    return undefined;
  }
  const value = config.get(key);
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    throw new Error(
      `${key} must be an integer between ${min} and ${max}, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

/** Reads and checks the module's config; an invalid value throws naming its key. */
export function readKubernetesFactOptions(
  config: Config,
): KubernetesFactOptions {
  const enabledKey = `${KEY}.enabled`;
  let enabled = DEFAULT_OPTIONS.enabled;
  if (config.has(enabledKey)) {
    const value = config.get(enabledKey);
    if (typeof value !== 'boolean') {
      throw new Error(
        `${enabledKey} must be true or false, got ${JSON.stringify(value)}`,
      );
    }
    enabled = value;
  }
  const clustersKey = `${KEY}.clusters`;
  let clusters: string[] | undefined;
  if (config.has(clustersKey)) {
    const value = config.get(clustersKey);
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every(v => typeof v === 'string' && v.trim() !== '')
    ) {
      throw new Error(
        `${clustersKey} must be a non-empty list of cluster names as the Kubernetes plugin knows them (kubernetes.clusterLocatorMethods), got ${JSON.stringify(
          value,
        )}; leave it out to read every cluster`,
      );
    }
    clusters = value as string[];
  }
  return {
    ...(clusters ? { clusters } : {}),
    enabled,
    concurrency:
      integer(config, 'concurrency', 1, 64) ?? DEFAULT_OPTIONS.concurrency,
    timeoutMs:
      integer(config, 'timeoutMs', 100, 600_000) ?? DEFAULT_OPTIONS.timeoutMs,
    maxAgeMinutes:
      integer(config, 'maxAgeMinutes', 0, 10_080) ??
      DEFAULT_OPTIONS.maxAgeMinutes,
  };
}
