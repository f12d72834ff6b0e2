import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  ordersDeployment,
  ordersService,
  simpleDeployment,
  writeTree,
} from '../../__testUtils__/manifests';
import { DEFAULT_MANIFEST_LIMITS, ManifestLimits } from '../../options';
import { createManifestReader } from './createManifestReader';

/** A plain web server (no SCM API) serving a folder, and what it was asked. */
async function startStaticServer(root: string) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    const file = path.join(root, decodeURIComponent(url.pathname));
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || !file.startsWith(root)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/yaml' });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://localhost:${port}`,
    host: `localhost:${port}`,
    requests,
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

function entity(
  name: string,
  manifests: string,
  location?: string,
  extra: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'mesh-readiness.io/manifests': manifests,
        ...(location ? { 'backstage.io/managed-by-location': location } : {}),
        ...extra,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

function readerFor(
  allowHost?: string,
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
) {
  const config = new ConfigReader({
    backend: { reading: { allow: allowHost ? [{ host: allowHost }] : [] } },
  });
  return createManifestReader({
    urlReader: UrlReaders.default({
      config,
      logger: mockServices.logger.mock(),
    }),
    limits,
  });
}

describe('ManifestReader on disk', () => {
  const root = writeTree({
    'catalog-info.yaml': '# the catalog file\n',
    'deploy/a-deployment.yaml': ordersDeployment,
    'deploy/b-service.yaml': ordersService,
    'deploy/c-shipping.yaml': simpleDeployment('shipping'),
    'deploy/nested/d-extra.yml': simpleDeployment('extra'),
    'big.yaml': `${ordersDeployment}# ${'x'.repeat(2048)}\n`,
    'single.yaml': ordersDeployment,
  });
  const location = `file:${path.join(root, 'catalog-info.yaml')}`;
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads a folder recursively, YAML files only, in path order', async () => {
    fs.writeFileSync(path.join(root, 'deploy/notes.txt'), 'not YAML');
    const observed = await readerFor()
      .session()
      .observe([entity('orders', './deploy/', location)]);
    const orders = observed.get('component:default/orders')!;
    expect(orders.files).toBe(4);
    expect(orders.problems).toEqual([]);
    expect(orders.workloads.map(w => w.source.label)).toEqual([
      'Deployment orders, deploy/a-deployment.yaml:1',
    ]);
  });

  it('stops at the file limit with a problem that names the config key', async () => {
    const reader = readerFor(undefined, { maxFiles: 2, maxBytes: 1 << 20 });
    const observed = await reader
      .session()
      .observe([
        entity('orders', './deploy/', location),
        entity('shipping', './single.yaml, ./deploy/', location),
      ]);
    const orders = observed.get('component:default/orders')!;
    // What was read before the limit still counts.
    expect(orders.files).toBe(2);
    expect(orders.workloads).toHaveLength(1);
    expect(orders.problems).toEqual([
      {
        file: 'deploy/c-shipping.yaml',
        message: expect.stringMatching(
          /^Over the limit of 2 manifest files per entity \(meshReadiness\.manifests\.maxFiles\): reading stopped at deploy\/c-shipping\.yaml/,
        ),
      },
    ]);
    // The limit counts per entity, over all its locations.
    const shipping = observed.get('component:default/shipping')!;
    expect(shipping.files).toBe(2);
    expect(shipping.workloads).toEqual([]);
    expect(shipping.problems[0].message).toContain(
      'reading stopped at deploy/b-service.yaml',
    );
  });

  it('stops at the byte limit with a problem that names the config key', async () => {
    const reader = readerFor(undefined, { maxFiles: 100, maxBytes: 2048 });
    const observed = await reader
      .session()
      .observe([entity('orders', './single.yaml, ./big.yaml', location)]);
    const orders = observed.get('component:default/orders')!;
    expect(orders.files).toBe(1);
    expect(orders.workloads).toHaveLength(1);
    expect(orders.problems).toEqual([
      {
        file: 'big.yaml',
        message: expect.stringMatching(
          /^Over the limit of 2048 bytes of manifests per entity \(meshReadiness\.manifests\.maxBytes\)/,
        ),
      },
    ]);
  });

  it('names what cannot be read, and the fix', async () => {
    const observed = await readerFor()
      .session()
      .observe([
        entity('a', './single.yaml/', location),
        entity('b', './nowhere/', location),
        entity('c', './deploy/', undefined),
        entity('d', 'ftp://example.com/x.yaml', location),
      ]);
    const messages = (ref: string) =>
      observed.get(`component:default/${ref}`)!.problems.map(p => p.message);
    expect(messages('a')).toEqual([
      'single.yaml: not a folder, though written with a trailing /; remove the /',
    ]);
    expect(messages('b')[0]).toMatch(
      /^nowhere: no such file or folder \(mesh-readiness\.io\/manifests lists "\.\/nowhere\/", relative to the catalog file\); fix the path$/,
    );
    expect(messages('c')[0]).toMatch(
      /has no backstage\.io\/managed-by-location annotation.*list full URLs instead/,
    );
    expect(messages('d')[0]).toMatch(/a ftp: location is not read/);
  });

  it('leaves entities without the annotation, and other kinds, alone', async () => {
    const plain: Entity = {
      ...entity('plain', './deploy/', location),
      metadata: { name: 'plain', annotations: {} },
    };
    const api: Entity = {
      ...entity('api', './deploy/', location),
      kind: 'API',
    };
    const observed = await readerFor().session().observe([plain, api]);
    expect(observed.size).toBe(0);
  });

  it('walks a folder with a symbolic link loop once', async () => {
    const loopy = writeTree({
      'catalog-info.yaml': '',
      'deploy/app.yaml': simpleDeployment('loopy'),
    });
    fs.symlinkSync(path.join(loopy, 'deploy'), path.join(loopy, 'deploy/self'));
    const observed = await readerFor()
      .session()
      .observe([
        entity(
          'loopy',
          './deploy/',
          `file:${path.join(loopy, 'catalog-info.yaml')}`,
        ),
      ]);
    expect(observed.get('component:default/loopy')!.files).toBe(1);
    fs.rmSync(loopy, { recursive: true, force: true });
  });
});

