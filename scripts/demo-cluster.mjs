#!/usr/bin/env node
// The demo cluster: a local HTTP server that stands in for a Kubernetes API
// server, so the demo backend's Kubernetes plugin (and through it the Mesh
// Readiness Kubernetes module) sees running workloads without a cluster.
//
//   yarn demo:cluster                      # beside yarn start
//   DEMO_CLUSTER_PORT=7171 node scripts/demo-cluster.mjs
//
// It answers, read-only, what the Kubernetes plugin asks for: the list calls
// of its object types (/api/v1/pods, /apis/apps/v1/deployments, ...), all
// namespaces or one, filtered by `labelSelector` (equality, inequality and
// existence terms), `fieldSelector` (metadata.name / metadata.namespace) and
// paged by `limit` / `continue` like a real API server, plus /version,
// /api, /apis, /api/v1/nodes and /api/v1/namespaces. The objects are the
// fixtures in examples/cluster/*.json (v1 Lists, as `kubectl get -o json`
// writes them); a resource the server knows but holds nothing of answers an
// empty list, an unknown path a 404 Status.
//
// Control endpoints, for demos and tests (not Kubernetes paths):
//   POST /__demo/stop    every Kubernetes path hangs, as an unreachable cluster
//   POST /__demo/start   answers again (hanging requests are dropped)
//   GET  /__demo/health  200 {"status":"ok","serving":true|false}
//
// Plain Node, no dependencies. The server checks no token.
import http from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = path.join(root, 'examples/cluster');
const host = '127.0.0.1';
const port = Number(process.env.DEMO_CLUSTER_PORT ?? 7071);

const VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.2',
  gitCommit: 'a57b6f7709f6c2722b92f07b8b4c48210a51fc40',
  gitTreeState: 'clean',
  buildDate: '2025-06-17T18:36:07Z',
  goVersion: 'go1.24.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/*
 * The resources this API server knows, by group/version: plural → kind and
 * whether it is namespaced. What a real 1.33 server serves for the groups
 * below, trimmed to what a read-only client of workloads may ask for.
 */
const GROUPS = {
  '': {
    v1: {
      pods: ['Pod', true],
      services: ['Service', true],
      configmaps: ['ConfigMap', true],
      secrets: ['Secret', true],
      limitranges: ['LimitRange', true],
      resourcequotas: ['ResourceQuota', true],
      persistentvolumeclaims: ['PersistentVolumeClaim', true],
      serviceaccounts: ['ServiceAccount', true],
      endpoints: ['Endpoints', true],
      events: ['Event', true],
      persistentvolumes: ['PersistentVolume', false],
      namespaces: ['Namespace', false],
      nodes: ['Node', false],
    },
  },
  apps: {
    v1: {
      deployments: ['Deployment', true],
      replicasets: ['ReplicaSet', true],
      statefulsets: ['StatefulSet', true],
      daemonsets: ['DaemonSet', true],
      controllerrevisions: ['ControllerRevision', true],
    },
  },
  batch: {
    v1: { jobs: ['Job', true], cronjobs: ['CronJob', true] },
  },
  autoscaling: {
    v2: { horizontalpodautoscalers: ['HorizontalPodAutoscaler', true] },
    v1: { horizontalpodautoscalers: ['HorizontalPodAutoscaler', true] },
  },
  'networking.k8s.io': {
    v1: {
      ingresses: ['Ingress', true],
      networkpolicies: ['NetworkPolicy', true],
      ingressclasses: ['IngressClass', false],
    },
  },
  policy: {
    v1: { poddisruptionbudgets: ['PodDisruptionBudget', true] },
  },
};

/** The preferred version of each group, first in GROUPS. */
function groupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: Object.entries(GROUPS)
      .filter(([name]) => name !== '')
      .map(([name, versions]) => {
        const all = Object.keys(versions).map(version => ({
          groupVersion: `${name}/${version}`,
          version,
        }));
        return { name, versions: all, preferredVersion: all[0] };
      }),
  };
}

function resourceList(group, version) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: Object.entries(GROUPS[group][version]).map(
      ([plural, [kind, namespaced]]) => ({
        name: plural,
        singularName: kind.toLowerCase(),
        namespaced,
        kind,
        verbs: ['get', 'list', 'watch'],
      }),
    ),
  };
}

// ---- the cluster's objects ---------------------------------------------------

const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const NODE_NAMES = ['demo-worker', 'demo-worker2', 'demo-worker3'];
const CREATED = '2026-12-01T08:00:00Z';

