#!/usr/bin/env node
// Writes a synthetic Backstage catalog for benchmarks and scale tests, shaped like
// the Acme Retail demo in examples/ and written against the annotation contract v1
// (docs/annotations.md).
//
//   node scripts/generate-catalog.mjs --count 10000 --out /tmp/catalog [--seed 42] [--verify]
//
// --count   total entities (100 … 100000), counting one Location; all.yaml holds one per data file
// --out     output folder; our own earlier output in it (all.yaml, <kind>-NNN.yaml) is replaced
// --seed    PRNG seed (default 42); the same count and seed always give byte-identical files
// --verify  parse every written file back with the `yaml` package (slower)
//
// Point the catalog at <out>/all.yaml (one Location per data file, relative targets). Each file holds at
// most CHUNK entities. Entities are written as they are made, so memory stays flat: every
// cross-reference (owner, system, domain, API, cluster) is a pure function of an index.
//
// Scalars are written as double-quoted JSON strings (valid YAML) and API definitions as
// literal blocks; hand-emitting is ~20x faster than a generic YAML serialiser, and the first
// document of every file (or every document with --verify) is parsed back with `yaml`.

import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';

const CHUNK = 2500;
const MIN_COUNT = 100;
const MAX_COUNT = 100000;

// ---- arguments ----------------------------------------------------------------------

function usage(message) {
  if (message) console.error(`generate-catalog: ${message}`);
  console.error(
    'usage: node scripts/generate-catalog.mjs --count <100..100000> --out <dir> [--seed <int>] [--verify]',
  );
  process.exit(2);
}

const args = { seed: 42, verify: false };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const value = () => {
    const v = process.argv[++i];
    if (v === undefined) usage(`${a} needs a value`);
    return v;
  };
  if (a === '--count') args.count = Number(value());
  else if (a === '--out') args.out = value();
  else if (a === '--seed') args.seed = Number(value());
  else if (a === '--verify') args.verify = true;
  else if (a === '--help' || a === '-h') usage();
  else usage(`unknown argument ${a}`);
}
if (
  !Number.isInteger(args.count) ||
  args.count < MIN_COUNT ||
  args.count > MAX_COUNT
) {
  usage(`--count must be an integer from ${MIN_COUNT} to ${MAX_COUNT}`);
}
if (!args.out) usage('--out is required');
if (!Number.isInteger(args.seed)) usage('--seed must be an integer');

// ---- seeded PRNG (mulberry32) ---------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(args.seed);
const chance = p => rand() < p;
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = list => list[Math.floor(rand() * list.length)];
/** Picks from [[weight, value], …]. */
function weighted(table) {
  let total = 0;
  for (const [w] of table) total += w;
  let r = rand() * total;
  for (const [w, v] of table) {
    if ((r -= w) < 0) return v;
  }
  return table[table.length - 1][1];
}
function sample(list, n) {
  const out = new Set();
  while (out.size < Math.min(n, list.length)) out.add(pick(list));
  return [...out];
}

// ---- shape of the organisation ----------------------------------------------------------

const N = args.count;
const nClusters = Math.min(6, Math.max(2, Math.round(Math.log10(N)) + 1));
const nApis = Math.max(8, Math.round(0.06 * N));
const nSystems = Math.max(4, Math.round(0.05 * N));
const nDomains = Math.max(2, Math.round(nSystems / 12));
const peopleBudget = Math.max(16, Math.round(0.085 * N));
const nTeams = Math.max(6, Math.round(peopleBudget / 4.2));
const nDepartments = Math.max(1, Math.ceil(nTeams / 8));
const nUsers = Math.max(nTeams, peopleBudget - nTeams - nDepartments - 1);
const nComponents =
  N -
  1 /* Location */ -
  nClusters -
  nApis -
  nSystems -
  nDomains -
  1 /* org */ -
  nDepartments -
  nTeams -
  nUsers;
if (nComponents < 1)
  usage(`--count ${N} is too small for the organisation shape`);

const pad = (i, total) => String(i).padStart(String(total - 1).length, '0');
const blockOf = (i, from, to) => Math.floor((i * to) / from); // maps index i of `from` items onto `to` buckets

