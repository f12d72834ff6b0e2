/*
 * Reading the `mesh-readiness.io/*` annotations (contract v1, see
 * docs/annotations.md) into a typed view, with one problem per bad value.
 *
 * The parser never throws: catalog entities are user input, and anything a
 * person can type into YAML (numbers, lists, objects, megabytes of text,
 * control characters) must come back as a problem with a message, not as
 * an exception.
 */
import type { Entity } from '@backstage/catalog-model';
import { ENTITY_CHECK_IDS, GATE_IDS, ORG_CHECK_IDS } from './checkIds';
import type { AnnotationProblem, WaiverInfo } from './types';
import {
  MAX_VALUE_LENGTH,
  didYouMean,
  parseVersion,
  shown,
  Version,
} from './util';
import {
  ANNOTATION_PREFIX,
  ANNOTATION_PORTS,
  ANNOTATION_OPAQUE_PORTS,
  ANNOTATION_TRACING,
  ANNOTATION_COMPLIANCE,
  ANNOTATION_MTLS_REQUIREMENT,
  ANNOTATION_NEEDS,
  ANNOTATION_REPLICAS,
  ANNOTATION_PEAK_RPS,
  ANNOTATION_RUN_AS_UID,
  ANNOTATION_PROBES,
  ANNOTATION_POD_SECURITY,
  ANNOTATION_BIND_ADDRESS,
  ANNOTATION_HEADLESS,
  ANNOTATION_TIMEOUTS,
  ANNOTATION_RETRIES,
  ANNOTATION_NO_RETRY_ROUTES,
  ANNOTATION_WAIVE_PREFIX,
  ANNOTATION_EXCLUDE,
  ANNOTATION_MANIFESTS,
  ANNOTATION_PLATFORM_TEAM,
  ANNOTATION_MESH_ENGINEERS,
  ANNOTATION_CA,
  ANNOTATION_CONFIG_LINT,
  ANNOTATION_CNI,
  ANNOTATION_KERNEL_VERSION,
  ANNOTATION_KUBERNETES_VERSION,
  ANNOTATION_NODES,
  ANNOTATION_CAPACITY_VCPU,
  ANNOTATION_CAPACITY_MEMORY_GIB,
} from './annotationKeys';

export * from './annotationKeys';

/** @public */
export const PROTOCOLS = [
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'websocket',
  'tcp',
  'tls',
  'udp',
  'mysql',
  'postgres',
  'redis',
  'mongodb',
  'memcached',
  'kafka',
  'amqp',
  'nats',
  'smtp',
  'dns',
  'elasticsearch',
  'cassandra',
  'galera',
] as const;
/** @public */
export type Protocol = (typeof PROTOCOLS)[number];

/** @public */
export const TRACING_LEVELS = ['full', 'partial', 'none'] as const;
/** @public */
export type TracingLevel = (typeof TRACING_LEVELS)[number];

/** @public */
export const COMPLIANCE_SCOPES = [
  'pci',
  'hipaa',
  'soc2',
  'gdpr',
  'fedramp',
  'iso27001',
  'pii',
] as const;
/** @public */
export type ComplianceScope = (typeof COMPLIANCE_SCOPES)[number];

/** @public */
export const MTLS_REQUIREMENTS = [
  'workload-identity',
  'encryption',
  'none',
] as const;
/** @public */
export type MtlsRequirement = (typeof MTLS_REQUIREMENTS)[number];

/** @public */
export const MESH_NEEDS = [
  'mtls',
  'observability',
  'retries',
  'timeouts',
  'circuit-breaking',
  'canary',
  'traffic-split',
  'fault-injection',
  'header-routing',
  'multi-cluster',
] as const;
/** @public */
export type MeshNeed = (typeof MESH_NEEDS)[number];

/** Needs that only an L7-capable mesh serves well (genuine-need gate). @public */
export const MESH_ONLY_NEEDS: readonly MeshNeed[] = [
  'canary',
  'traffic-split',
  'fault-injection',
  'header-routing',
  'multi-cluster',
];

/** @public */
export const PROBE_KINDS = ['http', 'tcp', 'grpc', 'exec', 'none'] as const;
/** @public */
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** @public */
export const POD_SECURITY_LEVELS = [
  'privileged',
  'baseline',
  'restricted',
] as const;
/** @public */
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** @public */
export const APP_RETRY_POLICIES = ['none', 'idempotent-only', 'all'] as const;
/** @public */
export type AppRetryPolicy = (typeof APP_RETRY_POLICIES)[number];

/** @public */
export const CNI_KINDS = [
  'cilium',
  'calico',
  'aws-vpc-cni',
  'azure-cni',
  'gke-dataplane-v2',
  'flannel',
  'other',
] as const;
/** @public */
export type CniKind = (typeof CNI_KINDS)[number];

/** @public */
export const CA_KINDS = [
  'cert-manager',
  'vault',
  'external',
  'mesh-default',
  'self-signed',
] as const;
/** @public */
export type CaKind = (typeof CA_KINDS)[number];

/** @public */
export const CONFIG_LINT_TOOLS = [
  'istioctl-analyze',
  'linkerd-check',
  'cilium-status',
  'none',
] as const;
/** @public */
export type ConfigLintTool = (typeof CONFIG_LINT_TOOLS)[number];

/** A declared port and its protocol. @public */
export interface PortDeclaration {
  port: number;
  protocol: Protocol;
}

/**
 * The typed view of an entity's annotations. A field that is absent was not
 * declared (unknown); a key listed in `invalid` was declared but malformed
 * (list fields then keep the items that did parse).
 * @public
 */