function namespace(name, index) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: `6e1d0c2a-5f3b-4c9e-8d27-${String(index + 1).padStart(12, '0')}`,
      resourceVersion: '12',
      creationTimestamp: CREATED,
      // Plain labels: no mesh injection is set up on the demo cluster.
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function node(name, index) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `4b7e2f10-93c5-4e8a-a1d2-00000000000${index + 1}`,
      resourceVersion: String(40100 + index),
      creationTimestamp: CREATED,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'topology.kubernetes.io/zone': `demo-${'abc'[index % 3]}`,
      },
    },
    spec: { podCIDR: `10.244.${index + 1}.0/24` },
    status: {
      capacity: { cpu: '4', memory: '16379844Ki', pods: '110' },
      allocatable: { cpu: '4', memory: '16277444Ki', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: CREATED,
          lastTransitionTime: CREATED,
        },
      ],
      addresses: [
        { type: 'InternalIP', address: `172.18.0.${index + 2}` },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-31-amd64',
        containerRuntimeVersion: 'containerd://2.1.1',
        kubeletVersion: VERSION.gitVersion,
        kubeProxyVersion: VERSION.gitVersion,
      },
    },
  };
}

/** Every object of the fixtures, read once at start. */
function loadObjects() {
  const objects = [];
  for (const file of readdirSync(fixturesDir).sort()) {
    if (!file.endsWith('.json')) continue;
    const doc = JSON.parse(readFileSync(path.join(fixturesDir, file), 'utf8'));
    objects.push(...(doc.kind === 'List' ? doc.items : [doc]));
  }
  const namespaces = new Set(NAMESPACES);
  for (const o of objects) {
    if (o.metadata?.namespace) namespaces.add(o.metadata.namespace);
  }
  objects.push(...[...namespaces].map(namespace));
  objects.push(...NODE_NAMES.map(node));
  return objects;
}

const objects = loadObjects();

function groupVersionOf(apiVersion = '') {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : {
        group: apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
      };
}

/** The objects of one resource: same group and kind, any served version. */
function objectsOf(group, kind) {
  return objects.filter(
    o => o.kind === kind && groupVersionOf(o.apiVersion).group === group,
  );
}

// ---- selectors ----------------------------------------------------------------

class BadRequest extends Error {}

/**
 * A label selector as predicates. Equality (`k=v`, `k==v`), inequality
 * (`k!=v`) and existence (`k`, `!k`) terms, comma-separated and ANDed;
 * set-based terms are refused as a 400 here rather than read wrongly.
 */
function parseLabelSelector(selector) {
  if (!selector) return [];
  if (/[()]|\s(in|notin)\s/.test(selector)) {
    throw new BadRequest(
      `unable to parse requirement: set-based selectors are not supported by the demo cluster: ${selector}`,
    );
  }
  return selector
    .split(',')
    .map(term => term.trim())
    .filter(Boolean)
    .map(term => {
      const m =
        /^(!?)([A-Za-z0-9._/-]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9._-]*))?$/.exec(
          term,
        );
      if (!m) {
        throw new BadRequest(`unable to parse requirement: ${term}`);
      }
      const [, not, key, op, value] = m;
      if (not && op) {
        throw new BadRequest(`unable to parse requirement: ${term}`);
      }
      if (!op) return labels => key in labels !== Boolean(not);
      if (op === '!=') return labels => labels[key] !== value;
      return labels => labels[key] === value;
    });
}