const ORG = 'synthetic-retail';
const TEAM_WORDS = [
  'payments',
  'checkout',
  'search',
  'catalog',
  'fulfilment',
  'identity',
  'growth',
  'pricing',
  'loyalty',
  'logistics',
  'messaging',
  'risk',
  'data',
  'mobile',
  'web',
  'partners',
  'billing',
  'support',
];
const DEPT_WORDS = [
  'commerce',
  'money',
  'customer',
  'operations',
  'foundations',
  'marketplace',
  'insights',
];
const DOMAIN_WORDS = [
  'commerce',
  'payments',
  'fulfilment',
  'customer',
  'platform',
  'marketplace',
  'finance',
  'data',
];
const SYSTEM_WORDS = [
  'checkout',
  'storefront',
  'ledger',
  'search',
  'inventory',
  'shipping',
  'returns',
  'promotions',
  'accounts',
  'reviews',
  'notifications',
  'settlement',
  'fraud',
  'catalog',
  'edge',
  'identity',
];
const NOUNS = [
  'order',
  'payment',
  'cart',
  'price',
  'stock',
  'search',
  'product',
  'customer',
  'invoice',
  'refund',
  'shipment',
  'label',
  'review',
  'coupon',
  'loyalty',
  'session',
  'image',
  'tax',
  'fraud',
  'ledger',
  'payout',
  'email',
  'sms',
  'report',
  'feed',
  'audit',
];
const SUFFIXES = {
  service: [
    'service',
    'api',
    'gateway',
    'consumer',
    'worker',
    'engine',
    'sync',
  ],
  website: ['web', 'ui', 'admin'],
  job: ['migrator', 'backfill', 'reconciler'],
  cronjob: ['nightly', 'hourly', 'cleanup'],
};
const FIRST = [
  'alex',
  'sam',
  'jo',
  'maria',
  'li',
  'omar',
  'ana',
  'ken',
  'ada',
  'raj',
  'eva',
  'tom',
  'mia',
  'noor',
  'ivan',
  'zoe',
];
const LAST = [
  'smith',
  'garcia',
  'chen',
  'okafor',
  'novak',
  'silva',
  'khan',
  'berg',
  'rossi',
  'tanaka',
  'moreau',
  'kowalski',
];
const CLUSTERS = [
  { name: 'prod-eu', cni: 'calico', kernel: '6.1', k8s: '1.31' },
  { name: 'prod-us', cni: 'cilium', kernel: '5.15', k8s: '1.30' },
  { name: 'prod-ap', cni: 'aws-vpc-cni', kernel: '5.10', k8s: '1.29' },
  { name: 'prod-sa', cni: 'gke-dataplane-v2', kernel: '6.1', k8s: '1.32' },
  { name: 'prod-eu-2', cni: 'azure-cni', kernel: '5.15', k8s: '1.31' },
  { name: 'prod-us-2', cni: 'flannel', kernel: '4.19', k8s: '1.28' },
].slice(0, nClusters);

const orgName = ORG;
const deptName = d =>
  `dept-${DEPT_WORDS[d % DEPT_WORDS.length]}-${pad(d, nDepartments)}`;
const teamName = t =>
  t === 0
    ? 'platform'
    : `team-${TEAM_WORDS[t % TEAM_WORDS.length]}-${pad(t, nTeams)}`;
const teamOfDept = d => [
  Math.ceil((d * nTeams) / nDepartments),
  Math.ceil(((d + 1) * nTeams) / nDepartments),
]; // [from, to)
const deptOfTeam = t => blockOf(t, nTeams, nDepartments);
const domainName = i =>
  `${DOMAIN_WORDS[i % DOMAIN_WORDS.length]}-${pad(i, nDomains)}`;
const teamOfSystem = s => blockOf(s, nSystems, nTeams);
const systemName = s =>
  `${
    teamOfSystem(s) === 0 ? 'platform' : SYSTEM_WORDS[s % SYSTEM_WORDS.length]
  }-sys-${pad(s, nSystems)}`;
const domainOfSystem = s => blockOf(s, nSystems, nDomains);
const systemOfComponent = c => blockOf(c, nComponents, nSystems);
const apiProvider = j => blockOf(j, nApis, nComponents);
const apiName = j => `${NOUNS[j % NOUNS.length]}-api-${pad(j, nApis)}`;

// ---- output --------------------------------------------------------------------------------

const outDir = resolve(args.out);
mkdirSync(outDir, { recursive: true });
const OURS =
  /^(all|org-\d+|systems-\d+|clusters-\d+|apis-\d+|components-\d+)\.yaml$/;
for (const f of readdirSync(outDir)) if (OURS.test(f)) rmSync(join(outDir, f));

const q = JSON.stringify; // a JSON string is a valid YAML double-quoted scalar
const files = [];
const counts = {};
let bytes = 0;

