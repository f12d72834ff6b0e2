/*
 * The plain-object configuration of the model. The backend reads it from
 * `meshReadiness` in app-config, the CLI from `--config`; both pass it
 * through resolveConfig, which fills defaults and rejects bad values with a
 * message that names the key.
 */
import { VERSION_SOURCES } from './sources';
import { didYouMean, parseVersion } from './util';

/**
 * Published per-proxy and per-node figures used by the cost estimate.
 * Defaults and their sources are listed in the package README.
 * @public
 */
export interface CostFigures {
  /** Istio 1.24 sidecar memory, MB per proxy (default 60). */
  istioSidecarMemoryMB: number;
  /** Istio 1.24 sidecar CPU, vCPU per 1000 rps per proxy (default 0.20). */
  istioSidecarVcpuPerKrps: number;
  /** Linkerd proxy memory, MB per proxy (default 26, vendor benchmark). */
  linkerdProxyMemoryMB: number;
  /** Linkerd proxy CPU, vCPU per 1000 rps per proxy (default 0.20: no official figure, Istio's used as an upper bound). */
  linkerdProxyVcpuPerKrps: number;
  /** Istio ambient ztunnel memory, MB per node (default 12). */
  ztunnelMemoryMB: number;
  /** Istio ambient ztunnel CPU, vCPU per 1000 rps (default 0.06). */
  ztunnelVcpuPerKrps: number;
  /** Istio ambient waypoint memory, MB per waypoint (default 60). */
  waypointMemoryMB: number;
  /** Istio ambient waypoint CPU, vCPU per 1000 rps (default 0.25). */
  waypointVcpuPerKrps: number;
  /** Cilium agent memory, MiB per node (default 438). */
  ciliumAgentMemoryMiB: number;
  /** Cilium agent memory per pod in the cluster, KiB per node (default 10.5). */
  ciliumPerPodKiB: number;
  /** Cilium agent steady CPU, vCPU per node (default 0.003 = 0.15% of 2 vCPU). */
  ciliumAgentVcpu: number;
  /** Proxies a request passes through: client side and server side (default 2). */
  proxyHops: number;
}

/**
 * Where a version figure comes from: the project release it was read from
 * and the page or file that states it.
 * @public
 */
export interface VersionSource {
  /** The release the figure is read from, e.g. `Istio 1.31`. */
  release: string;
  title: string;
  url: string;
}

/** A Kubernetes minor-version window a mesh release supports. @public */
export interface VersionWindow {
  /** Oldest supported, e.g. `1.32`. */
  min: string;
  /** Newest supported, e.g. `1.36`. */
  max: string;
  /**
   * Where the window comes from. Filled for the defaults; a configured
   * window has none unless the configuration gives one.
   */
  source?: VersionSource;
}

/**
 * Everything that can be configured; every field is optional.
 * @public
 */
export interface MeshReadinessConfig {
  thresholds?: {
    /** Production services whose compliance scope requires mTLS (default 50). */
    complianceServices?: number;
    /** Production services declaring a need only a mesh serves well (default 1). */
    l7NeedServices?: number;
    /** Dedicated mesh engineers on the platform team (default 2). */
    meshEngineers?: number;
    /** Share of in-scope services with tracing `full`, 0–1 (default 0.8). */
    tracingCoverage?: number;
    /** Largest acceptable mesh overhead as a share of cluster capacity, 0–1 (default 0.1). */
    costHeadroom?: number;
    /**
     * Share of production services that must declare their needs (`needs`,
     * `none` included) before "no need" is a finding, 0–1 (default 0.8).
     */
    needsDeclared?: number;
    /**
     * Share of a service's applicable check weight that must be known
     * before it gets a level; below it the level is `not-assessed`, 0–1
     * (default 0.5).
     */
    coverage?: number;
  };
  levels?: {
    /** Minimum score for `pilot-ready` (default 60). */
    pilot?: number;
    /** Minimum score for `production-ready` (default 85). */
    production?: number;
    /** Minimum score for `optimal` (default 95). */
    optimal?: number;
  };
  /** Weight overrides by check id. */
  weights?: Record<string, number>;
  /** Check ids to leave out entirely. */
  disabledChecks?: string[];
  /** Component `spec.type` values that are workloads (default service, website, job, cronjob, batch, worker). */
  workloadTypes?: string[];
  cost?: Partial<CostFigures>;
  versions?: {
    /** Minimum node kernel for Cilium (default 5.10, Cilium system requirements). */
    ciliumMinKernel?: string;
    /** First Kubernetes minor with native sidecars on by default (default 1.29, SidecarContainers beta). */
    nativeSidecarsKubernetes?: string;
    /** Kubernetes window of the Linkerd release considered (default 1.29–1.35, Linkerd 2.20). */
    linkerd?: VersionWindow;
    /** Kubernetes window of the Istio release considered (default 1.32–1.36, Istio 1.31). */
    istio?: VersionWindow;
  };
}

