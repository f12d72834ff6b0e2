#!/usr/bin/env node
// Checks a catalog tree the way the Backstage catalog will read it: starts from
// one Location file, follows its relative targets, parses every file as
// multi-document YAML, validates the entity envelope and resolves every
// reference (owners, systems, domains, APIs, clusters, group parents/children,
// memberships). Also parses every API definition and prints counts per kind.
//
//   node scripts/check-examples.mjs                 # the demo catalog (examples/all.yaml)
//   node scripts/check-examples.mjs out/all.yaml    # a generated catalog
//
// Exit 0 when everything checks out, 1 when there are errors.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demoLocation = join(repoRoot, 'examples', 'all.yaml');
const locationFile = resolve(process.argv[2] ?? demoLocation);
const isDemo = locationFile === demoLocation;

// Deliberate breakage in the demo catalog, asserted so it cannot silently disappear.
const DEMO_BROKEN_API_DEFINITIONS = ['shipping-rates-v1'];

const errors = [];
const warnings = [];
const err = (where, msg) => errors.push(`${where}: ${msg}`);
const warn = (where, msg) => warnings.push(`${where}: ${msg}`);

const NAME_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TAG_RE = /^[a-z0-9:+#]+(?:-[a-z0-9:+#]+)*$/;
const ANNOTATION_KEY_RE =
  /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const KNOWN_KEYS = new Set(
  [
    'manifests',
    'ports',
    'opaque-ports',
    'tracing',
    'compliance',
    'mtls-requirement',
    'needs',
    'replicas',
    'peak-rps',
    'run-as-uid',
    'probes',
    'pod-security',
    'bind-address',
    'headless',
    'timeouts',
    'retries',
    'no-retry-routes',
    'exclude',
    'platform-team',
    'mesh-engineers',
    'cni',
    'kernel-version',
    'kubernetes-version',
    'nodes',
  ].map(k => `mesh-readiness.io/${k}`),
);
const WORKLOAD_TYPES = new Set(['service', 'website', 'job', 'cronjob']);

// ---- load everything through the Location ---------------------------------

const entities = []; // { entity, file }
const files = [];
const visited = new Set();

function loadFile(file) {
  const abs = resolve(file);
  if (visited.has(abs))
    return err(rel(abs), 'loaded twice (listed twice in a Location?)');
  visited.add(abs);
  files.push(abs);
  let text;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    return err(rel(abs), `cannot read: ${e.message}`);
  }
  const docs = parseAllDocuments(text);
  docs.forEach((doc, i) => {
    if (doc.errors.length)
      return err(`${rel(abs)}#${i}`, `YAML error: ${doc.errors[0].message}`);
    const entity = doc.toJS();
    if (entity === null || entity === undefined) return; // empty document
    entities.push({ entity, file: abs });
    if (entity.kind === 'Location') {
      for (const target of [
        ...(entity.spec?.targets ?? []),
        ...(entity.spec?.target ? [entity.spec.target] : []),
      ]) {
        if (/^[a-z]+:\/\//.test(target)) {
          err(
            rel(abs),
            `target ${target} is a URL; the demo must need no URL reader`,
          );
        } else {
          loadFile(resolve(dirname(abs), target));
        }
      }
    }
  });
}

function rel(p) {
  return relative(process.cwd(), p) || p;
}

const t0 = performance.now();
loadFile(locationFile);

// Every YAML file next to the Location must be reachable from it, except
// Kubernetes manifests (read through mesh-readiness.io/manifests) and the
// catalogs written for the real-world manifests (examples/realworld).
const NOT_CATALOG_DIRS = new Set(['manifests', 'realworld']);
function listYaml(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!NOT_CATALOG_DIRS.has(name)) out.push(...listYaml(p));
    } else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}
for (const f of listYaml(dirname(locationFile))) {
  if (!visited.has(f))
    err(rel(f), 'not reachable from the Location (add it to targets)');
}

// ---- envelope ---------------------------------------------------------------