/** Streams entities of one family into <prefix>-NNN.yaml files of at most CHUNK entities. */
class ChunkedWriter {
  constructor(prefix) {
    this.prefix = prefix;
    this.fd = undefined;
    this.inFile = 0;
    this.index = 0;
    this.buf = [];
    this.bufLen = 0;
  }
  write(kind, text) {
    if (this.fd === undefined || this.inFile >= CHUNK) this.rotate();
    this.buf.push('---\n', text);
    this.bufLen += text.length;
    this.inFile++;
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (this.bufLen > 1 << 20) this.flush();
  }
  rotate() {
    this.close();
    const name = `${this.prefix}-${String(++this.index).padStart(3, '0')}.yaml`;
    files.push(name);
    this.fd = openSync(join(outDir, name), 'w');
    this.inFile = 0;
    this.buf.push(
      `# Generated by scripts/generate-catalog.mjs --count ${N} --seed ${args.seed}. Do not edit.\n`,
    );
  }
  flush() {
    if (this.fd === undefined || this.buf.length === 0) return;
    const s = this.buf.join('');
    writeSync(this.fd, s);
    bytes += Buffer.byteLength(s);
    this.buf = [];
    this.bufLen = 0;
  }
  close() {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

const list = items => `[${items.map(q).join(', ')}]`;
function entity(kind, name, { title, description, tags, annotations, spec }) {
  let s = `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${q(
    name,
  )}\n`;
  if (title) s += `  title: ${q(title)}\n`;
  if (description) s += `  description: ${q(description)}\n`;
  if (tags && tags.length) s += `  tags: ${list(tags)}\n`;
  if (annotations) {
    const keys = Object.keys(annotations);
    if (keys.length) {
      s += '  annotations:\n';
      for (const k of keys) s += `    ${q(k)}: ${q(annotations[k])}\n`;
    }
  }
  s += 'spec:\n';
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) s += `  ${k}: ${list(v)}\n`;
    else if (k === 'definition')
      s += `  definition: |\n${v.replace(/^/gm, '    ')}\n`;
    else s += `  ${k}: ${q(v)}\n`;
  }
  return s;
}

const t0 = performance.now();
const M = 'mesh-readiness.io/';

// ---- groups and users --------------------------------------------------------------------------

const org = new ChunkedWriter('org');
org.write(
  'Group',
  entity('Group', orgName, {
    title: 'Synthetic Retail',
    description: `Synthetic organisation with ${nComponents} components (seed ${args.seed}).`,
    spec: {
      type: 'organization',
      profile: undefined,
      children: Array.from({ length: nDepartments }, (_, d) => deptName(d)),
    },
  }),
);
for (let d = 0; d < nDepartments; d++) {
  const [from, to] = teamOfDept(d);
  org.write(
    'Group',
    entity('Group', deptName(d), {
      title: `${DEPT_WORDS[d % DEPT_WORDS.length]} department ${d}`,
      spec: {
        type: 'department',
        parent: orgName,
        children: Array.from({ length: to - from }, (_, i) =>
          teamName(from + i),
        ),
      },
    }),
  );
}
for (let t = 0; t < nTeams; t++) {
  const annotations =
    t === 0
      ? {
          [`${M}platform-team`]: 'true',
          [`${M}mesh-engineers`]: String(int(1, 4)),
        }
      : undefined;
  org.write(
    'Group',
    entity('Group', teamName(t), {
      title:
        t === 0
          ? 'Platform Engineering'
          : `${TEAM_WORDS[t % TEAM_WORDS.length]} team ${t}`,
      description:
        t === 0 ? 'Owns the clusters and would run the mesh.' : undefined,
      annotations,
      spec: { type: 'team', parent: deptName(deptOfTeam(t)), children: [] },
    }),
  );
}
for (let u = 0; u < nUsers; u++) {
  const team = blockOf(u, nUsers, nTeams);
  const memberOf = [teamName(team)];
  if (chance(0.05) && nTeams > 1) memberOf.push(teamName((team + 1) % nTeams));
  const first = pick(FIRST);
  const last = pick(LAST);
  org.write(
    'User',
    entity('User', `${first}-${last}-${pad(u, nUsers)}`, {
      spec: { memberOf },
    }),
  );
}
org.close();

// ---- domains, systems, clusters ------------------------------------------------------------------