/** The configuration with every default filled in. @public */
export interface ResolvedMeshReadinessConfig {
  thresholds: Required<NonNullable<MeshReadinessConfig['thresholds']>>;
  levels: Required<NonNullable<MeshReadinessConfig['levels']>>;
  weights: Record<string, number>;
  disabledChecks: string[];
  workloadTypes: string[];
  cost: CostFigures;
  versions: {
    ciliumMinKernel: string;
    nativeSidecarsKubernetes: string;
    linkerd: VersionWindow;
    istio: VersionWindow;
    /** Where the default minimums come from; absent for a configured value. */
    sources: {
      ciliumMinKernel?: VersionSource;
      nativeSidecarsKubernetes?: VersionSource;
    };
  };
}

/** Default cost figures (see README for their sources). @public */
export const DEFAULT_COST_FIGURES: Readonly<CostFigures> = Object.freeze({
  istioSidecarMemoryMB: 60,
  istioSidecarVcpuPerKrps: 0.2,
  linkerdProxyMemoryMB: 26,
  linkerdProxyVcpuPerKrps: 0.2,
  ztunnelMemoryMB: 12,
  ztunnelVcpuPerKrps: 0.06,
  waypointMemoryMB: 60,
  waypointVcpuPerKrps: 0.25,
  ciliumAgentMemoryMiB: 438,
  ciliumPerPodKiB: 10.5,
  ciliumAgentVcpu: 0.003,
  proxyHops: 2,
});

const DEFAULTS: ResolvedMeshReadinessConfig = {
  thresholds: {
    complianceServices: 50,
    l7NeedServices: 1,
    meshEngineers: 2,
    tracingCoverage: 0.8,
    costHeadroom: 0.1,
    needsDeclared: 0.8,
    coverage: 0.5,
  },
  levels: { pilot: 60, production: 85, optimal: 95 },
  weights: {},
  disabledChecks: [],
  workloadTypes: ['service', 'website', 'job', 'cronjob', 'batch', 'worker'],
  cost: { ...DEFAULT_COST_FIGURES },
  versions: {
    ciliumMinKernel: '5.10',
    nativeSidecarsKubernetes: '1.29',
    linkerd: { min: '1.29', max: '1.35', source: VERSION_SOURCES.linkerd },
    istio: { min: '1.32', max: '1.36', source: VERSION_SOURCES.istio },
    sources: {
      ciliumMinKernel: VERSION_SOURCES.ciliumKernel,
      nativeSidecarsKubernetes: VERSION_SOURCES.nativeSidecars,
    },
  },
};

const ROOT = 'meshReadiness';
const RESOLVED = Symbol.for('mesh-readiness.resolved-config');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (typeof v === 'string') {
    return `'${v}'`;
  }
  if (Array.isArray(v)) {
    return 'a list';
  }
  if (v === null) {
    return 'null';
  }
  if (typeof v === 'object') {
    return 'an object';
  }
  return String(v);
}

function fail(path: string, what: string, got: unknown): never {
  throw new Error(
    `${ROOT}${path ? `.${path}` : ''} ${what}, got ${describe(got)}`,
  );
}