export interface ParsedAnnotations {
  ports?: PortDeclaration[];
  opaquePorts?: number[];
  tracing?: TracingLevel;
  /** From the annotation and from `metadata.tags`, deduplicated. */
  compliance: ComplianceScope[];
  mtlsRequirement?: MtlsRequirement;
  needs?: MeshNeed[];
  replicas?: number;
  peakRps?: number;
  runAsUid?: number;
  probes?: ProbeKind[];
  podSecurity?: PodSecurityLevel;
  bindAddress?: string;
  headless?: boolean;
  timeouts?: boolean;
  retries?: AppRetryPolicy;
  noRetryRoutes?: string[];
  /** Where the workload's Kubernetes manifests are (paths or URLs, as written). */
  manifests?: string[];
  /** Every well-formed waiver, expired ones included (flagged). */
  waivers: WaiverInfo[];
  /** Reason the component is out of scope. */
  exclude?: string;
  platformTeam?: boolean;
  meshEngineers?: number;
  ca?: CaKind;
  configLint?: ConfigLintTool;
  cni?: CniKind;
  kernelVersion?: Version;
  kubernetesVersion?: Version;
  nodes?: number;
  capacityVcpu?: number;
  capacityMemoryGiB?: number;
  /** Keys that were present but malformed. */
  invalid: string[];
  /** True when the entity carries at least one `mesh-readiness.io/` annotation. */
  hasAnnotations: boolean;
}

/** @public */
export interface ParseAnnotationsOptions {
  /** Check ids a waiver may name (default: the built-in entity checks). */
  checkIds?: ReadonlySet<string> | readonly string[];
  /** The date waivers are compared against (default: now). */
  now?: Date;
}

/** @public */
export interface ParseAnnotationsResult {
  values: ParsedAnnotations;
  problems: AnnotationProblem[];
}

type KeyKind = 'component' | 'group' | 'cluster';

/**
 * The values an annotation takes, in a form a program can read: the JSON
 * Schema of catalog-info.yaml is generated from it. Values are strings;
 * words are matched case-insensitively, lists are comma-separated and
 * whitespace around a value or an item is ignored.
 * @public
 */
export type AnnotationFormat =
  | {
      /** One of `words`. */
      type: 'word';
      words: readonly string[];
    }
  | {
      /** A list of `words`; or `alone` on its own, when set. */
      type: 'word-list';
      words: readonly string[];
      alone?: string;
    }
  | {
      /** `true` or `false`. */
      type: 'boolean';
    }
  | {
      /**
       * A plain number from `min` to `max`: digits only for `integer`,
       * digits with an optional `.fraction` for `number`.
       */
      type: 'integer' | 'number';
      min: number;
      max: number;
    }
  | {
      /** A list of `PORT/PROTOCOL`, ports from 1 to 65535. */
      type: 'port-protocol-list';
      protocols: readonly string[];
    }
  | {
      /** A list of ports from 1 to 65535. */
      type: 'port-list';
    }
  | {
      /** An IPv4 or IPv6 address, `localhost` or `*`. */
      type: 'ip-address';
    }
  | {
      /** A list of `METHOD /path` (one of `methods`) or `package.Service/Method`. */
      type: 'route-list';
      methods: readonly string[];
    }
  | {
      /** A list of paths or URLs without control characters. */
      type: 'path-list';
    }
  | {
      /** `MAJOR.MINOR`, optionally with `v`, `.PATCH` and a suffix (`v1.31.2`, `5.15.0-1051-azure`). */
      type: 'version';
    }
  | {
      /** Text that is not blank. */
      type: 'text';
    };

/** A number format, shared by a spec and its parser. */
type NumberFormat = Extract<AnnotationFormat, { type: 'integer' | 'number' }>;

/**
 * One annotation of the contract: the entity it applies to, the values it
 * takes and what reads it besides the checks (which name it in `reads`).
 * The annotation tables of docs/annotations.md are generated from these.
 * @public
 */
export interface AnnotationSpec {
  key: string;
  appliesTo: 'component' | 'group' | 'cluster';
  /** The values it takes, in words. */
  values: string;
  example: string;
  /** The values it takes, for programs (the catalog-info.yaml JSON Schema). */
  format: AnnotationFormat;
  /** What reads it other than entity and org checks (recommendation, cost…). */
  feeds?: string;
  /** Added after contract v1. */
  addedAfterV1?: boolean;
}

const KIND_LABEL: Record<KeyKind, string> = {
  component: 'Component',
  group: 'Group',
  cluster: "Resource of spec.type 'kubernetes-cluster'",
};

/** Misspellings of the prefix that deserve a pointer to the right one. */
const PREFIX_LOOKALIKES = [
  'meshready.io',
  'mesh-ready.io',
  'meshreadiness.io',
  'mesh-readiness',
  'mesh-readiness.com',
  'mesh.readiness.io',
];

/**
 * A table of words as a Map. Lookups of user-written words go through
 * Maps, never through object properties: a word like 'constructor' must
 * not find Object.prototype's, and V8 would keep optimised code that
 * depends on each looked-up word only as long as the word lives, then
 * deoptimise the parser after every evaluation.
 */
function words<T>(table: Record<string, T>): ReadonlyMap<string, T> {
  return new Map(Object.entries(table));
}

/** Common synonyms that edit distance would not catch. */
const PROTOCOL_ALIASES = words<Protocol>({
  h2c: 'http2',
  h2: 'http2',
  http1: 'http',
  'http/1.1': 'http',
  ws: 'websocket',
  wss: 'websocket',
  websockets: 'websocket',
  mongo: 'mongodb',
  memcache: 'memcached',
  postgresql: 'postgres',
  pg: 'postgres',
  mariadb: 'mysql',
  rabbitmq: 'amqp',
  es: 'elasticsearch',
  grpcweb: 'grpc-web',
});

const COMPLIANCE_ALIASES = words<ComplianceScope>({
  'pci-dss': 'pci',
  pcidss: 'pci',
  'soc-2': 'soc2',
  'soc 2': 'soc2',
  'iso-27001': 'iso27001',
  'iso 27001': 'iso27001',
});

const BOOLEAN_HINTS = words<string>({
  yes: 'true',
  y: 'true',
  on: 'true',
  '1': 'true',
  enabled: 'true',
  no: 'false',
  n: 'false',
  off: 'false',
  '0': 'false',
  disabled: 'false',
});

const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  '*',
];

const MAX_LIST_ITEMS = 200;