const systems = new ChunkedWriter('systems');
for (let i = 0; i < nDomains; i++) {
  // A domain is owned by the team that owns its first system.
  const firstSystem = Math.ceil((i * nSystems) / nDomains);
  systems.write(
    'Domain',
    entity('Domain', domainName(i), {
      description: `Synthetic ${DOMAIN_WORDS[i % DOMAIN_WORDS.length]} domain.`,
      spec: { owner: `group:default/${teamName(teamOfSystem(firstSystem))}` },
    }),
  );
}
for (let s = 0; s < nSystems; s++) {
  systems.write(
    'System',
    entity('System', systemName(s), {
      spec: {
        owner: `group:default/${teamName(teamOfSystem(s))}`,
        domain: domainName(domainOfSystem(s)),
      },
    }),
  );
}
systems.close();

const clusters = new ChunkedWriter('clusters');
const podsPerNode = 30;
const nodesPerCluster = Math.max(
  3,
  Math.round((nComponents * 6) / podsPerNode / nClusters),
);
for (const c of CLUSTERS) {
  clusters.write(
    'Resource',
    entity('Resource', c.name, {
      description: `Synthetic production cluster (${c.cni}).`,
      annotations: {
        [`${M}cni`]: c.cni,
        [`${M}kernel-version`]: c.kernel,
        [`${M}kubernetes-version`]: c.k8s,
        [`${M}nodes`]: String(
          Math.max(3, Math.round(nodesPerCluster * (0.6 + rand() * 0.8))),
        ),
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: `group:default/${teamName(0)}`,
        system: systemName(0),
      },
    }),
  );
}
clusters.close();

// ---- APIs ------------------------------------------------------------------------------------------

