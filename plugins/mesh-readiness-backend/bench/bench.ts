/*
 * The benchmark itself; started by bench/run.mjs with the generated catalog
 * and an app-config. Runs a real backend (catalog + mesh-readiness) in this
 * process and measures it over HTTP, as a client would.
 */
import { createBackend } from '@backstage/backend-defaults';
import { CatalogClient } from '@backstage/catalog-client';
import { performance } from 'node:perf_hooks';
import {
  CONTEXT_KINDS,
  MODEL_FIELDS,
  MODEL_KINDS,
} from '../src/services/CatalogReader/createCatalogReader';
import { ms, percentile } from './stats';

const base = process.env.BENCH_BASE_URL!;
const token = process.env.BENCH_TOKEN!;
const expected = Number(process.env.BENCH_EXPECTED);
const requests = Number(process.env.BENCH_REQUESTS);
/** Snapshots taken, each after a bare read; the first is reported apart (cold). */
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const headers = { Authorization: `Bearer ${token}` };

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

const median = (values: number[]) => percentile(values, 50);

async function getJson(path: string, init?: RequestInit): Promise<any> {
  const res = await fetch(`${base}${path}`, { ...init, headers });
  if (!res.ok) {
    throw new Error(
      `${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`,
    );
  }
  return res.json();
}

async function waitForCatalog(): Promise<number> {
  const started = performance.now();
  let last = -1;
  let stableSince = performance.now();
  for (;;) {
    const { totalItems } = await getJson(
      '/api/catalog/entities/by-query?limit=1',
    );
    if (totalItems !== last) {
      last = totalItems;
      stableSince = performance.now();
    } else if (
      totalItems >= expected &&
      performance.now() - stableSince > 3000
    ) {
      console.log(
        `catalog      ${totalItems} entities processed in ${(
          (performance.now() - started) /
          1000
        ).toFixed(0)} s`,
      );
      return totalItems;
    }
    if (performance.now() - started > 20 * 60_000) {
      throw new Error(`catalog did not settle: ${totalItems} entities`);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

/**
 * The snapshot's catalog reads, without scoring: the same two paged
 * queries (the kinds the checks look up, then the Components), the same
 * fields, page size and skipped count, each next page asked for as the
 * snapshot asks.
 */
async function bareRead(): Promise<{ ms: number; entities: number }> {
  const client = new CatalogClient({
    discoveryApi: { getBaseUrl: async () => `${base}/api/catalog` },
  });
  const started = performance.now();
  let count = 0;
  for (const kinds of [CONTEXT_KINDS, ['Component']]) {
    let response = await client.queryEntities(
      {
        filter: { kind: kinds },
        fields: MODEL_FIELDS,
        limit: 1000,
        totalItems: 'exclude',
      },
      { token },
    );
    for (;;) {
      count += response.items.length;
      const cursor = response.pageInfo.nextCursor;
      if (!cursor || response.items.length === 0) {
        break;
      }
      response = await client.queryEntities(
        { cursor, fields: MODEL_FIELDS, limit: 1000 },
        { token },
      );
    }
  }
  return { ms: performance.now() - started, entities: count };
}

/** Samples memory while `fn` runs. */
async function withMemory<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; peakRss: number; peakHeap: number }> {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  try {
    const value = await fn();
    const m = process.memoryUsage();
    return {
      value,
      peakRss: Math.max(peakRss, m.rss),
      peakHeap: Math.max(peakHeap, m.heapUsed),
    };
  } finally {
    clearInterval(timer);
  }
}

async function latency(paths: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const path of paths) {
    const started = performance.now();
    await getJson(path);
    out.push(performance.now() - started);
  }
  return out;
}

async function main() {
  const backend = createBackend();
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(import('../src'));
  await backend.start();

  await waitForCatalog();
  const warm = await bareRead();
  console.log(
    `model read   ${warm.entities} entities of kinds ${MODEL_KINDS.join(', ')}`,
  );

  const bare: number[] = [];
  const snapshots: number[] = [];
  let peakRss = 0;
  let peakHeap = 0;
  const before = process.memoryUsage();
  for (let run = 0; run < rounds; run++) {
    bare.push((await bareRead()).ms);
    const measured = await withMemory(async () => {
      const started = performance.now();
      await getJson('/api/mesh-readiness/refresh', { method: 'POST' });
      return performance.now() - started;
    });
    snapshots.push(measured.value);
    peakRss = Math.max(peakRss, measured.peakRss);
    peakHeap = Math.max(peakHeap, measured.peakHeap);
  }
  const warmSnapshots = snapshots.slice(1);

  const summaryPaths = Array.from(
    { length: requests },
    () => '/api/mesh-readiness/summary',
  );
  await latency(summaryPaths.slice(0, 5)); // the visibility read happens here
  const summary = await latency(summaryPaths);

  const page = await getJson('/api/mesh-readiness/services?pageSize=500');
  const owner = page.items[0].owner;
  const ownerSummary = await latency(
    Array.from(
      { length: Math.min(requests, 50) },
      () => `/api/mesh-readiness/summary?owner=${encodeURIComponent(owner)}`,
    ),
  );
  const names: string[] = page.items.map((i: { name: string }) => i.name);
  const entityPaths = Array.from(
    { length: requests },
    (_, i) =>
      `/api/mesh-readiness/entities/component/default/${encodeURIComponent(
        names[i % names.length],
      )}`,
  );
  await latency(entityPaths.slice(0, 5));
  const entity = await latency(entityPaths);
  const services = await latency(
    Array.from(
      { length: Math.min(requests, 50) },
      () => '/api/mesh-readiness/services?pageSize=25&sort=-score',
    ),
  );

  const ratio = median(warmSnapshots) / median(bare);
  const lines = [
    '',
    `Mesh Readiness backend benchmark: ${expected} generated entities, real catalog, in-memory SQLite, ${
      require('node:os').cpus().length
    } CPUs, Node ${process.versions.node}`,
    `snapshot (POST /refresh)   first ${ms(snapshots[0])}, then ${warmSnapshots
      .map(ms)
      .join(', ')} (median ${ms(median(warmSnapshots))})`,
    `bare catalog read          ${bare.map(ms).join(', ')} (median ${ms(
      median(bare),
    )})`,
    `snapshot / bare read       ${ratio.toFixed(
      2,
    )}x (goal <= 1.5x; first snapshot ${(snapshots[0] / median(bare)).toFixed(
      2,
    )}x)`,
    `memory during snapshots    RSS ${mib(before.rss)} before, peak ${mib(
      peakRss,
    )}; heapUsed ${mib(before.heapUsed)} before, peak ${mib(
      peakHeap,
    )} (one process: catalog + plugin)`,
    `GET /summary               p50 ${ms(median(summary))}, p95 ${ms(
      percentile(summary, 95),
    )} over ${summary.length} requests (goal p50 < 50 ms)`,
    `GET /summary?owner=…       p50 ${ms(median(ownerSummary))}, p95 ${ms(
      percentile(ownerSummary, 95),
    )} over ${ownerSummary.length} requests`,
    `GET /entities/…            p50 ${ms(median(entity))}, p95 ${ms(
      percentile(entity, 95),
    )} over ${entity.length} requests, ${Math.min(
      names.length,
      requests,
    )} distinct entities (goal p50 < 30 ms)`,
    `GET /services              p50 ${ms(median(services))}, p95 ${ms(
      percentile(services, 95),
    )} over ${services.length} requests`,
  ];
  console.log(lines.join('\n'));
  await backend.stop();
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