const DEFAULT_CHECK_IDS: ReadonlySet<string> = new Set(ENTITY_CHECK_IDS);
const ORG_IDS: readonly string[] = [...GATE_IDS, ...ORG_CHECK_IDS];

const GRPC_ROUTE_RE = /^[A-Za-z_][\w.]*\/[A-Za-z_]\w*$/;
const INT_RE = /^\d+$/;
const NUMBER_RE = /^\d+(?:\.\d+)?$/;
const WAIVER_RE = /^(\d{4})-(\d{2})-(\d{2})(?:\s+([\s\S]*))?$/;
const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_RE = /^[0-9a-f:.]+$/i;

/**
 * Shared empty list: lists stay empty for most entities, so they are only
 * allocated on the first item. Frozen; parsed values are read-only.
 */
const EMPTY = Object.freeze([]) as unknown as never[];

function addCompliance(values: ParsedAnnotations, scope: ComplianceScope) {
  if (values.compliance === EMPTY) {
    values.compliance = [];
  }
  values.compliance.push(scope);
}

/** The parser's mutable state for one entity. */
class Parser {
  // Every field is present from the start so that all parsed values share
  // one object shape (fast property access in the checks).
  readonly values: ParsedAnnotations = {
    ports: undefined,
    opaquePorts: undefined,
    tracing: undefined,
    compliance: EMPTY as ComplianceScope[],
    mtlsRequirement: undefined,
    needs: undefined,
    replicas: undefined,
    peakRps: undefined,
    runAsUid: undefined,
    probes: undefined,
    podSecurity: undefined,
    bindAddress: undefined,
    headless: undefined,
    timeouts: undefined,
    retries: undefined,
    noRetryRoutes: undefined,
    manifests: undefined,
    waivers: EMPTY as WaiverInfo[],
    exclude: undefined,
    platformTeam: undefined,
    meshEngineers: undefined,
    ca: undefined,
    configLint: undefined,
    cni: undefined,
    kernelVersion: undefined,
    kubernetesVersion: undefined,
    nodes: undefined,
    capacityVcpu: undefined,
    capacityMemoryGiB: undefined,
    invalid: EMPTY as string[],
    hasAnnotations: false,
  };
  problems: AnnotationProblem[] = EMPTY as AnnotationProblem[];

  addProblem(problem: AnnotationProblem) {
    if (this.problems === EMPTY) {
      this.problems = [];
    }
    this.problems.push(problem);
  }

  problem(key: string, value: string, message: string, suggestion?: string) {
    this.addProblem(
      suggestion === undefined
        ? { key, value: shown(value), message: `${key}: ${message}` }
        : {
            key,
            value: shown(value),
            message: `${key}: ${message}`,
            suggestion,
          },
    );
  }

  invalid(key: string, value: string, message: string, suggestion?: string) {
    this.problem(key, value, message, suggestion);
    if (this.values.invalid === EMPTY) {
      this.values.invalid = [key];
    } else if (!this.values.invalid.includes(key)) {
      this.values.invalid.push(key);
    }
  }

  /** An enum value; undefined (and a problem) when it is not one of `allowed`. */
  oneOf<T extends string>(
    key: string,
    raw: string,
    allowed: readonly T[],
    what: string,
    aliases?: ReadonlyMap<string, T>,
  ): T | undefined {
    const v = raw.trim().toLowerCase();
    const index = (allowed as readonly string[]).indexOf(v);
    if (index >= 0) {
      // The catalogue's own string, not the slice of the user's value.
      return allowed[index];
    }
    if (v === '') {
      this.invalid(key, raw, `is empty; expected one of ${allowed.join(', ')}`);
      return undefined;
    }
    const near = aliases?.get(v) ?? didYouMean(v, allowed);
    this.invalid(
      key,
      raw,
      `'${shown(raw.trim())}' is not a known ${what}; ${
        near
          ? `did you mean '${near}'?`
          : `expected one of ${allowed.join(', ')}`
      }`,
      near,
    );
    return undefined;
  }

  /** A comma-separated list, trimmed, empty items dropped; undefined when too long. */
  list(key: string, raw: string): string[] | undefined {
    const items: string[] = [];
    for (const part of raw.split(',')) {
      const item = part.trim();
      if (item !== '') {
        items.push(item);
      }
    }
    if (items.length > MAX_LIST_ITEMS) {
      this.invalid(
        key,
        raw,
        `has ${items.length} items; at most ${MAX_LIST_ITEMS} are read`,
      );
      return undefined;
    }
    if (items.length === 0) {
      this.invalid(key, raw, 'is empty; expected a comma-separated list');
      return undefined;
    }
    return items;
  }

  enumList<T extends string>(
    key: string,
    raw: string,
    allowed: readonly T[],
    what: string,
    aliases?: ReadonlyMap<string, T>,
  ): T[] | undefined {
    const items = this.list(key, raw);
    if (!items) {
      return undefined;
    }
    const out: T[] = [];
    for (const item of items) {
      const v = this.oneOf(key, item, allowed, what, aliases);
      if (v !== undefined && !out.includes(v)) {
        out.push(v);
      }
    }
    return out;
  }

  bool(key: string, raw: string): boolean | undefined {
    const v = raw.trim().toLowerCase();
    if (v === 'true') {
      return true;
    }
    if (v === 'false') {
      return false;
    }
    const hint = BOOLEAN_HINTS.get(v) ?? didYouMean(v, ['true', 'false']);
    this.invalid(
      key,
      raw,
      `'${shown(raw.trim())}' is not a boolean; ${
        hint ? `did you mean '${hint}'?` : "expected 'true' or 'false'"
      }`,
      hint,
    );
    return undefined;
  }