const IDEM_REF = "- $ref: '#/components/parameters/IdempotencyKey'";
function idemVariant() {
  return weighted([
    [35, 'ref'],
    [20, 'inline'],
    [10, 'x-idempotent'],
    [35, 'none'],
  ]);
}
function openapiYaml(res) {
  const post = idemVariant();
  const patch = idemVariant();
  const pathLevel = chance(0.1); // Idempotency-Key declared once on the action path
  const lines = [
    'openapi: 3.0.3',
    'info:',
    `  title: ${res} API`,
    `  version: 1.${int(0, 20)}.${int(0, 9)}`,
    'paths:',
    `  /${res}:`,
    '    get:',
    `      operationId: list_${res}`,
    '      responses:',
    "        '200':",
    '          description: A page of results',
    '    post:',
    `      operationId: create_${res}`,
  ];
  const opIdem = (v, indent) => {
    const p = ' '.repeat(indent);
    if (v === 'ref') return [`${p}parameters:`, `${p}  ${IDEM_REF}`];
    if (v === 'inline')
      return [
        `${p}parameters:`,
        `${p}  - name: Idempotency-Key`,
        `${p}    in: header`,
        `${p}    required: true`,
        `${p}    schema:`,
        `${p}      type: string`,
      ];
    if (v === 'x-idempotent') return [`${p}x-idempotent: true`];
    return [];
  };
  lines.push(
    ...opIdem(post, 6),
    '      responses:',
    "        '201':",
    '          description: Created',
  );
  lines.push(
    `  /${res}/{id}:`,
    '    parameters:',
    '      - name: id',
    '        in: path',
    '        required: true',
    '        schema:',
    '          type: string',
  );
  lines.push(
    '    get:',
    `      operationId: get_${res}`,
    '      responses:',
    "        '200':",
    '          description: One item',
  );
  lines.push(
    '    patch:',
    `      operationId: update_${res}`,
    ...opIdem(patch, 6),
    '      responses:',
    "        '200':",
    '          description: Updated',
  );
  lines.push(
    '    delete:',
    `      operationId: delete_${res}`,
    '      responses:',
    "        '204':",
    '          description: Deleted',
  );
  lines.push(
    `  /${res}/{id}/actions:`,
    '    parameters:',
    '      - name: id',
    '        in: path',
    '        required: true',
    '        schema:',
    '          type: string',
  );
  if (pathLevel) lines.push(`      ${IDEM_REF}`);
  lines.push(
    '    post:',
    `      operationId: act_on_${res}`,
    '      responses:',
    "        '200':",
    '          description: Done',
  );
  lines.push(
    'components:',
    '  parameters:',
    '    IdempotencyKey:',
    '      name: Idempotency-Key',
    '      in: header',
    '      required: true',
    '      schema:',
    '        type: string',
  );
  return lines.join('\n');
}
function openapiJson(res) {
  const op = (id, v) => {
    const o = { operationId: id, responses: { 200: { description: 'OK' } } };
    if (v === 'ref')
      o.parameters = [{ $ref: '#/components/parameters/IdempotencyKey' }];
    if (v === 'inline')
      o.parameters = [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          schema: { type: 'string' },
        },
      ];
    if (v === 'x-idempotent') o['x-idempotent'] = true;
    return o;
  };
  return JSON.stringify(
    {
      openapi: '3.0.3',
      info: { title: `${res} API`, version: `2.${int(0, 9)}.0` },
      paths: {
        [`/${res}`]: {
          get: op(`list_${res}`),
          post: op(`create_${res}`, idemVariant()),
        },
        [`/${res}/{id}`]: {
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string' },
            },
          ],
          get: op(`get_${res}`),
          put: op(`replace_${res}`),
          patch: op(`update_${res}`, idemVariant()),
        },
      },
      components: {
        parameters: {
          IdempotencyKey: {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            schema: { type: 'string' },
          },
        },
      },
    },
    null,
    2,
  );
}
function swaggerJson(res) {
  const post = {
    operationId: `create_${res}`,
    parameters: [],
    responses: { 201: { description: 'Created' } },
  };
  const v = idemVariant();
  if (v === 'ref')
    post.parameters.push({ $ref: '#/parameters/IdempotencyKey' });
  if (v === 'inline')
    post.parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      type: 'string',
      required: true,
    });
  if (v === 'x-idempotent') post['x-idempotent'] = true;
  post.parameters.push({
    name: 'body',
    in: 'body',
    required: true,
    schema: { type: 'object' },
  });
  return JSON.stringify(
    {
      swagger: '2.0',
      info: { title: `${res} API`, version: `1.${int(0, 9)}.0` },
      basePath: '/v1',
      paths: {
        [`/${res}`]: {
          get: {
            operationId: `list_${res}`,
            responses: { 200: { description: 'OK' } },
          },
          post,
        },
        [`/${res}/{id}`]: {
          delete: {
            operationId: `delete_${res}`,
            parameters: [
              { name: 'id', in: 'path', type: 'string', required: true },
            ],
            responses: { 204: { description: 'Deleted' } },
          },
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          type: 'string',
          required: true,
        },
      },
    },
    null,
    2,
  );
}
function proto(res, j) {
  const Res = res.charAt(0).toUpperCase() + res.slice(1);
  const withTimestamp = chance(0.3);
  const level = () =>
    weighted([
      [35, ''],
      [35, 'NO_SIDE_EFFECTS'],
      [30, 'IDEMPOTENT'],
    ]);
  const rpc = (name, req, resp, lvl) =>
    lvl
      ? `  rpc ${name}(${req}) returns (${resp}) {\n    option idempotency_level = ${lvl};\n  }`
      : `  rpc ${name}(${req}) returns (${resp});`;
  const rpcs = [
    rpc(
      `Get${Res}`,
      `Get${Res}Request`,
      Res,
      chance(0.8) ? 'NO_SIDE_EFFECTS' : '',
    ),
    rpc(
      `Create${Res}`,
      `Create${Res}Request`,
      Res,
      chance(0.2) ? 'IDEMPOTENT' : '',
    ),
    rpc(`Update${Res}`, `Update${Res}Request`, Res, level()),
  ];
  if (chance(0.2))
    rpcs.push(
      rpc(
        `Watch${Res}`,
        `Get${Res}Request`,
        `stream ${Res}`,
        chance(0.5) ? 'NO_SIDE_EFFECTS' : '',
      ),
    );
  return [
    'syntax = "proto3";',
    '',
    `package synthetic.${res}.v${1 + (j % 3)};`,
    ...(withTimestamp ? ['', 'import "google/protobuf/timestamp.proto";'] : []),
    '',
    `service ${Res}Service {`,
    rpcs.join('\n'),
    '}',
    '',
    `message ${Res} {`,
    '  string id = 1;',
    '  string name = 2;',
    ...(withTimestamp ? ['  google.protobuf.Timestamp updated_at = 3;'] : []),
    '}',
    '',
    `message Get${Res}Request {`,
    '  string id = 1;',
    '}',
    '',
    `message Create${Res}Request {`,
    `  ${Res} ${res} = 1;`,
    '}',
    '',
    `message Update${Res}Request {`,
    `  ${Res} ${res} = 1;`,
    '}',
  ].join('\n');
}

