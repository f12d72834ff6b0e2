/*
 * `GET /services` at scale, on SQLite and on PostgreSQL; started by
 * bench/services.mjs with a catalog from scripts/generate-catalog.mjs: its
 * context entities (groups, users, systems, domains, clusters, APIs) and
 * its first `--count` Components. One snapshot is taken through the
 * plugin's own snapshot service and store; then the plugin's router,
 * readiness and visibility services answer over HTTP on loopback, and
 * each request is timed as a client sees it. The catalog reader is the
 * only stand-in: it hands out the generated entities, and for the second
 * caller leaves out every tenth Component, so that the query runs with
 * the caller's visibility as well.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DatabaseSnapshotStore } from '../src/database/DatabaseSnapshotStore';
import { readMeshReadinessOptions } from '../src/options';
import { createRouter } from '../src/router';
import { refOf } from '../src/services/CatalogReader/createCatalogReader';
import type { CatalogReader } from '../src/services/CatalogReader/types';
import { createReadinessModel } from '../src/services/ReadinessModel/createReadinessModel';
import { createReadinessService } from '../src/services/ReadinessService/createReadinessService';
import { createRefreshGuard } from '../src/services/RefreshGuard/createRefreshGuard';
import { createSnapshotService } from '../src/services/SnapshotService/createSnapshotService';
import { createVisibilityService } from '../src/services/VisibilityService/createVisibilityService';
import { ms, percentile } from './stats';

const catalogFile = process.env.BENCH_CATALOG_FILE!;
const count = Number(process.env.BENCH_COUNT);
const requests = Number(process.env.BENCH_REQUESTS);
const databases = process.env.BENCH_DATABASES!.split(',');
const postgres = process.env.BENCH_POSTGRES;

const SEES_ALL = 'user:default/sees-all';
const SEES_MOST = 'user:default/sees-most';

/** The catalog as services.mjs wrote it: context entities, then Components. */
function readCatalog(): Entity[] {
  return JSON.parse(readFileSync(catalogFile, 'utf8'));
}

function benchReader(entities: Entity[]): CatalogReader {
  const all = new Set(entities.map(refOf));
  const most = new Set(all);
  let component = 0;
  for (const entity of entities) {
    if (entity.kind === 'Component' && component++ % 10 === 0) {
      most.delete(refOf(entity));
    }
  }
  return {
    async readAll(_credentials, options) {
      const kinds = options?.kinds?.map(k => k.toLowerCase());
      const items = kinds
        ? entities.filter(e => kinds.includes(e.kind.toLowerCase()))
        : entities;
      for (let i = 0; i < items.length; i += 1000) {
        await options?.onItems?.(items.slice(i, i + 1000));
      }
      return items;
    },
    async readEntity() {
      return undefined;
    },
    async readVisibleRefs(credentials) {
      const principal: any = credentials.principal;
      return principal?.userEntityRef === SEES_MOST ? most : all;
    },
  };
}

/** A fresh database: in-memory SQLite, or a new database on the server. */
async function openDatabase(
  kind: string,
): Promise<{ knex: Knex; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    return { knex, close: () => knex.destroy() };
  }
  if (!postgres) {
    throw new Error(
      'PostgreSQL needs a connection string: --postgres or MESH_READINESS_TEST_POSTGRES',
    );
  }
  const name = `mesh_readiness_bench_${randomBytes(4).toString('hex')}`;
  const on = (database: string) => {
    const url = new URL(postgres);
    url.pathname = `/${database}`;
    return knexFactory({ client: 'pg', connection: url.toString() });
  };
  const admin = on('postgres');
  await admin.raw(`create database ${name}`);
  const knex = on(name);
  return {
    knex,
    close: async () => {
      await knex.destroy();
      await admin.raw(`drop database ${name}`);
      await admin.destroy();
    },
  };
}