  number(
    key: string,
    raw: string,
    format: NumberFormat,
    what: string,
  ): number | undefined {
    const opts = { integer: format.type === 'integer', ...format, what };
    const v = raw.trim();
    const re = opts.integer ? INT_RE : NUMBER_RE;
    if (re.test(v)) {
      const n = Number(v);
      if (n >= opts.min && n <= opts.max) {
        return n;
      }
      this.invalid(
        key,
        raw,
        `${v} is out of range; ${opts.what} must be between ${opts.min} and ${opts.max}`,
      );
      return undefined;
    }
    // Suggest the number the user probably meant: 1,200 / 1_200 / 6.0 / 1.2k.
    let suggestion: string | undefined;
    const stripped = v.replace(/[,_\s]/g, '');
    const k = /^(\d+(?:\.\d+)?)k$/i.exec(stripped);
    if (k) {
      suggestion = String(Math.round(Number(k[1]) * 1000));
    } else if (re.test(stripped)) {
      suggestion = stripped;
    } else if (opts.integer && /^\d+\.0+$/.test(stripped)) {
      suggestion = stripped.replace(/\.0+$/, '');
    }
    if (suggestion !== undefined && !re.test(suggestion)) {
      suggestion = undefined;
    }
    this.invalid(
      key,
      raw,
      `'${shown(v)}' is not ${opts.integer ? 'a whole number' : 'a number'}; ${
        suggestion
          ? `did you mean '${suggestion}'?`
          : `${opts.what} is written as a plain number, e.g. '${
              opts.integer ? '6' : '1200'
            }'`
      }`,
      suggestion,
    );
    return undefined;
  }

  port(key: string, raw: string, item: string): number | undefined {
    if (!INT_RE.test(item)) {
      this.invalid(
        key,
        raw,
        `'${shown(
          item,
        )}' is not a port number; ports are whole numbers from 1 to 65535`,
      );
      return undefined;
    }
    const n = Number(item);
    if (n < 1 || n > 65535) {
      this.invalid(
        key,
        raw,
        `${item} is not a valid port; ports are from 1 to 65535`,
      );
      return undefined;
    }
    return n;
  }

  ports(key: string, raw: string): PortDeclaration[] | undefined {
    const items = this.list(key, raw);
    if (!items) {
      return undefined;
    }
    const out: PortDeclaration[] = [];
    for (const item of items) {
      const slash = item.indexOf('/');
      if (slash < 0) {
        const example = INT_RE.test(item) ? `${item}/http` : '8080/http';
        this.invalid(
          key,
          raw,
          `'${shown(
            item,
          )}' has no protocol; write each port as PORT/PROTOCOL, e.g. '${example}'`,
        );
        continue;
      }
      const port = this.port(key, raw, item.slice(0, slash).trim());
      const proto = this.oneOf<Protocol>(
        key,
        item.slice(slash + 1),
        PROTOCOLS,
        'protocol',
        PROTOCOL_ALIASES,
      );
      if (port !== undefined && proto !== undefined) {
        out.push({ port, protocol: proto });
      }
    }
    return out;
  }

  portList(key: string, raw: string): number[] | undefined {
    const items = this.list(key, raw);
    if (!items) {
      return undefined;
    }
    const out: number[] = [];
    for (const item of items) {
      const n = this.port(key, raw, item);
      if (n !== undefined && !out.includes(n)) {
        out.push(n);
      }
    }
    return out;
  }

  bindAddress(key: string, raw: string): string | undefined {
    const v = raw.trim().toLowerCase();
    if (v === 'localhost' || v === '*') {
      return v;
    }
    const m = IPV4_RE.exec(v);
    if (m) {
      if ([m[1], m[2], m[3], m[4]].every(o => Number(o) <= 255)) {
        return v;
      }
    } else if (
      v.includes(':') &&
      IPV6_RE.test(v.replace(/^\[|\]$/g, '')) &&
      v.length <= 45
    ) {
      return v.replace(/^\[|\]$/g, '');
    }
    this.invalid(
      key,
      raw,
      `'${shown(
        v,
      )}' is not an IP address; expected e.g. '0.0.0.0', '::' or '127.0.0.1'`,
    );
    return undefined;
  }

  routes(key: string, raw: string): string[] | undefined {
    const items = this.list(key, raw);
    if (!items) {
      return undefined;
    }
    const out: string[] = [];
    for (const item of items) {
      const space = item.search(/\s/);
      if (space > 0) {
        const method = item.slice(0, space).toUpperCase();
        const path = item.slice(space).trim();
        if (!HTTP_METHODS.includes(method)) {
          const near = didYouMean(method, HTTP_METHODS);
          this.invalid(
            key,
            raw,
            `'${shown(method)}' is not an HTTP method${
              near ? `; did you mean '${near}'?` : ''
            }`,
            near,
          );
          continue;
        }
        if (!path.startsWith('/')) {
          this.invalid(
            key,
            raw,
            `the path in '${shown(
              item,
            )}' must start with '/', e.g. 'POST /payments'`,
          );
          continue;
        }
        out.push(`${method} ${path}`);
      } else if (GRPC_ROUTE_RE.test(item)) {
        out.push(item);
      } else {
        this.invalid(
          key,
          raw,
          `'${shown(
            item,
          )}' is neither 'METHOD /path' nor 'package.Service/Method'`,
        );
      }
    }
    return out;
  }

  version(key: string, raw: string, example: string): Version | undefined {
    const v = parseVersion(raw);
    if (v) {
      return v;
    }
    this.invalid(
      key,
      raw,
      `'${shown(
        raw.trim(),
      )}' is not a version; write MAJOR.MINOR, e.g. '${example}'`,
    );
    return undefined;
  }
}

function typeName(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'a list' : typeof value;
}

function kindOfEntity(entity: Entity): KeyKind | undefined {
  const kind =
    typeof entity?.kind === 'string' ? entity.kind.toLowerCase() : '';
  if (kind === 'component') {
    return 'component';
  }
  if (kind === 'group') {
    return 'group';
  }
  if (kind === 'resource') {
    const type = (entity.spec as any)?.type;
    return typeof type === 'string' &&
      type.toLowerCase() === 'kubernetes-cluster'
      ? 'cluster'
      : undefined;
  }
  return undefined;
}