function parseFieldSelector(selector) {
  if (!selector) return [];
  return selector.split(',').map(term => {
    const m = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/.exec(
      term.trim(),
    );
    if (!m) {
      throw new BadRequest(
        `"${term}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    }
    const [, field, op, value] = m;
    const get = o => o.metadata?.[field.slice('metadata.'.length)] ?? '';
    return op === '!=' ? o => get(o) !== value : o => get(o) === value;
  });
}

// ---- answers ------------------------------------------------------------------

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function status(res, code, reason, message, details) {
  send(res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

const RESOURCE_VERSION = '48500';

function list(res, url, { group, version, kind, namespace }) {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
  const matching = objectsOf(group, kind).filter(
    o =>
      (!namespace || o.metadata?.namespace === namespace) &&
      labels.every(test => test(o.metadata?.labels ?? {})) &&
      fields.every(test => test(o)),
  );
  const limit = Number(url.searchParams.get('limit') ?? 0);
  if (!Number.isInteger(limit) || limit < 0) {
    throw new BadRequest(`limit must be a non-negative integer, got ${limit}`);
  }
  let offset = 0;
  const token = url.searchParams.get('continue');
  if (token) {
    offset = Number(Buffer.from(token, 'base64url').toString());
    if (!Number.isInteger(offset) || offset < 0) {
      throw new BadRequest('continue: the token is not valid');
    }
  }
  const end = limit > 0 ? offset + limit : matching.length;
  const items = matching
    .slice(offset, end)
    // A real API server leaves kind and apiVersion off the list's items.
    .map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
  const remaining = Math.max(matching.length - end, 0);
  send(res, 200, {
    kind: `${kind}List`,
    apiVersion: group ? `${group}/${version}` : version,
    metadata: {
      resourceVersion: RESOURCE_VERSION,
      ...(remaining > 0
        ? {
            continue: Buffer.from(String(end)).toString('base64url'),
            remainingItemCount: remaining,
          }
        : {}),
    },
    items,
  });
}

function getOne(res, { group, plural, kind, namespace, name }) {
  const found = objectsOf(group, kind).find(
    o =>
      o.metadata?.name === name &&
      (!namespace || o.metadata?.namespace === namespace),
  );
  if (!found) {
    status(res, 404, 'NotFound', `${plural} "${name}" not found`, {
      name,
      ...(group ? { group } : {}),
      kind: plural,
    });
    return;
  }
  send(res, 200, found);
}

/**
 * A Kubernetes API path as a request on a resource:
 * /api/v1[/namespaces/<ns>]/<plural>[/<name>] and
 * /apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>].
 */
function resolve(pathname) {
  const parts = pathname.split('/').filter(Boolean);
  let group;
  let rest;
  if (parts[0] === 'api') {
    group = '';
    rest = parts.slice(1);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    rest = parts.slice(2);
  } else {
    return undefined;
  }
  const [version, ...tail] = rest;
  const resources = GROUPS[group]?.[version];
  if (!resources) return undefined;
  if (tail.length === 0) return { group, version, discovery: true };
  let namespace;
  let path = tail;
  // /namespaces/<ns>/<plural>..., but /api/v1/namespaces[/<name>] is the
  // Namespace resource itself.
  if (tail[0] === 'namespaces' && tail.length >= 3) {
    namespace = tail[1];
    path = tail.slice(2);
  }
  if (path.length > 2) return undefined;
  const [plural, name] = path;
  const known = resources[plural];
  if (!known) return undefined;
  const [kind, namespaced] = known;
  if (namespace && !namespaced) return undefined;
  return { group, version, plural, kind, namespaced, namespace, name };
}

let serving = true;
const hanging = new Set();

function kubernetes(req, res, url) {
  if (!serving) {
    // An unreachable cluster: the request is never answered.
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
    return;
  }
  if (req.method !== 'GET') {
    status(
      res,
      405,
      'MethodNotAllowed',
      `the demo cluster is read-only: ${req.method} is not allowed`,
    );
    return;
  }
  const { pathname } = url;
  if (pathname === '/version' || pathname === '/version/') {
    send(res, 200, VERSION);
    return;
  }
  if (pathname === '/api' || pathname === '/api/') {
    send(res, 200, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [
        { clientCIDR: '0.0.0.0/0', serverAddress: `${host}:${port}` },
      ],
    });
    return;
  }
  if (pathname === '/apis' || pathname === '/apis/') {
    send(res, 200, groupList());
    return;
  }
  const target = resolve(pathname.replace(/\/+$/, ''));
  if (!target) {
    status(
      res,
      404,
      'NotFound',
      'the server could not find the requested resource',
      {
        causes: [
          { reason: 'UnexpectedServerResponse', message: '404 page not found' },
        ],
      },
    );
    return;
  }
  if (target.discovery) {
    send(res, 200, resourceList(target.group, target.version));
    return;
  }
  try {
    if (target.name) {
      getOne(res, target);
    } else {
      list(res, url, target);
    }
  } catch (error) {
    if (error instanceof BadRequest) {
      status(res, 400, 'BadRequest', error.message);
      return;
    }
    throw error;
  }
}

function control(req, res, url) {
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /__demo/health') {
    send(res, 200, { status: 'ok', serving });
  } else if (route === 'POST /__demo/stop') {
    serving = false;
    console.log('demo cluster: stopped answering (POST /__demo/start resumes)');
    send(res, 200, { serving });
  } else if (route === 'POST /__demo/start') {
    serving = true;
    for (const pending of hanging) pending.destroy();
    hanging.clear();
    console.log('demo cluster: answering again');
    send(res, 200, { serving });
  } else {
    status(res, 404, 'NotFound', `no demo control endpoint ${route}`);
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://${host}`);
  try {
    if (url.pathname.startsWith('/__demo/')) {
      control(req, res, url);
    } else {
      kubernetes(req, res, url);
    }
  } catch (error) {
    status(res, 500, 'InternalError', String(error?.message ?? error));
  }
});

server.on('error', error => {
  console.error(`demo cluster: ${error.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const workloads = objects.filter(o => o.kind === 'Deployment').length;
  console.log(
    `demo cluster: Kubernetes API on http://${host}:${port} (${objects.length} objects, ${workloads} deployments from examples/cluster)`,
  );
});

function shutdown() {
  for (const pending of hanging) pending.destroy();
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