const byRef = new Map();
const refOf = (kind, name, namespace = 'default') =>
  `${kind.toLowerCase()}:${namespace}/${name}`.toLowerCase();

for (const { entity, file } of entities) {
  const where = `${rel(file)} ${entity?.kind ?? '?'}:${
    entity?.metadata?.name ?? '?'
  }`;
  if (entity.apiVersion !== 'backstage.io/v1alpha1')
    err(where, `apiVersion is ${entity.apiVersion}`);
  if (typeof entity.kind !== 'string') err(where, 'kind missing');
  const name = entity.metadata?.name;
  if (typeof name !== 'string' || !NAME_RE.test(name) || name.length > 63) {
    err(
      where,
      `metadata.name ${JSON.stringify(
        name,
      )} is not a valid name ([a-z0-9-], ≤63)`,
    );
  }
  if (!entity.spec || typeof entity.spec !== 'object')
    err(where, 'spec missing');
  const ref = refOf(entity.kind ?? '', name ?? '', entity.metadata?.namespace);
  if (byRef.has(ref)) err(where, `duplicate entity ${ref}`);
  byRef.set(ref, entity);

  for (const tag of entity.metadata?.tags ?? []) {
    if (typeof tag !== 'string' || !TAG_RE.test(tag) || tag.length > 63)
      err(where, `bad tag ${JSON.stringify(tag)}`);
  }
  for (const [key, value] of Object.entries(
    entity.metadata?.annotations ?? {},
  )) {
    if (!ANNOTATION_KEY_RE.test(key))
      err(where, `annotation key ${key} is not a valid key`);
    if (typeof value !== 'string')
      err(
        where,
        `annotation ${key} is ${typeof value}, not a string (quote it)`,
      );
    if (
      key.startsWith('mesh-readiness.io/') &&
      !KNOWN_KEYS.has(key) &&
      !key.startsWith('mesh-readiness.io/waive.')
    ) {
      warn(where, `unknown annotation key ${key}`);
    }
  }
}

// ---- the catalog's own validators, when @backstage/catalog-model is installed ----

let backstageValidated = false;
try {
  const m = await import('@backstage/catalog-model');
  const policy = m.EntityPolicies.allOf([
    new m.DefaultNamespaceEntityPolicy(),
    new m.NoForeignRootFieldsEntityPolicy(),
    new m.FieldFormatEntityPolicy(),
    new m.SchemaValidEntityPolicy(),
  ]);
  const kindValidators = [
    m.apiEntityV1alpha1Validator,
    m.componentEntityV1alpha1Validator,
    m.domainEntityV1alpha1Validator,
    m.groupEntityV1alpha1Validator,
    m.locationEntityV1alpha1Validator,
    m.resourceEntityV1alpha1Validator,
    m.systemEntityV1alpha1Validator,
    m.userEntityV1alpha1Validator,
  ];
  for (const { entity, file } of entities) {
    const where = `${rel(file)} ${entity?.kind}:${entity?.metadata?.name}`;
    try {
      const out = await policy.enforce(structuredClone(entity));
      let known = false;
      for (const v of kindValidators) if (await v.check(out)) known = true;
      if (!known) err(where, 'no catalog kind validator accepts it');
    } catch (e) {
      err(where, `rejected by the catalog model: ${e.message}`);
    }
  }
  backstageValidated = true;
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
}

// ---- references ---------------------------------------------------------------

function parseRef(ref, defaultKind) {
  const m = /^(?:([a-z]+):)?(?:([a-z0-9-]+)\/)?([a-z0-9-]+)$/i.exec(ref);
  if (!m) return undefined;
  return refOf(m[1] ?? defaultKind, m[3], m[2] ?? 'default');
}
function mustExist(where, ref, defaultKind, field) {
  if (typeof ref !== 'string') return err(where, `${field} is not a string`);
  const full = parseRef(ref, defaultKind);
  if (!full) return err(where, `${field} ${ref} is not an entity reference`);
  if (!byRef.has(full))
    err(where, `${field} ${ref} does not resolve (${full})`);
  return full;
}