function parseWaiver(
  p: Parser,
  key: string,
  raw: string,
  checkIds: ReadonlySet<string> | readonly string[],
  nowMs: number,
) {
  const id = key.slice(ANNOTATION_WAIVE_PREFIX.length).trim().toLowerCase();
  const known = Array.isArray(checkIds)
    ? (checkIds as readonly string[]).includes(id)
    : (checkIds as ReadonlySet<string>).has(id);
  if (!known) {
    const all = [...checkIds];
    if (ORG_IDS.includes(id)) {
      p.invalid(
        key,
        raw,
        `'${id}' is an organisation check; it is decided for the whole catalog and cannot be waived on one entity`,
      );
      return;
    }
    const near = didYouMean(id, all);
    p.invalid(
      key,
      raw,
      `'${shown(id)}' is not a known check id${
        near ? `; did you mean '${near}'?` : ''
      }`,
      near ? `${ANNOTATION_WAIVE_PREFIX}${near}` : undefined,
    );
    return;
  }
  const m = WAIVER_RE.exec(raw.trim());
  if (!m) {
    p.invalid(
      key,
      raw,
      `'${shown(
        raw.trim(),
      )}' is not a waiver; write 'YYYY-MM-DD reason', e.g. '2027-03-31 vendor image; JIRA-412'`,
    );
    return;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    p.invalid(
      key,
      raw,
      `${m[1]}-${m[2]}-${m[3]} is not a calendar date; write 'YYYY-MM-DD reason'`,
    );
    return;
  }
  const reason = (m[4] ?? '').trim();
  if (reason === '') {
    p.invalid(
      key,
      raw,
      `the waiver has no reason; write 'YYYY-MM-DD reason' so that reviewers know why`,
    );
    return;
  }
  const until = `${m[1]}-${m[2]}-${m[3]}`;
  // A waiver holds through the whole of its last day (UTC).
  const expired = nowMs >= date.getTime() + 86_400_000;
  if (p.values.waivers === EMPTY) {
    p.values.waivers = [];
  }
  p.values.waivers.push({ checkId: id, until, reason, expired });
  if (expired) {
    p.problem(
      key,
      raw,
      `the waiver for '${id}' expired on ${until}; it is ignored and the check is evaluated normally`,
    );
  }
}

function readTags(entity: Entity, values: ParsedAnnotations) {
  const tags = (entity?.metadata as any)?.tags;
  if (!Array.isArray(tags)) {
    return;
  }
  const n = Math.min(tags.length, MAX_LIST_ITEMS);
  for (let i = 0; i < n; i++) {
    const tag = tags[i];
    if (typeof tag !== 'string' || tag.length > 64) {
      continue;
    }
    const t = tag.trim().toLowerCase();
    const index = (COMPLIANCE_SCOPES as readonly string[]).indexOf(t);
    const scope =
      index >= 0 ? COMPLIANCE_SCOPES[index] : COMPLIANCE_ALIASES.get(t);
    if (scope && !values.compliance.includes(scope)) {
      addCompliance(values, scope);
    }
  }
}

function unknownKey(p: Parser, key: string, raw: string) {
  const suffix = key.slice(ANNOTATION_PREFIX.length);
  if (suffix.toLowerCase().startsWith('waive')) {
    p.invalid(
      key,
      raw,
      `waiver keys are written 'mesh-readiness.io/waive.<check-id>'`,
    );
    return;
  }
  const near = didYouMean(suffix.toLowerCase(), keySuffixes());
  p.invalid(
    key,
    raw,
    `'${shown(key)}' is not a known annotation${
      near ? `; did you mean '${ANNOTATION_PREFIX}${near}'?` : ''
    }`,
    near ? `${ANNOTATION_PREFIX}${near}` : undefined,
  );
}

/** What a key without the mesh-readiness.io/ prefix is. */
const FOREIGN = 0;
const FOREIGN_UPPER_CASE = 1;
const FOREIGN_LOOKALIKE = 2;

/** What a key outside the contract is: another tool's, ours in capitals, or a lookalike. */
function foreignKind(key: string): number {
  if (key.toLowerCase().startsWith(ANNOTATION_PREFIX)) {
    return FOREIGN_UPPER_CASE;
  }
  return isLookalikePrefix(key) ? FOREIGN_LOOKALIKE : FOREIGN;
}

function isLookalikePrefix(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash > 40) {
    return false;
  }
  const prefix = key.slice(0, slash).toLowerCase();
  if (prefix === 'mesh-readiness.io') {
    return false;
  }
  return (
    PREFIX_LOOKALIKES.includes(prefix) ||
    didYouMean(prefix, ['mesh-readiness.io']) !== undefined
  );
}

const NEED_ALIASES = words<MeshNeed>({
  mirroring: 'traffic-split',
  'canary-release': 'canary',
  tracing: 'observability',
  'circuit-breaker': 'circuit-breaking',
  multicluster: 'multi-cluster',
});

const CNI_ALIASES = words<CniKind>({
  'aws-vpc': 'aws-vpc-cni',
  'vpc-cni': 'aws-vpc-cni',
  'amazon-vpc-cni': 'aws-vpc-cni',
  azure: 'azure-cni',
  'dataplane-v2': 'gke-dataplane-v2',
});

/** An annotation's spec and how its value is parsed into ParsedAnnotations. */
interface KeySpec extends AnnotationSpec {
  parse(p: Parser, key: string, raw: string): void;
}

const PROTOCOL_LIST = PROTOCOLS.join(', ');

/** The ranges of the numeric annotations, read by their parser and the schema. */
const REPLICAS: NumberFormat = { type: 'integer', min: 0, max: 1_000_000 };
const PEAK_RPS: NumberFormat = { type: 'number', min: 0, max: 1e9 };
const RUN_AS_UID: NumberFormat = {
  type: 'integer',
  min: 0,
  max: 2_147_483_647,
};
const MESH_ENGINEERS: NumberFormat = { type: 'integer', min: 0, max: 100_000 };
const NODES: NumberFormat = { type: 'integer', min: 0, max: 1_000_000 };
const CAPACITY_VCPU: NumberFormat = { type: 'number', min: 0, max: 1e8 };
const CAPACITY_MEMORY_GIB: NumberFormat = { type: 'number', min: 0, max: 1e9 };

