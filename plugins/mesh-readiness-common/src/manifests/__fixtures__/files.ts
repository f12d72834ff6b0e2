import { readFileSync } from 'fs';
import { join } from 'path';
import type { ManifestFile } from '../types';

/** The repository the fixtures pretend to live in, for source links. */
export const REPO = 'https://github.com/example/shop/blob/main';

/**
 * Fixtures that are not valid YAML on purpose, stored with a `.txt`
 * suffix so that Prettier (which formats YAML) leaves them as they are.
 */
const NOT_YAML_ON_DISK = new Set([
  'broken/bad.yaml',
  'helm/templates/deployment.yaml',
]);

/**
 * Test helper: a fixture as the backend would hand it over, shown as
 * `deploy/<name>` and linked into the example repository.
 */
export function fixtureFile(name: string): ManifestFile {
  const onDisk = NOT_YAML_ON_DISK.has(name) ? `${name}.txt` : name;
  return {
    path: `deploy/${name}`,
    url: `${REPO}/deploy/${name}`,
    text: readFileSync(join(__dirname, onDisk), 'utf8'),
  };
}

/** Every fixture manifest, as linked from a catalog. */
export const ALL_FIXTURES = [
  'shop/currency.yaml',
  'shop/frontend.yaml',
  'shop/kustomization.yaml',
  'shop/istio.yaml',
  'bookinfo/bookinfo.yaml',
  'bookinfo/mysql.yaml',
  'data/redis.yaml',
  'jobs/report.yaml',
  'edge/dns.yaml',
  'legacy/api.yaml',
  'helm/templates/deployment.yaml',
  'broken/bad.yaml',
  'broken/good.yaml',
];

/** Test helper: an inline manifest. */
export function inline(path: string, text: string): ManifestFile {
  return { path, text };
}