const apis = new ChunkedWriter('apis');
for (let j = 0; j < nApis; j++) {
  const provider = apiProvider(j);
  const system = systemOfComponent(provider);
  const res = NOUNS[j % NOUNS.length] + 's';
  const kind = weighted([
    [55, 'openapi-yaml'],
    [10, 'openapi-json'],
    [5, 'swagger-json'],
    [29, 'grpc'],
    [1, 'broken'],
  ]);
  let type = 'openapi';
  let definition;
  if (kind === 'openapi-yaml') definition = openapiYaml(res);
  else if (kind === 'openapi-json') definition = openapiJson(res);
  else if (kind === 'swagger-json') definition = swaggerJson(res);
  else if (kind === 'grpc') {
    type = 'grpc';
    definition = proto(res.slice(0, -1), j);
  } else
    definition = `openapi: 3.0.3\ninfo:\n  title: ${res} API\npaths:\n  /${res}:\n    post: [ { operationId: create\n   broken: true`;
  apis.write(
    'API',
    entity('API', apiName(j), {
      description: `${res} API (synthetic, ${kind}).`,
      tags: [type === 'grpc' ? 'grpc' : 'rest'],
      spec: {
        type,
        lifecycle: chance(0.9) ? 'production' : 'experimental',
        owner: `group:default/${teamName(teamOfSystem(system))}`,
        system: systemName(system),
        definition,
      },
    }),
  );
}
apis.close();

// ---- components ------------------------------------------------------------------------------------

const MAIN_PORTS = [
  [50, '8080/http'],
  [20, '9090/grpc'],
  [10, '3000/http'],
  [8, '8443/https'],
  [5, '8080/http2'],
  [4, '8081/websocket'],
  [3, '8080/grpc-web'],
];
const SERVER_FIRST = [
  [30, '5432/postgres'],
  [25, '6379/redis'],
  [15, '3306/mysql'],
  [10, '4222/nats'],
  [8, '27017/mongodb'],
  [5, '2525/smtp'],
  [4, '11211/memcached'],
  [3, '4567/galera'],
];
const COMPLIANCE = [
  [45, 'pci, soc2'],
  [20, 'pci'],
  [10, 'soc2'],
  [10, 'gdpr, pii'],
  [8, 'hipaa'],
  [4, 'iso27001'],
  [3, 'fedramp'],
];
const NEEDS = [
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
];
const MALFORMED = [
  a => (a[`${M}ports`] = '8080/grcp'),
  a => (a[`${M}tracing`] = 'yes'),
  a => (a[`${M}replicas`] = 'three'),
  a => {
    delete a[`${M}timeouts`];
    a[`${M}timeout`] = 'true';
  },
  a => (a[`${M}waive.tracing`] = 'next quarter, when the SDK supports it'),
  a => (a[`${M}retries`] = 'sometimes'),
  a => (a[`${M}peak-rps`] = '-5'),
];
/** 0…1 per team, from its own PRNG stream so it does not depend on generation order. */
const maturity = t =>
  t === 0 ? 0.9 : mulberry32(args.seed * 7919 + t)() ** 0.7;
const futureDate = () =>
  `${int(2027, 2029)}-${String(int(1, 12)).padStart(2, '0')}-${String(
    int(1, 28),
  ).padStart(2, '0')}`;
const pastDate = () =>
  `${int(2023, 2025)}-${String(int(1, 12)).padStart(2, '0')}-${String(
    int(1, 28),
  ).padStart(2, '0')}`;

