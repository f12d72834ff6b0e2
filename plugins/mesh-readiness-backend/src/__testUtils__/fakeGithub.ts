import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/*
 * A GitHub Enterprise host on localhost serving one repository, `acme/shop`
 * at ref `main`, from a folder: the parts of the REST API that Backstage's
 * own GitHub UrlReader calls (file contents, the commit status that names
 * the archive, the tarball). The plugin and the catalog read through the
 * real UrlReader configured with `integrations.github` for this host.
 */

export interface FakeGithub {
  /** `localhost:<port>`. */
  host: string;
  /** Config for `integrations.github`. */
  integration: { host: string; apiBaseUrl: string };
  /** The web URL of a file or folder of the repository at `main`. */
  blobUrl(file: string): string;
  /** Requests served, as `METHOD path`. */
  requests: string[];
  stop(): Promise<void>;
}

const OWNER = 'acme';
const REPO = 'shop';
const SHA = '0123456789abcdef0123456789abcdef01234567';

export async function startFakeGithub(root: string): Promise<FakeGithub> {
  const requests: string[] = [];
  const api = `/api/v3/repos/${OWNER}/${REPO}`;
  let base = '';

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: string | Buffer, type: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (url.pathname.startsWith(`${api}/contents/`)) {
      const file = decodeURIComponent(
        url.pathname.slice(`${api}/contents/`.length),
      ).replace(/\/$/, '');
      const full = path.join(root, file);
      const stat = fs.statSync(full, { throwIfNoEntry: false });
      if (!stat || !full.startsWith(root)) {
        send(404, '{"message":"Not Found"}', 'application/json');
      } else if (stat.isDirectory()) {
        // GitHub answers a folder with its listing, whatever the Accept header.
        send(
          200,
          JSON.stringify(
            fs.readdirSync(full, { withFileTypes: true }).map(e => ({
              name: e.name,
              path: `${file}/${e.name}`,
              sha: SHA,
              type: e.isDirectory() ? 'dir' : 'file',
            })),
          ),
          'application/json',
        );
      } else {
        send(200, fs.readFileSync(full), 'application/vnd.github.v3.raw');
      }
      return;
    }
    if (url.pathname === `${api}/commits/main/status`) {
      send(
        200,
        JSON.stringify({
          sha: SHA,
          repository: {
            archive_url: `${base}${api}/{archive_format}{/ref}`,
          },
        }),
        'application/json',
      );
      return;
    }
    if (url.pathname === `${api}/tarball/${SHA}`) {
      // GitHub's tarballs hold one top folder, `<owner>-<repo>-<sha>/`.
      const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-github-'));
      const top = `${OWNER}-${REPO}-${SHA.slice(0, 7)}`;
      fs.cpSync(root, path.join(staging, top), { recursive: true });
      const tarball = execFileSync('tar', ['-czf', '-', '-C', staging, top]);
      fs.rmSync(staging, { recursive: true, force: true });
      send(200, tarball, 'application/x-gzip');
      return;
    }
    send(404, '{"message":"Not Found"}', 'application/json');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `localhost:${port}`;
  base = `http://${host}`;
  return {
    host,
    integration: { host, apiBaseUrl: `${base}/api/v3` },
    blobUrl: file => `${base}/${OWNER}/${REPO}/blob/main/${file}`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}