/** Every annotation of the contract, waivers aside, in documentation order. */
const KEY_SPECS: readonly KeySpec[] = [
  {
    key: ANNOTATION_PORTS,
    appliesTo: 'component',
    values: `list of \`PORT/PROTOCOL\`; protocols: ${PROTOCOL_LIST}`,
    example: '8080/http, 9090/grpc, 5432/postgres',
    format: { type: 'port-protocol-list', protocols: PROTOCOLS },
    parse(p, key, raw) {
      p.values.ports = p.ports(key, raw);
    },
  },
  {
    key: ANNOTATION_OPAQUE_PORTS,
    appliesTo: 'component',
    values: 'list of ports already declared TCP/opaque to the mesh',
    example: '5432',
    format: { type: 'port-list' },
    parse(p, key, raw) {
      p.values.opaquePorts = p.portList(key, raw);
    },
  },
  {
    key: ANNOTATION_TRACING,
    appliesTo: 'component',
    values: `${TRACING_LEVELS.join(
      ' | ',
    )}: trace context (W3C \`traceparent\` or B3) propagated on every outbound call`,
    example: 'full',
    format: { type: 'word', words: TRACING_LEVELS },
    parse(p, key, raw) {
      p.values.tracing = p.oneOf(key, raw, TRACING_LEVELS, 'tracing level');
    },
  },
  {
    key: ANNOTATION_COMPLIANCE,
    appliesTo: 'component',
    values: `list: ${COMPLIANCE_SCOPES.join(
      ', ',
    )}; the same words in \`metadata.tags\` count too`,
    example: 'pci, soc2',
    format: { type: 'word-list', words: COMPLIANCE_SCOPES },
    feeds: 'recommendation',
    parse(p, key, raw) {
      const v = p.values;
      const scopes = p.enumList(
        key,
        raw,
        COMPLIANCE_SCOPES,
        'compliance scope',
        COMPLIANCE_ALIASES,
      );
      for (const scope of scopes ?? []) {
        if (!v.compliance.includes(scope)) {
          addCompliance(v, scope);
        }
      }
    },
  },
  {
    key: ANNOTATION_MTLS_REQUIREMENT,
    appliesTo: 'component',
    values: `${MTLS_REQUIREMENTS.join(' | ')}: what the auditor asks for`,
    example: 'workload-identity',
    format: { type: 'word', words: MTLS_REQUIREMENTS },
    feeds: 'recommendation',
    parse(p, key, raw) {
      p.values.mtlsRequirement = p.oneOf(
        key,
        raw,
        MTLS_REQUIREMENTS,
        'mTLS requirement',
      );
    },
  },
  {
    key: ANNOTATION_NEEDS,
    appliesTo: 'component',
    values: `list: ${MESH_NEEDS.join(
      ', ',
    )}; or \`none\` when the service needs none of them`,
    example: 'mtls, canary',
    format: { type: 'word-list', words: MESH_NEEDS, alone: 'none' },
    feeds: 'recommendation, cost estimate',
    parse(p, key, raw) {
      // 'none' is a declaration too: it lets the org rule a need out.
      p.values.needs =
        raw.trim().toLowerCase() === 'none'
          ? []
          : p.enumList(key, raw, MESH_NEEDS, 'need', NEED_ALIASES);
    },
  },
  {
    key: ANNOTATION_REPLICAS,
    appliesTo: 'component',
    values: 'integer ≥ 0: pods at peak',
    example: '6',
    format: REPLICAS,
    feeds: 'cost estimate',
    parse(p, key, raw) {
      p.values.replicas = p.number(key, raw, REPLICAS, 'replicas');
    },
  },
  {
    key: ANNOTATION_PEAK_RPS,
    appliesTo: 'component',
    values: 'number ≥ 0: requests/s served at peak',
    example: '1200',
    format: PEAK_RPS,
    feeds: 'cost estimate',
    parse(p, key, raw) {
      p.values.peakRps = p.number(key, raw, PEAK_RPS, 'peak-rps');
    },
  },
  {
    key: ANNOTATION_RUN_AS_UID,
    appliesTo: 'component',
    values: 'integer: the UID the container runs as',
    example: '1000',
    format: RUN_AS_UID,
    feeds: 'recommendation',
    parse(p, key, raw) {
      p.values.runAsUid = p.number(key, raw, RUN_AS_UID, 'run-as-uid');
    },
  },
  {
    key: ANNOTATION_PROBES,
    appliesTo: 'component',
    values: `list: ${PROBE_KINDS.join(', ')}`,
    example: 'http',
    format: { type: 'word-list', words: PROBE_KINDS },
    parse(p, key, raw) {
      p.values.probes = p.enumList(key, raw, PROBE_KINDS, 'probe kind');
    },
  },
  {
    key: ANNOTATION_POD_SECURITY,
    appliesTo: 'component',
    values: POD_SECURITY_LEVELS.join(' | '),
    example: 'restricted',
    format: { type: 'word', words: POD_SECURITY_LEVELS },
    feeds: 'recommendation',
    parse(p, key, raw) {
      p.values.podSecurity = p.oneOf(
        key,
        raw,
        POD_SECURITY_LEVELS,
        'Pod Security Standard level',
      );
    },
  },
  {
    key: ANNOTATION_BIND_ADDRESS,
    appliesTo: 'component',
    values: 'the IP address the application listens on',
    example: '0.0.0.0',
    format: { type: 'ip-address' },
    parse(p, key, raw) {
      p.values.bindAddress = p.bindAddress(key, raw);
    },
  },
  {
    key: ANNOTATION_HEADLESS,
    appliesTo: 'component',
    values: 'true | false: clients resolve pod IPs directly',
    example: 'false',
    format: { type: 'boolean' },
    parse(p, key, raw) {
      p.values.headless = p.bool(key, raw);
    },
  },
  {
    key: ANNOTATION_TIMEOUTS,
    appliesTo: 'component',
    values: 'true | false: client call timeouts configured',
    example: 'true',
    format: { type: 'boolean' },
    parse(p, key, raw) {
      p.values.timeouts = p.bool(key, raw);
    },
  },
  {
    key: ANNOTATION_RETRIES,
    appliesTo: 'component',
    values: `${APP_RETRY_POLICIES.join(
      ' | ',
    )}: what the application retries today`,
    example: 'idempotent-only',
    format: { type: 'word', words: APP_RETRY_POLICIES },
    parse(p, key, raw) {
      p.values.retries = p.oneOf(key, raw, APP_RETRY_POLICIES, 'retry policy');
    },
  },
  {
    key: ANNOTATION_NO_RETRY_ROUTES,
    appliesTo: 'component',
    values:
      'list of `METHOD /path` or `package.Service/Method` that must never be retried',
    example: 'POST /payments',
    format: { type: 'route-list', methods: HTTP_METHODS },
    parse(p, key, raw) {
      p.values.noRetryRoutes = p.routes(key, raw);
    },
  },
  {
    key: ANNOTATION_MANIFESTS,
    appliesTo: 'component',
    values:
      'list of paths or URLs, relative to the catalog file like `$text`: YAML files, folders of YAML files, or rendered `helm template` / `kustomize build` output',
    example: './deploy/, ../rendered/checkout.yaml',
    format: { type: 'path-list' },
    feeds:
      'observed facts: ports and protocols, UIDs, probes, replicas, headless Services, Jobs, UDP, host network, init containers, injection labels, token mounting',
    addedAfterV1: true,
    parse(p, key, raw) {
      const items = p.list(key, raw);
      if (!items) {
        return;
      }
      const bad = items.find(item =>
        [...item].some(ch => ch.charCodeAt(0) < 0x20),
      );
      if (bad !== undefined) {
        p.invalid(
          key,
          raw,
          'holds a control character; list paths or URLs separated by commas, e.g. "./deploy/, ../rendered/checkout.yaml"',
        );
        return;
      }
      p.values.manifests = items;
    },
  },
  {
    key: ANNOTATION_EXCLUDE,
    appliesTo: 'component',
    values: 'free text: why the component is out of scope',
    example: 'runs on a mainframe',
    format: { type: 'text' },
    feeds: 'scope: an excluded component gets no checks',
    parse(p, key, raw) {
      if (raw.trim() === '') {
        p.invalid(
          key,
          raw,
          'is empty; give the reason the component is out of scope, e.g. "runs on a mainframe"',
        );
      } else {
        p.values.exclude = raw.trim();
      }
    },
  },
  {
    key: ANNOTATION_PLATFORM_TEAM,
    appliesTo: 'group',
    values: 'true: this team would own and run the mesh',
    example: 'true',
    format: { type: 'boolean' },
    parse(p, key, raw) {
      p.values.platformTeam = p.bool(key, raw);
    },
  },
  {
    key: ANNOTATION_MESH_ENGINEERS,
    appliesTo: 'group',
    values:
      'integer ≥ 0: engineers with hands-on mesh expertise, dedicated to it',
    example: '2',
    format: MESH_ENGINEERS,
    parse(p, key, raw) {
      p.values.meshEngineers = p.number(
        key,
        raw,
        MESH_ENGINEERS,
        'mesh-engineers',
      );
    },
  },
  {
    key: ANNOTATION_CA,
    appliesTo: 'group',
    values: `${CA_KINDS.join(
      ', ',
    )}: where workload certificates will come from`,
    example: 'cert-manager',
    format: { type: 'word', words: CA_KINDS },
    addedAfterV1: true,
    parse(p, key, raw) {
      p.values.ca = p.oneOf(key, raw, CA_KINDS, 'CA setup');
    },
  },
  {
    key: ANNOTATION_CONFIG_LINT,
    appliesTo: 'group',
    values: `${CONFIG_LINT_TOOLS.join(
      ', ',
    )}: the mesh config linter the platform runs in CI`,
    example: 'istioctl-analyze',
    format: { type: 'word', words: CONFIG_LINT_TOOLS },
    addedAfterV1: true,
    parse(p, key, raw) {
      p.values.configLint = p.oneOf(
        key,
        raw,
        CONFIG_LINT_TOOLS,
        'config linter',
      );
    },
  },
  {
    key: ANNOTATION_CNI,
    appliesTo: 'cluster',
    values: CNI_KINDS.join(', '),
    example: 'cilium',
    format: { type: 'word', words: CNI_KINDS },
    feeds: 'recommendation (is Cilium already in place?), cost',
    parse(p, key, raw) {
      p.values.cni = p.oneOf(key, raw, CNI_KINDS, 'CNI', CNI_ALIASES);
    },
  },
  {
    key: ANNOTATION_KERNEL_VERSION,
    appliesTo: 'cluster',
    values: "MAJOR.MINOR of the nodes' Linux kernel",
    example: '6.1',
    format: { type: 'version' },
    feeds: 'recommendation (Cilium kernel requirement)',
    parse(p, key, raw) {
      p.values.kernelVersion = p.version(key, raw, '6.1');
    },
  },
  {
    key: ANNOTATION_KUBERNETES_VERSION,
    appliesTo: 'cluster',
    values: "MAJOR.MINOR of the cluster's Kubernetes",
    example: '1.31',
    format: { type: 'version' },
    feeds: 'recommendation (mesh support windows)',
    parse(p, key, raw) {
      p.values.kubernetesVersion = p.version(key, raw, '1.31');
    },
  },
  {
    key: ANNOTATION_NODES,
    appliesTo: 'cluster',
    values: 'integer ≥ 0: nodes in the cluster',
    example: '12',
    format: NODES,
    feeds: 'cost estimate (per-node agents: ztunnel, Cilium)',
    parse(p, key, raw) {
      p.values.nodes = p.number(key, raw, NODES, 'nodes');
    },
  },
  {
    key: ANNOTATION_CAPACITY_VCPU,
    appliesTo: 'cluster',
    values: 'number ≥ 0: allocatable vCPU of the cluster',
    example: '96',
    format: CAPACITY_VCPU,
    addedAfterV1: true,
    parse(p, key, raw) {
      p.values.capacityVcpu = p.number(
        key,
        raw,
        CAPACITY_VCPU,
        'capacity-vcpu',
      );
    },
  },
  {
    key: ANNOTATION_CAPACITY_MEMORY_GIB,
    appliesTo: 'cluster',
    values: 'number ≥ 0: allocatable memory of the cluster, GiB',
    example: '384',
    format: CAPACITY_MEMORY_GIB,
    addedAfterV1: true,
    parse(p, key, raw) {
      p.values.capacityMemoryGiB = p.number(
        key,
        raw,
        CAPACITY_MEMORY_GIB,
        'capacity-memory-gib',
      );
    },
  },
];

