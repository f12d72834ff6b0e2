import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The cluster's own facts: version 1.33, three nodes (listed a page at a
 * time, as the API server does with `limit`), and the Linkerd API groups.
 * Undefined for other paths, or when the whole cluster hangs.
 */
function describeCluster(url: URL, behaviour?: Behaviour): unknown {
  if (behaviour === 'hang') {
    return undefined;
  }
  if (url.pathname === '/version') {
    return { major: '1', minor: '33', gitVersion: 'v1.33.2' };
  }
  if (url.pathname === '/api/v1/nodes') {
    const limit = Number(url.searchParams.get('limit') ?? 3) || 3;
    const names = ['node-a', 'node-b', 'node-c'];
    return {
      kind: 'NodeList',
      apiVersion: 'v1',
      metadata:
        limit < names.length
          ? { continue: 'x', remainingItemCount: names.length - limit }
          : {},
      items: names.slice(0, limit).map(name => ({ metadata: { name } })),
    };
  }
  if (url.pathname === '/apis') {
    return {
      kind: 'APIGroupList',
      groups: ['apps', 'batch', 'autoscaling', 'policy.linkerd.io'].map(
        name => ({ name }),
      ),
    };
  }
  return undefined;
}

/**
 * How the fake API server answers a list call for a kubernetes-id; the id
 * `@cluster` sets how the whole cluster answers.
 */
export type Behaviour = 'serve' | 'forbidden' | 'hang';

export interface FakeCluster {
  url: string;
  /** The label selectors asked for, in order. */
  requests: string[];
  /** Overrides the behaviour for one kubernetes-id. */
  behave(id: string, behaviour: Behaviour): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server answering the Kubernetes API list paths the
 * Kubernetes plugin calls (`/api/v1/pods?labelSelector=…`, …) from
 * fixtures: objects whose `backstage.io/kubernetes-id` label matches the
 * selector, an empty list for any other path, a 403 Status or no answer at
 * all for the ids told so.
 */
export async function startFakeCluster(
  lists: Record<string, unknown[]>,
  initial: Record<string, Behaviour> = {},
): Promise<FakeCluster> {
  const behaviours = new Map(Object.entries(initial));
  const requests: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cluster');
    const selector = url.searchParams.get('labelSelector') ?? '';
    requests.push(`${url.pathname}?${selector}`);
    const about = describeCluster(url, behaviours.get('@cluster'));
    if (about !== undefined) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(about));
      return;
    }
    if (behaviours.get('@cluster') === 'hang') {
      hanging.add(res);
      return;
    }
    const id = /backstage\.io\/kubernetes-id=([^,]+)/.exec(selector)?.[1];
    const behaviour = (id && behaviours.get(id)) || 'serve';
    if (behaviour === 'hang') {
      hanging.add(res);
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    if (behaviour === 'forbidden') {
      res.statusCode = 403;
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: `pods is forbidden: User "system:serviceaccount:backstage:reader" cannot list resource at the cluster scope`,
          reason: 'Forbidden',
          code: 403,
        }),
      );
      return;
    }
    const items = (lists[url.pathname] ?? []).filter(
      (o: any) =>
        id !== undefined &&
        o.metadata?.labels?.['backstage.io/kubernetes-id'] === id,
    );
    // `ServerList` and so on, as the API server names a list of one kind:
    // the Kubernetes plugin takes the items' kind from it.
    const kind = (lists[url.pathname]?.[0] as any)?.kind ?? '';
    res.end(JSON.stringify({ kind: `${kind}List`, apiVersion: 'v1', items }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behave(id, behaviour) {
      behaviours.set(id, behaviour);
    },
    async close() {
      for (const res of hanging) {
        res.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