async function benchDatabase(kind: string, entities: Entity[]) {
  const { knex, close } = await openDatabase(kind);
  const server = await (async () => {
    const logger = mockServices.rootLogger({ level: 'warn' });
    const options = readMeshReadinessOptions(new ConfigReader({}));
    const store = await DatabaseSnapshotStore.create({
      database: mockServices.database({ knex }),
    });
    const reader = benchReader(entities);
    const model = createReadinessModel({
      config: options.model,
      customChecks: [],
    });
    const snapshots = createSnapshotService({
      store,
      reader,
      model,
      auth: mockServices.auth(),
      logger,
      retentionMs: options.retentionMs,
    });
    const started = performance.now();
    const record = await snapshots.takeSnapshot();
    console.log(
      `${kind.padEnd(10)} snapshot of ${record.entities} rows in ${ms(
        performance.now() - started,
      )}`,
    );
    const readiness = createReadinessService({
      store,
      reader,
      model,
      snapshots,
      visibility: createVisibilityService({ reader, logger }),
      logger,
    });
    const app = express();
    app.use(
      '/api/mesh-readiness',
      await createRouter({
        httpAuth: mockServices.httpAuth(),
        readiness,
        refreshGuard: createRefreshGuard({
          permissions: mockServices.permissions(),
          limits: options.refresh,
        }),
      }),
    );
    return new Promise<ReturnType<typeof app.listen>>(resolve => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
  })();

  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  async function get(path: string, user: string): Promise<any> {
    const res = await fetch(`${base}/api/mesh-readiness${path}`, {
      headers: { Authorization: mockCredentials.user.header(user) },
    });
    if (!res.ok) {
      throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    }
    return res.json();
  }

  const first = await get('/services?pageSize=500', SEES_ALL);
  const owner = first.items[0].owner;
  const lastPage = Math.ceil(first.total / 25);
  const routes = [
    '/services',
    '/services?page=3&pageSize=25&sort=-score',
    `/services?page=${lastPage}&pageSize=25&sort=-level`,
    `/services?owner=${encodeURIComponent(owner)}&sort=score`,
    '/services?check=tracing&status=fail&sort=-score',
    '/services?level=pilot-ready&sort=owner&page=10',
    '/services?q=pay&sort=name',
  ];
  const lines: string[] = [];
  const everyRequest: Record<string, number[]> = {};
  for (const user of [SEES_ALL, SEES_MOST]) {
    everyRequest[user] = [];
    for (const route of routes) {
      await get(route, user); // a caller's first request reads visibility
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const started = performance.now();
        await get(route, user);
        times.push(performance.now() - started);
      }
      everyRequest[user].push(...times);
      lines.push(
        `  ${user === SEES_ALL ? 'sees all ' : 'sees 90% '}  ${route.padEnd(
          62,
        )} p50 ${ms(percentile(times, 50)).padStart(7)}  p95 ${ms(
          percentile(times, 95),
        ).padStart(7)}`,
      );
    }
  }
  console.log(
    `${kind.padEnd(10)} ${
      first.total
    } services listed; ${requests} requests per route, one at a time`,
  );
  console.log(lines.join('\n'));
  for (const [user, times] of Object.entries(everyRequest)) {
    console.log(
      `${kind.padEnd(10)} every route, caller ${
        user === SEES_ALL ? 'sees all' : 'sees 90%'
      }: p50 ${ms(percentile(times, 50))}, p95 ${ms(
        percentile(times, 95),
      )} over ${times.length} requests`,
    );
  }
  await new Promise(resolve => server.close(resolve));
  await close();
}

async function main() {
  const started = performance.now();
  const entities = readCatalog();
  console.log(
    `GET /services benchmark: ${count} Components, ${
      entities.length - count
    } context entities (read in ${ms(performance.now() - started)}); ${
      cpus().length
    } CPUs, Node ${process.versions.node}`,
  );
  for (const kind of databases) {
    await benchDatabase(kind, entities);
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
