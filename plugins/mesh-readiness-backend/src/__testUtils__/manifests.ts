import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes files (relative path → text) under a new temporary folder. */
export function writeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-readiness-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

/** A Deployment with three replicas, UID 1000, one HTTP port and a readiness probe. */
export const ordersDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  replicas: 3
  selector:
    matchLabels: { app: orders }
  template:
    metadata:
      labels: { app: orders }
    spec:
      securityContext:
        runAsUser: 1000
      containers:
        - name: orders
          image: acme/orders:1.0
          ports:
            - containerPort: 8080
              name: http
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
`;

export const ordersService = `apiVersion: v1
kind: Service
metadata:
  name: orders
spec:
  selector: { app: orders }
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;

/** A Deployment and its Service in one file (rendered output). */
export const billingManifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
spec:
  selector:
    matchLabels: { app: billing }
  template:
    metadata:
      labels: { app: billing }
    spec:
      containers:
        - name: billing
          image: acme/billing:2.1
          ports:
            - containerPort: 9090
---
apiVersion: v1
kind: Service
metadata:
  name: billing
spec:
  selector: { app: billing }
  ports:
    - name: grpc
      port: 9090
`;

/** A Deployment named after the entity, for a folder shared by entities. */
export function simpleDeployment(name: string, port = 8080): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: ${name}
          image: acme/${name}:1.0
          ports:
            - containerPort: ${port}
              name: http
`;
}

/** A Component with the given annotations, owned by team-a. */
export function component(
  name: string,
  annotations: Record<string, string> = {},
): string {
  const lines = Object.entries(annotations).map(
    ([k, v]) => `    ${k}: ${JSON.stringify(v)}`,
  );
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
${lines.length > 0 ? `  annotations:\n${lines.join('\n')}\n` : ''}spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
`;
}

export const teamA = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
`;

/** Entities as one catalog file. */
export function catalogFile(...documents: string[]): string {
  return documents.join('---\n');
}