function checkKeys(
  path: string,
  obj: Record<string, unknown>,
  allowed: readonly string[],
) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const near = didYouMean(key, allowed);
      throw new Error(
        `${ROOT}${path ? `.${path}` : ''}.${key} is not a known setting${
          near ? `; did you mean '${near}'?` : ''
        } (known: ${allowed.join(', ')})`,
      );
    }
  }
}

function section(path: string, v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) {
    return {};
  }
  if (!isPlainObject(v)) {
    fail(path, 'must be an object', v);
  }
  return v;
}

function num(
  path: string,
  v: unknown,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  if (v === undefined || v === null) {
    return fallback;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    fail(path, 'must be a number', v);
  }
  if (v < min || v > max) {
    fail(
      path,
      max === Number.MAX_SAFE_INTEGER
        ? `must be at least ${min}`
        : `must be between ${min} and ${max}`,
      v,
    );
  }
  if (integer && !Number.isInteger(v)) {
    fail(path, 'must be a whole number', v);
  }
  return v;
}

function version(path: string, v: unknown, fallback: string): string {
  if (v === undefined || v === null) {
    return fallback;
  }
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string' || !parseVersion(text)) {
    fail(path, "must be a version like '1.29'", v);
  }
  return text;
}

function stringList(path: string, v: unknown, fallback: string[]): string[] {
  if (v === undefined || v === null) {
    return [...fallback];
  }
  if (!Array.isArray(v)) {
    fail(path, 'must be a list of strings', v);
  }
  return v.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') {
      fail(`${path}[${i}]`, 'must be a non-empty string', item);
    }
    return item.trim();
  });
}

function window(
  path: string,
  v: unknown,
  fallback: VersionWindow,
): VersionWindow {
  const obj = section(path, v);
  checkKeys(path, obj, ['min', 'max', 'source']);
  const min = version(`${path}.min`, obj.min, fallback.min);
  const max = version(`${path}.max`, obj.max, fallback.max);
  const a = parseVersion(min)!;
  const b = parseVersion(max)!;
  if (a.major > b.major || (a.major === b.major && a.minor > b.minor)) {
    fail(`${path}.min`, `must not be newer than ${path}.max (${max})`, min);
  }
  const configured = obj.min !== undefined || obj.max !== undefined;
  let source = configured ? undefined : fallback.source;
  if (obj.source !== undefined && obj.source !== null) {
    source = versionSource(`${path}.source`, obj.source);
  }
  return source ? { min, max, source } : { min, max };
}

function versionSource(path: string, v: unknown): VersionSource {
  const obj = section(path, v);
  checkKeys(path, obj, ['release', 'title', 'url']);
  const text = (key: 'release' | 'title' | 'url'): string => {
    const value = obj[key];
    if (typeof value !== 'string' || value.trim() === '') {
      fail(`${path}.${key}`, 'must be a non-empty string', value);
    }
    return value.trim();
  };
  return { release: text('release'), title: text('title'), url: text('url') };
}

/**
 * Fills defaults and validates a partial configuration. Throws an Error
 * whose message names the bad key, e.g.
 * `meshReadiness.thresholds.tracingCoverage must be between 0 and 1, got 3`.
 * Passing an already resolved configuration returns it unchanged.
 * @public
 */
