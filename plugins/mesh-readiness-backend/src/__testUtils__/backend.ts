import { mockCredentials } from '@backstage/backend-test-utils';
import path from 'node:path';
import request from 'supertest';

/** The demo organisation in examples/, as `yarn start` serves it. */
export const demoCatalog = path.resolve(
  __dirname,
  '../../../../examples/all.yaml',
);

/** Config for the real catalog backend reading one file location. */
export function catalogConfig(target: string = demoCatalog) {
  return {
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
          ],
        },
      ],
      locations: [{ type: 'file', target }],
      processingInterval: { minutes: 30 },
    },
  };
}

/** Waits until the catalog serves at least `min` Components. */
export async function waitForComponents(
  server: any,
  min: number,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  let lastBody: unknown;
  while (Date.now() < deadline) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=component&limit=1')
      .set('Authorization', mockCredentials.user.header());
    lastBody = res.body;
    count = res.body?.totalItems ?? 0;
    if (count >= min) {
      return count;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(
    `The catalog served ${count} components, expected ${min}: ${JSON.stringify(
      lastBody,
    ).slice(0, 500)}`,
  );
}

/**
 * Waits until the catalog has stitched every entity: relations such as
 * hasMember exist only then, and the counts stop moving.
 */
export async function waitForStableCatalog(
  server: any,
  timeoutMs = 60_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?limit=1')
      .set('Authorization', mockCredentials.user.header());
    const total = res.body?.totalItems ?? 0;
    if (total !== last) {
      last = total;
      stableSince = Date.now();
    } else if (total > 0 && Date.now() - stableSince > 1500) {
      return total;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`The catalog did not settle (last count ${last})`);
}

export const userHeader = () => mockCredentials.user.header();
export const serviceHeader = () => mockCredentials.service.header();
