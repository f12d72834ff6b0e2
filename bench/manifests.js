/*
 * Observed facts benchmark: reading, matching and scoring the Kubernetes
 * manifests of N services, beside scoring the same services from
 * annotations alone.
 *
 *   yarn bench:manifests [--count 10000] [--runs 3]
 *
 * Each service gets one manifest file, shaped like the real ones the
 * project tests against: an Online-Boutique-like gRPC service (Deployment,
 * Service, ServiceAccount; runAsUser 1000, gRPC probes), a Bookinfo-like
 * HTTP service (replicas 1, no probes, per-version labels), a podinfo-like
 * service (three named ports, exec probes, an HPA) and every tenth a
 * database (StatefulSet behind a headless Service on 5432). The
 * declared-only side gets the same facts as annotations.
 *
 * Each variant runs in its own process, `--runs` times, so that its peak
 * memory (maxRSS) is its own. Time is split into reading the files,
 * parsing them, matching workloads to entities, and scoring.
 */
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const args = process.argv.slice(2);
let count = 10000;
let runs = 3;
let child;
let dir;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--count') count = Number(args[++i]);
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--child') child = args[++i];
  else if (args[i] === '--dir') dir = args[++i];
  else {
    console.error(`bench:manifests: unknown argument ${args[i]}`);
    console.error('usage: bench:manifests [--count <n>] [--runs <n>]');
    process.exit(2);
  }
}
if (
  !Number.isInteger(count) ||
  count < 1 ||
  !Number.isInteger(runs) ||
  runs < 1
) {
  console.error(
    'bench:manifests: --count and --runs must be whole numbers of at least 1',
  );
  process.exit(2);
}

const SHAPES = ['boutique', 'bookinfo', 'podinfo'];

function shapeOf(i) {
  return i % 10 === 9 ? 'database' : SHAPES[i % SHAPES.length];
}

function manifestOf(name, shape) {
  const ns = `team-${name.length % 7}`;
  if (shape === 'boutique') {
    return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      serviceAccountName: ${name}
      securityContext:
        fsGroup: 1000
        runAsGroup: 1000
        runAsNonRoot: true
        runAsUser: 1000
      containers:
        - name: server
          image: registry.example/${name}:v1
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
            readOnlyRootFilesystem: true
          ports:
            - containerPort: 7070
          readinessProbe:
            grpc:
              port: 7070
          livenessProbe:
            grpc:
              port: 7070
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  type: ClusterIP
  selector:
    app: ${name}
  ports:
    - name: grpc
      port: 7070
      targetPort: 7070
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${ns}
`;
  }
  if (shape === 'bookinfo') {
    return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
    service: ${name}
spec:
  ports:
    - port: 9080
      name: http
  selector:
    app: ${name}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}-v1
  namespace: ${ns}
  labels:
    app: ${name}
    version: v1
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
      version: v1
  template:
    metadata:
      labels:
        app: ${name}
        version: v1
        backstage.io/kubernetes-id: ${name}
    spec:
      serviceAccountName: bookinfo-${name}
      containers:
        - name: ${name}
          image: registry.example/examples-bookinfo-${name}-v1:1.20.3
          imagePullPolicy: IfNotPresent
          ports:
            - containerPort: 9080
`;
  }
  if (shape === 'podinfo') {
    return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  minReadySeconds: 3
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 60
  strategy:
    rollingUpdate:
      maxUnavailable: 0
    type: RollingUpdate
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9797"
      labels:
        app: ${name}
    spec:
      containers:
        - name: podinfod
          image: ghcr.example/podinfo:6.9.0
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 9898
              protocol: TCP
            - name: http-metrics
              containerPort: 9797
              protocol: TCP
            - name: grpc
              containerPort: 9999
              protocol: TCP
          command:
            - ./podinfo
            - --port=9898
            - --port-metrics=9797
            - --grpc-port=9999
          livenessProbe:
            exec:
              command: [podcli, check, http, localhost:9898/healthz]
            initialDelaySeconds: 5
            timeoutSeconds: 5
          readinessProbe:
            exec:
              command: [podcli, check, http, localhost:9898/readyz]
            initialDelaySeconds: 5
            timeoutSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  type: ClusterIP
  selector:
    app: ${name}
  ports:
    - name: http
      port: 9898
      protocol: TCP
      targetPort: http
    - port: 9999
      targetPort: grpc
      protocol: TCP
      name: grpc
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 2
  maxReplicas: 4
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 99
`;
  }
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  clusterIP: None
  selector:
    app: ${name}
  ports:
    - name: db
      port: 5432
      targetPort: db
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  serviceName: ${name}
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      securityContext:
        runAsUser: 999
      containers:
        - name: postgres
          image: registry.example/postgres:16
          ports:
            - name: db
              containerPort: 5432
          readinessProbe:
            tcpSocket:
              port: db
`;
}

/** The same facts, as annotations. */
function annotationsOf(shape) {
  switch (shape) {
    case 'boutique':
      return {
        'mesh-readiness.io/ports': '7070/grpc',
        'mesh-readiness.io/run-as-uid': '1000',
        'mesh-readiness.io/probes': 'grpc',
        'mesh-readiness.io/replicas': '1',
      };
    case 'bookinfo':
      return {
        'mesh-readiness.io/ports': '9080/http',
        'mesh-readiness.io/probes': 'none',
        'mesh-readiness.io/replicas': '1',
      };
    case 'podinfo':
      return {
        'mesh-readiness.io/ports': '9898/http, 9797/http, 9999/grpc',
        'mesh-readiness.io/probes': 'exec',
        'mesh-readiness.io/replicas': '2',
      };
    default:
      return {
        'mesh-readiness.io/ports': '5432/postgres',
        'mesh-readiness.io/run-as-uid': '999',
        'mesh-readiness.io/probes': 'tcp',
        'mesh-readiness.io/replicas': '1',
        'mesh-readiness.io/headless': 'true',
      };
  }
}

function entitiesOf(withManifests) {
  const entities = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-a' },
      spec: { type: 'team', children: [] },
    },
  ];
  for (let i = 0; i < count; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    const shape = shapeOf(i);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: {
          'mesh-readiness.io/tracing': 'full',
          ...(withManifests
            ? {
                'mesh-readiness.io/manifests': `./deploy/${name}.yaml`,
                // Bookinfo's Deployment is <name>-v1: matched by its label.
                ...(shape === 'bookinfo'
                  ? { 'backstage.io/kubernetes-id': name }
                  : {}),
              }
            : annotationsOf(shape)),
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-a',
      },
    });
  }
  return JSON.parse(JSON.stringify(entities));
}