const SPEC_BY_KEY = new Map(KEY_SPECS.map(spec => [spec.key, spec]));

/** Every annotation of the contract, waivers aside. @public */
export const ANNOTATION_SPECS: readonly AnnotationSpec[] = KEY_SPECS.map(
  ({ parse: _parse, ...spec }) => spec,
);

/** Every annotation key of the contract, waivers aside. @public */
export const ANNOTATION_KEYS: readonly string[] = KEY_SPECS.map(s => s.key);

/** The keys without their prefix, to suggest the key a typo meant. */
function keySuffixes(): string[] {
  return ANNOTATION_KEYS.map(k => k.slice(ANNOTATION_PREFIX.length));
}

function applyKey(
  p: Parser,
  key: string,
  keyKind: KeySpec | undefined,
  raw: string,
  entityKind: KeyKind | undefined,
  options: ParseAnnotationsOptions,
  nowMs: number,
) {
  if (keyKind === undefined) {
    if (!key.startsWith(ANNOTATION_WAIVE_PREFIX)) {
      unknownKey(p, key, raw);
    } else if (entityKind !== 'component') {
      p.invalid(key, raw, 'waivers apply to Component entities only');
    } else {
      parseWaiver(p, key, raw, options.checkIds ?? DEFAULT_CHECK_IDS, nowMs);
    }
    return;
  }
  if (keyKind.appliesTo !== entityKind) {
    p.invalid(
      key,
      raw,
      `applies to a ${KIND_LABEL[keyKind.appliesTo]} and has no effect here`,
    );
    return;
  }
  keyKind.parse(p, key, raw);
}