export function resolveConfig(
  partial?: MeshReadinessConfig | ResolvedMeshReadinessConfig | unknown,
): ResolvedMeshReadinessConfig {
  if (isPlainObject(partial) && (partial as any)[RESOLVED] === true) {
    return partial as unknown as ResolvedMeshReadinessConfig;
  }
  const root = section('', partial);
  checkKeys('', root, [
    'thresholds',
    'levels',
    'weights',
    'disabledChecks',
    'workloadTypes',
    'cost',
    'versions',
  ]);

  const t = section('thresholds', root.thresholds);
  checkKeys('thresholds', t, Object.keys(DEFAULTS.thresholds));
  const big = Number.MAX_SAFE_INTEGER;
  const d = DEFAULTS.thresholds;
  const thresholds = {
    complianceServices: num(
      'thresholds.complianceServices',
      t.complianceServices,
      d.complianceServices,
      0,
      big,
      true,
    ),
    l7NeedServices: num(
      'thresholds.l7NeedServices',
      t.l7NeedServices,
      d.l7NeedServices,
      0,
      big,
      true,
    ),
    meshEngineers: num(
      'thresholds.meshEngineers',
      t.meshEngineers,
      d.meshEngineers,
      0,
      big,
      true,
    ),
    tracingCoverage: num(
      'thresholds.tracingCoverage',
      t.tracingCoverage,
      d.tracingCoverage,
      0,
      1,
    ),
    costHeadroom: num(
      'thresholds.costHeadroom',
      t.costHeadroom,
      d.costHeadroom,
      0,
      1,
    ),
    needsDeclared: num(
      'thresholds.needsDeclared',
      t.needsDeclared,
      d.needsDeclared,
      0,
      1,
    ),
    coverage: num('thresholds.coverage', t.coverage, d.coverage, 0, 1),
  };

  const l = section('levels', root.levels);
  checkKeys('levels', l, ['pilot', 'production', 'optimal']);
  const levels = {
    pilot: num('levels.pilot', l.pilot, DEFAULTS.levels.pilot, 0, 100),
    production: num(
      'levels.production',
      l.production,
      DEFAULTS.levels.production,
      0,
      100,
    ),
    optimal: num('levels.optimal', l.optimal, DEFAULTS.levels.optimal, 0, 100),
  };
  if (levels.pilot > levels.production) {
    fail(
      'levels.pilot',
      `must not exceed levels.production (${levels.production})`,
      levels.pilot,
    );
  }
  if (levels.production > levels.optimal) {
    fail(
      'levels.production',
      `must not exceed levels.optimal (${levels.optimal})`,
      levels.production,
    );
  }

  const w = section('weights', root.weights);
  const weights: Record<string, number> = {};
  for (const [id, value] of Object.entries(w)) {
    weights[id] = num(`weights.${id}`, value, 0, 0, 1000);
  }

  const disabledChecks = stringList(
    'disabledChecks',
    root.disabledChecks,
    DEFAULTS.disabledChecks,
  );
  const workloadTypes = stringList(
    'workloadTypes',
    root.workloadTypes,
    DEFAULTS.workloadTypes,
  ).map(s => s.toLowerCase());

  const c = section('cost', root.cost);
  const costKeys = Object.keys(DEFAULT_COST_FIGURES) as (keyof CostFigures)[];
  checkKeys('cost', c, costKeys);
  const cost = { ...DEFAULT_COST_FIGURES } as CostFigures;
  for (const key of costKeys) {
    cost[key] = num(`cost.${key}`, c[key], DEFAULT_COST_FIGURES[key], 0, 1e6);
  }

  const v = section('versions', root.versions);
  checkKeys('versions', v, [
    'ciliumMinKernel',
    'nativeSidecarsKubernetes',
    'linkerd',
    'istio',
  ]);
  const versions = {
    ciliumMinKernel: version(
      'versions.ciliumMinKernel',
      v.ciliumMinKernel,
      DEFAULTS.versions.ciliumMinKernel,
    ),
    nativeSidecarsKubernetes: version(
      'versions.nativeSidecarsKubernetes',
      v.nativeSidecarsKubernetes,
      DEFAULTS.versions.nativeSidecarsKubernetes,
    ),
    linkerd: window('versions.linkerd', v.linkerd, DEFAULTS.versions.linkerd),
    istio: window('versions.istio', v.istio, DEFAULTS.versions.istio),
    sources: {
      ...(v.ciliumMinKernel === undefined || v.ciliumMinKernel === null
        ? { ciliumMinKernel: DEFAULTS.versions.sources.ciliumMinKernel }
        : {}),
      ...(v.nativeSidecarsKubernetes === undefined ||
      v.nativeSidecarsKubernetes === null
        ? {
            nativeSidecarsKubernetes:
              DEFAULTS.versions.sources.nativeSidecarsKubernetes,
          }
        : {}),
    },
  };

  const resolved: ResolvedMeshReadinessConfig = {
    thresholds,
    levels,
    weights,
    disabledChecks,
    workloadTypes,
    cost,
    versions,
  };
  Object.defineProperty(resolved, RESOLVED, { value: true, enumerable: false });
  return resolved;
}