const counts = {};
const componentTypes = {};
const apiTypes = {};
const brokenDefinitions = [];
let workloadsOnCluster = 0;

for (const { entity, file } of entities) {
  const { kind, metadata = {}, spec = {} } = entity;
  const where = `${rel(file)} ${kind}:${metadata.name}`;
  counts[kind] = (counts[kind] ?? 0) + 1;
  switch (kind) {
    case 'Location':
      break;
    case 'Group':
      if (!spec.type) err(where, 'spec.type missing');
      if (!Array.isArray(spec.children))
        err(where, 'spec.children must be an array');
      if (spec.parent) {
        const parent = mustExist(where, spec.parent, 'group', 'spec.parent');
        const p = byRef.get(parent);
        if (
          p &&
          !(p.spec?.children ?? []).some(
            c => parseRef(c, 'group') === refOf('group', metadata.name),
          )
        ) {
          err(where, `parent ${spec.parent} does not list it in spec.children`);
        }
      }
      for (const c of spec.children ?? [])
        mustExist(where, c, 'group', 'spec.children');
      break;
    case 'User':
      if (!Array.isArray(spec.memberOf) || spec.memberOf.length === 0)
        err(where, 'spec.memberOf missing');
      for (const g of spec.memberOf ?? [])
        mustExist(where, g, 'group', 'spec.memberOf');
      break;
    case 'Domain':
      mustExist(where, spec.owner, 'group', 'spec.owner');
      break;
    case 'System':
      mustExist(where, spec.owner, 'group', 'spec.owner');
      if (spec.domain) mustExist(where, spec.domain, 'domain', 'spec.domain');
      break;
    case 'Resource':
      if (!spec.type) err(where, 'spec.type missing');
      mustExist(where, spec.owner, 'group', 'spec.owner');
      if (spec.system) mustExist(where, spec.system, 'system', 'spec.system');
      break;
    case 'API': {
      for (const f of ['type', 'lifecycle', 'owner', 'definition'])
        if (!spec[f]) err(where, `spec.${f} missing`);
      if (typeof spec.definition !== 'string')
        err(where, 'spec.definition must be inline text');
      mustExist(where, spec.owner, 'group', 'spec.owner');
      if (spec.system) mustExist(where, spec.system, 'system', 'spec.system');
      apiTypes[spec.type] = (apiTypes[spec.type] ?? 0) + 1;
      const problem = checkDefinition(spec.type, spec.definition ?? '');
      if (problem)
        brokenDefinitions.push({ name: metadata.name, where, problem });
      break;
    }
    case 'Component': {
      for (const f of ['type', 'lifecycle', 'owner'])
        if (!spec[f]) err(where, `spec.${f} missing`);
      componentTypes[spec.type] = (componentTypes[spec.type] ?? 0) + 1;
      mustExist(where, spec.owner, 'group', 'spec.owner');
      if (spec.system) mustExist(where, spec.system, 'system', 'spec.system');
      else warn(where, 'no spec.system');
      for (const a of spec.providesApis ?? [])
        mustExist(where, a, 'api', 'spec.providesApis');
      for (const a of spec.consumesApis ?? [])
        mustExist(where, a, 'api', 'spec.consumesApis');
      const deps = (spec.dependsOn ?? []).map(d =>
        mustExist(where, d, 'component', 'spec.dependsOn'),
      );
      const clusters = deps.filter(
        d => d && byRef.get(d)?.spec?.type === 'kubernetes-cluster',
      );
      const excluded =
        metadata.annotations?.['mesh-readiness.io/exclude'] !== undefined;
      if (WORKLOAD_TYPES.has(spec.type)) {
        if (clusters.length) workloadsOnCluster++;
        else if (!excluded)
          err(
            where,
            'workload without a cluster in spec.dependsOn and without mesh-readiness.io/exclude',
          );
      }
      break;
    }
    default:
      warn(where, `kind ${kind} is not allowed by the demo's catalog rules`);
  }
}