/**
 * Reads every `mesh-readiness.io/*` annotation of an entity (and compliance
 * words in `metadata.tags`). Never throws.
 * @public
 */
export function parseAnnotations(
  entity: Entity,
  options: ParseAnnotationsOptions = {},
): ParseAnnotationsResult {
  const p = new Parser();
  try {
    const entityKind = kindOfEntity(entity);
    if (entityKind === 'component') {
      readTags(entity, p.values);
    }
    const annotations = (entity?.metadata as any)?.annotations;
    if (
      typeof annotations !== 'object' ||
      annotations === null ||
      Array.isArray(annotations)
    ) {
      return resultOf(p);
    }
    const nowMs = (options.now ?? new Date()).getTime();
    for (const key in annotations) {
      if (!Object.prototype.hasOwnProperty.call(annotations, key)) {
        continue;
      }
      const keyKind = SPEC_BY_KEY.get(key);
      if (keyKind === undefined && !key.startsWith(ANNOTATION_PREFIX)) {
        const foreign = foreignKind(key);
        if (foreign === FOREIGN) {
          continue;
        }
        if (foreign === FOREIGN_UPPER_CASE) {
          const lower = key.toLowerCase();
          // Keys are case-sensitive in Kubernetes; say so rather than guess.
          p.invalid(
            key,
            String(annotations[key]),
            `annotation keys are lower-case; write '${lower}'`,
            lower,
          );
          continue;
        }
        // A lookalike of the prefix.
        const fixed = `${ANNOTATION_PREFIX}${key.slice(key.indexOf('/') + 1)}`;
        p.invalid(
          key,
          typeof annotations[key] === 'string' ? annotations[key] : '',
          `the prefix is 'mesh-readiness.io/'; did you mean '${shown(fixed)}'?`,
          fixed,
        );
        continue;
      }
      p.values.hasAnnotations = true;
      const value: unknown = annotations[key];
      let raw: string;
      if (typeof value === 'string') {
        raw = value;
      } else if (
        (typeof value === 'number' && Number.isFinite(value)) ||
        typeof value === 'boolean'
      ) {
        raw = String(value);
      } else {
        p.invalid(
          key,
          '',
          `the value must be a string (quote it in YAML), got ${typeName(
            value,
          )}`,
        );
        continue;
      }
      if (raw.length > MAX_VALUE_LENGTH) {
        p.invalid(
          key,
          raw,
          `the value is ${raw.length} characters long; at most ${MAX_VALUE_LENGTH} are read`,
        );
        continue;
      }
      applyKey(p, key, keyKind, raw, entityKind, options, nowMs);
    }
  } catch (e) {
    // Defensive: a getter on a hostile object, a frozen proxy… never throw.
    p.addProblem({
      key: ANNOTATION_PREFIX,
      value: '',
      message: `${ANNOTATION_PREFIX}: the annotations could not be read (${
        e instanceof Error ? shown(e.message) : 'unknown error'
      })`,
    });
  }
  return resultOf(p);
}

/**
 * The result shared by every entity without mesh-readiness annotations,
 * compliance tags or problems (most APIs, users, systems…), so that a
 * large catalog does not keep one empty copy per entity. Frozen, like
 * every shared parsed value.
 */
const NOTHING_DECLARED: ParseAnnotationsResult = Object.freeze({
  values: Object.freeze(new Parser().values),
  problems: EMPTY,
});

function resultOf(p: Parser): ParseAnnotationsResult {
  const v = p.values;
  if (
    !v.hasAnnotations &&
    p.problems === EMPTY &&
    v.compliance === EMPTY &&
    v.waivers === EMPTY &&
    v.invalid === EMPTY
  ) {
    return NOTHING_DECLARED;
  }
  return { values: v, problems: p.problems };
}