const states = {
  noAnnotations: 0,
  excluded: 0,
  malformed: 0,
  ready: 0,
  serverFirstUndeclared: 0,
  uid1337: 0,
  uid2102: 0,
  reservedPort: 0,
  udp: 0,
  compliance: 0,
  waiverValid: 0,
  waiverExpired: 0,
  needs: 0,
};
const components = new ChunkedWriter('components');
let nextApi = 0; // APIs are provided in index order: API j by component apiProvider(j)
for (let c = 0; c < nComponents; c++) {
  const system = systemOfComponent(c);
  const team = teamOfSystem(system);
  const type = weighted([
    [82, 'service'],
    [6, 'website'],
    [5, 'job'],
    [7, 'cronjob'],
  ]);
  const isBatch = type === 'job' || type === 'cronjob';
  const name = `${pick(NOUNS)}-${pick(SUFFIXES[type])}-${pad(c, nComponents)}`;
  const lifecycle = weighted([
    [85, 'production'],
    [12, 'experimental'],
    [3, 'deprecated'],
  ]);
  const tags = [];
  const providesApis = [];
  while (nextApi < nApis && apiProvider(nextApi) === c)
    providesApis.push(apiName(nextApi++));
  const consumesApis = chance(0.6)
    ? sample(
        Array.from({ length: 8 }, () => apiName(int(0, nApis - 1))),
        int(1, 3),
      )
    : [];
  const clusterIdx = int(0, nClusters - 1);
  const dependsOn = [`resource:default/${CLUSTERS[clusterIdx].name}`];
  if (chance(0.15) && nClusters > 1)
    dependsOn.push(
      `resource:default/${CLUSTERS[(clusterIdx + 1) % nClusters].name}`,
    );

  let annotations = {};
  const profile = weighted([
    [8, 'bare'],
    [1, 'excluded'],
    [91, 'annotated'],
  ]);
  if (profile === 'bare') {
    states.noAnnotations++;
  } else if (profile === 'excluded') {
    states.excluded++;
    annotations[`${M}exclude`] = pick([
      'runs on the mainframe',
      'runs on a VM outside Kubernetes',
      'SaaS, not deployed by us',
      'lambda function',
    ]);
    dependsOn.length = 0;
  } else {
    const a = annotations;
    if (!isBatch && chance(0.95)) {
      const ports = [weighted(MAIN_PORTS)];
      const opaque = [];
      if (chance(0.2)) {
        const sf = weighted(SERVER_FIRST);
        ports.push(sf);
        if (chance(0.5)) opaque.push(sf.split('/')[0]);
        else states.serverFirstUndeclared++;
      }
      if (chance(0.005))
        ports.push(pick(['514/udp', '53/dns', '8125/udp'])), states.udp++;
      if (chance(0.003))
        ports.push(pick(['15001/http', '15006/tcp', '4143/tcp'])),
          states.reservedPort++;
      a[`${M}ports`] = ports.join(', ');
      if (opaque.length) a[`${M}opaque-ports`] = opaque.join(', ');
    }
    // Teams differ: a mature team has most of its services traced, with timeouts and safe retries.
    const m = maturity(team);
    const tracing = weighted([
      [20 + 65 * m, 'full'],
      [25, 'partial'],
      [30 - 25 * m, 'none'],
      [5, ''],
    ]);
    if (tracing) a[`${M}tracing`] = tracing;
    if (chance(0.1)) {
      states.compliance++;
      const comp = weighted(COMPLIANCE);
      if (chance(0.5)) a[`${M}compliance`] = comp;
      else tags.push(...comp.split(', '));
      a[`${M}mtls-requirement`] = chance(0.7)
        ? 'workload-identity'
        : 'encryption';
    }
    if (chance(0.05)) {
      states.needs++;
      a[`${M}needs`] = sample(NEEDS, int(1, 3)).join(', ');
    }
    if (chance(0.9))
      a[`${M}replicas`] = String(
        isBatch ? 1 : 2 + Math.floor(rand() ** 2 * 28),
      );
    if (!isBatch && chance(0.85))
      a[`${M}peak-rps`] = String(Math.round(5 * 800 ** rand()));
    const uid = weighted([
      [40, '1000'],
      [25, '10001'],
      [25, '65532'],
      [1, '0'],
      [0.5, '1337'],
      [0.3, '2102'],
      [8.2, ''],
    ]);
    if (uid) a[`${M}run-as-uid`] = uid;
    if (uid === '1337') states.uid1337++;
    if (uid === '2102') states.uid2102++;
    if (!isBatch && chance(0.8))
      a[`${M}probes`] = weighted([
        [70, 'http'],
        [12, 'grpc'],
        [10, 'tcp'],
        [8, 'exec'],
      ]);
    const pss = weighted([
      [40, 'restricted'],
      [35, 'baseline'],
      [5, 'privileged'],
      [20, ''],
    ]);
    if (pss) a[`${M}pod-security`] = pss;
    if (chance(0.005)) a[`${M}bind-address`] = '127.0.0.1';
    else if (chance(0.3)) a[`${M}bind-address`] = '0.0.0.0';
    if (chance(0.02)) a[`${M}headless`] = 'true';
    const timeouts = weighted([
      [40 + 50 * m, 'true'],
      [35 - 30 * m, 'false'],
      [10, ''],
    ]);
    if (timeouts) a[`${M}timeouts`] = timeouts;
    const retries = weighted([
      [35 + 50 * m, 'idempotent-only'],
      [20, 'none'],
      [35 - 30 * m, 'all'],
      [5, ''],
    ]);
    if (retries) a[`${M}retries`] = retries;
    if (chance(0.02)) {
      states.waiverValid++;
      a[
        `${M}waive.${pick([
          'proxy-uid',
          'tracing',
          'server-first-protocols',
          'protocols',
        ])}`
      ] = `${futureDate()} agreed with the platform team; JIRA-${int(
        100,
        9999,
      )}`;
    }
    if (chance(0.01)) {
      states.waiverExpired++;
      a[
        `${M}waive.tracing`
      ] = `${pastDate()} tracing lands next quarter; JIRA-${int(100, 9999)}`;
    }
    if (chance(0.0005))
      a[
        `${M}waive.owner`
      ] = `${futureDate()} reason with markup <img src=x onerror=alert(1)>`;
    if (chance(0.02)) {
      states.malformed++;
      pick(MALFORMED)(a);
    } else if (
      a[`${M}tracing`] === 'full' &&
      a[`${M}timeouts`] === 'true' &&
      a[`${M}retries`] === 'idempotent-only' &&
      (isBatch || a[`${M}ports`]) &&
      uid &&
      uid !== '1337' &&
      uid !== '2102'
    ) {
      states.ready++;
    }
  }
  if (chance(0.3))
    tags.push(pick(['java', 'go', 'python', 'node', 'kotlin', 'rust', 'ruby']));

  components.write(
    'Component',
    entity('Component', name, {
      description: `Synthetic ${type} in ${systemName(system)}.`,
      tags,
      annotations,
      spec: {
        type,
        lifecycle,
        owner: `group:default/${teamName(team)}`,
        system: systemName(system),
        providesApis: providesApis.length ? providesApis : undefined,
        consumesApis: consumesApis.length ? consumesApis : undefined,
        dependsOn: dependsOn.length ? dependsOn : undefined,
      },
    }),
  );
}
components.close();