function checkDefinition(type, text) {
  try {
    if (type === 'openapi') {
      const doc = parse(text);
      if (!doc || typeof doc !== 'object') return 'definition is not a mapping';
      if (!doc.openapi && !doc.swagger)
        return 'neither openapi nor swagger version field';
      if (!doc.paths || typeof doc.paths !== 'object') return 'no paths';
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const p of [
          ...(item.parameters ?? []),
          ...Object.values(item).flatMap(op => op?.parameters ?? []),
        ]) {
          if (p?.$ref) {
            const target = p.$ref
              .replace(/^#\//, '')
              .split('/')
              .reduce((o, k) => o?.[k], doc);
            if (!target) return `${path}: $ref ${p.$ref} does not resolve`;
          }
        }
      }
      return undefined;
    }
    if (type === 'grpc') {
      if (!/^\s*syntax\s*=\s*"proto[23]"\s*;/m.test(text))
        return 'no syntax line';
      const open = (text.match(/{/g) ?? []).length;
      const close = (text.match(/}/g) ?? []).length;
      if (open !== close) return `unbalanced braces (${open} { vs ${close} })`;
      if (!/\bservice\s+\w+\s*{/.test(text)) return 'no service';
      const rpcs =
        text.match(
          /^\s*rpc\s+\w+\s*\(\s*(?:stream\s+)?[\w.]+\s*\)\s*returns\s*\(\s*(?:stream\s+)?[\w.]+\s*\)/gm,
        ) ?? [];
      if (!rpcs.length) return 'no rpc';
      const levels = text.match(/idempotency_level\s*=\s*(\w+)/g) ?? [];
      for (const l of levels) {
        if (!/=\s*(IDEMPOTENT|NO_SIDE_EFFECTS|IDEMPOTENCY_UNKNOWN)$/.test(l))
          return `bad ${l}`;
      }
      return undefined;
    }
    if (type === 'asyncapi') {
      const doc = parse(text);
      return doc?.asyncapi ? undefined : 'no asyncapi version field';
    }
    return undefined;
  } catch (e) {
    return `does not parse: ${e.message.split('\n')[0]}`;
  }
}

// ---- report ---------------------------------------------------------------------

const seconds = ((performance.now() - t0) / 1000).toFixed(2);
if (isDemo) {
  const got = brokenDefinitions
    .map(b => b.name)
    .sort()
    .join(',');
  if (got !== [...DEMO_BROKEN_API_DEFINITIONS].sort().join(',')) {
    err(
      'examples',
      `broken API definitions are [${got}], expected exactly [${DEMO_BROKEN_API_DEFINITIONS}]`,
    );
  }
}

console.log(
  `Location ${rel(locationFile)}: ${files.length} files, ${
    entities.length
  } entities in ${seconds}s`,
);
for (const kind of Object.keys(counts).sort())
  console.log(`  ${kind.padEnd(10)} ${counts[kind]}`);
console.log(`  component types: ${JSON.stringify(componentTypes)}`);
console.log(`  API types:       ${JSON.stringify(apiTypes)}`);
console.log(`  workloads on a cluster: ${workloadsOnCluster}`);
console.log(
  `  catalog-model validators: ${
    backstageValidated
      ? 'ran'
      : 'skipped (@backstage/catalog-model not installed)'
  }`,
);
if (brokenDefinitions.length) {
  console.log(
    `API definitions that do not check out (${
      isDemo ? 'deliberate in the demo' : 'informational'
    }):`,
  );
  for (const b of brokenDefinitions.slice(0, 20))
    console.log(`  ${b.name}: ${b.problem}`);
  if (brokenDefinitions.length > 20)
    console.log(`  … and ${brokenDefinitions.length - 20} more`);
}
if (warnings.length) {
  console.log(`${warnings.length} warning(s):`);
  for (const w of warnings.slice(0, 30)) console.log(`  ${w}`);
  if (warnings.length > 30) console.log(`  … and ${warnings.length - 30} more`);
}
if (errors.length) {
  console.error(`${errors.length} error(s):`);
  for (const e of errors.slice(0, 100)) console.error(`  ${e}`);
  process.exit(1);
}
console.log('OK');