function runChild(variant) {
  const {
    evaluateCatalog,
  } = require('@mesh-readiness/plugin-mesh-readiness-common');
  const entities = entitiesOf(variant === 'manifests');
  const times = { read: 0, parse: 0, match: 0, score: 0 };
  let observations;
  let workloads = 0;
  if (variant === 'manifests') {
    const {
      observeWorkloads,
      parseManifests,
      workloadSelectorOf,
    } = require('@mesh-readiness/plugin-mesh-readiness-common/manifests');
    observations = new Map();
    for (const entity of entities) {
      const location =
        entity.metadata.annotations?.['mesh-readiness.io/manifests'];
      if (!location) continue;
      let t = performance.now();
      const file = path.join(dir, path.basename(location));
      const text = fs.readFileSync(file, 'utf8');
      times.read += performance.now() - t;
      t = performance.now();
      const set = parseManifests([{ path: location, text }]);
      times.parse += performance.now() - t;
      t = performance.now();
      const { selector } = workloadSelectorOf(entity);
      const observed = observeWorkloads(set, selector, [location]);
      workloads += observed.workloads.length;
      observations.set(`component:default/${entity.metadata.name}`, observed);
      times.match += performance.now() - t;
    }
  }
  const t = performance.now();
  const report = evaluateCatalog(entities, { observations });
  times.score = performance.now() - t;
  const out = {
    times,
    total: times.read + times.parse + times.match + times.score,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    inspected: report.org.inspected ?? 0,
    workloads,
    score: report.org.score,
  };
  process.stdout.write(JSON.stringify(out));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(x) {
  return `${Math.round(x).toLocaleString('en')} ms`;
}

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-manifests-'));
  try {
    for (let i = 0; i < count; i++) {
      const name = `svc-${String(i).padStart(5, '0')}`;
      fs.writeFileSync(
        path.join(tmp, `${name}.yaml`),
        manifestOf(name, shapeOf(i)),
      );
    }
    console.log(
      `${count.toLocaleString(
        'en',
      )} services, one manifest file each (${SHAPES.join(
        ', ',
      )}, database every tenth); ${runs} run(s) per variant, each in its own process, alternated; Node ${
        process.version
      }, load ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}`,
    );
    const results = { annotations: [], manifests: [] };
    for (let r = 0; r < runs; r++) {
      for (const variant of ['annotations', 'manifests']) {
        const stdout = execFileSync(
          process.execPath,
          [
            __filename,
            '--child',
            variant,
            '--count',
            String(count),
            '--dir',
            tmp,
          ],
          { maxBuffer: 1 << 20 },
        );
        results[variant].push(JSON.parse(String(stdout)));
      }
    }
    for (const variant of ['annotations', 'manifests']) {
      const rs = results[variant];
      const totals = rs.map(x => x.total);
      const phase = key => ms(median(rs.map(x => x.times[key])));
      console.log(
        `${variant.padEnd(12)} total ${ms(median(totals))} (${ms(
          Math.min(...totals),
        )}–${ms(Math.max(...totals))}); read ${phase('read')}, parse ${phase(
          'parse',
        )}, match ${phase('match')}, score ${phase(
          'score',
        )}; peak RSS ${Math.round(
          median(rs.map(x => x.maxRssMiB)),
        )} MiB; inspected ${rs[0].inspected}, workloads matched ${
          rs[0].workloads
        }, org score ${rs[0].score}`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (child) {
  runChild(child);
} else {
  main();
}