describe('ManifestReader over plain HTTP (backend.reading.allow)', () => {
  const root = writeTree({
    'repo/catalog-info.yaml': '',
    'repo/orders.yaml': `${ordersDeployment}---\n${ordersService}`,
    'repo/deploy/shipping.yaml': simpleDeployment('shipping'),
  });
  let server: Awaited<ReturnType<typeof startStaticServer>>;
  beforeAll(async () => {
    server = await startStaticServer(root);
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads each file once per session, relative to a url: catalog file', async () => {
    const reader = readerFor(server.host);
    const location = `url:${server.base}/repo/catalog-info.yaml`;
    const entities = [
      entity('orders', './orders.yaml', location),
      entity('orders-canary', './orders.yaml', location, {
        'backstage.io/kubernetes-id': 'orders',
      }),
    ];
    const first = await reader.session().observe(entities);
    expect(first.get('component:default/orders')!.workloads).toEqual([
      expect.objectContaining({
        source: {
          kind: 'manifest',
          label: `Deployment orders, ${server.base}/repo/orders.yaml:1`,
          url: `${server.base}/repo/orders.yaml#L1`,
        },
      }),
    ]);
    expect(server.requests).toEqual(['/repo/orders.yaml']);
    // A new session (the next snapshot) reads again.
    await reader.session().observe(entities);
    expect(server.requests).toEqual(['/repo/orders.yaml', '/repo/orders.yaml']);
  });

  it('reads an absolute URL, and says when a host cannot list a folder', async () => {
    const reader = readerFor(server.host);
    const observed = await reader
      .session()
      .observe([
        entity('orders', `${server.base}/repo/orders.yaml`),
        entity(
          'shipping',
          './deploy/',
          `url:${server.base}/repo/catalog-info.yaml`,
        ),
        entity(
          'gone',
          './gone.yaml',
          `url:${server.base}/repo/catalog-info.yaml`,
        ),
      ]);
    expect(observed.get('component:default/orders')!.workloads).toHaveLength(1);
    expect(observed.get('component:default/shipping')!.problems).toEqual([
      {
        file: `${server.base}/repo/deploy/`,
        message: expect.stringMatching(
          /this host's reader cannot list a folder .*; list the folder's files in mesh-readiness\.io\/manifests instead$/,
        ),
      },
    ]);
    expect(observed.get('component:default/gone')!.problems).toEqual([
      {
        file: `${server.base}/repo/gone.yaml`,
        message: expect.stringMatching(
          /gone\.yaml: not found \(mesh-readiness\.io\/manifests lists "\.\/gone\.yaml"/,
        ),
      },
    ]);
  });

  it('says when the backend may not read a host', async () => {
    const observed = await readerFor() // nothing allowed
      .session()
      .observe([entity('orders', `${server.base}/repo/orders.yaml`)]);
    expect(observed.get('component:default/orders')!.problems).toEqual([
      {
        file: `${server.base}/repo/orders.yaml`,
        message: expect.stringMatching(
          /could not be read \(.*\); check that the backend's integrations config can read this host$/,
        ),
      },
    ]);
  });
});