// ---- the Location --------------------------------------------------------------------------------

// One Location per data file: the catalog processes each Location on its own,
// so no single Location emits tens of thousands of entities (SQLite caps the
// number of variables in one statement, which the catalog hits past ~32,000).
const location =
  `# Generated by scripts/generate-catalog.mjs --count ${N} --seed ${args.seed}. Point the catalog here.\n` +
  files
    .map(
      f =>
        '---\n' +
        entity('Location', `generated-catalog-${f.replace(/\.yaml$/, '')}`, {
          description: `Synthetic catalog of ${N} entities (seed ${args.seed}): ${f}.`,
          spec: { targets: [`./${f}`] },
        }),
    )
    .join('');
writeSync(openSync(join(outDir, 'all.yaml'), 'w'), location);
counts.Location = files.length;
bytes += Buffer.byteLength(location);
const writeSeconds = (performance.now() - t0) / 1000;

// ---- parse back with `yaml` ------------------------------------------------------------------------

let parsed = 0;
for (const f of ['all.yaml', ...files]) {
  const text = readFileSync(join(outDir, f), 'utf8');
  if (args.verify) {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) throw new Error(`${f}: ${doc.errors[0].message}`);
      parsed++;
    }
  } else {
    // The file's header and first document.
    const end = text.indexOf('\n---\n', text.indexOf('---\n') + 4);
    const doc = parseDocument(end > 0 ? text.slice(0, end) : text);
    if (doc.errors.length) throw new Error(`${f}: ${doc.errors[0].message}`);
    parsed++;
  }
}
const seconds = (performance.now() - t0) / 1000;

// ---- report ------------------------------------------------------------------------------------------

const total = Object.values(counts).reduce((x, y) => x + y, 0);
console.log(`Wrote ${total} entities to ${outDir} (seed ${args.seed})`);
for (const kind of Object.keys(counts).sort())
  console.log(`  ${kind.padEnd(10)} ${counts[kind]}`);
console.log(
  `  files      ${files.length + 1} (all.yaml + ${
    files.length
  }, ≤${CHUNK} entities each), ${(bytes / 1048576).toFixed(1)} MiB`,
);
console.log(
  `  states     ${Object.entries(states)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`,
);
console.log(
  `  seconds    ${writeSeconds.toFixed(2)} to write, ${seconds.toFixed(
    2,
  )} with ${
    args.verify ? `all ${parsed} documents` : `${parsed} sample documents`
  } parsed back`,
);
// N counts one Location; there is one per data file.
if (total !== N - 1 + files.length) {
  console.error(
    `internal error: wrote ${total} entities, expected ${N - 1 + files.length}`,
  );
  process.exit(1);
}
