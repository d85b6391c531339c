// The local http server pages are loaded from. Under `/` every response carries the headers that
// make a page cross-origin isolated (so `SharedArrayBuffer` and shared WebAssembly memory exist);
// under `/plain/` the same files come without them, to test what pages served without them get.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle } from './bundle.js';

/** The headers that make a page `crossOriginIsolated`. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const PAGE = '<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>tensorgrad browser test</title></head><body></body></html>\n';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  map: 'application/json; charset=utf-8',
  json: 'application/json; charset=utf-8',
  wasm: 'application/wasm',
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** A running page server (see {@link startPageServer}). */
export interface PageServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Serves `bundle` under `/b/<id>/`; returns that path. */
  add(id: string, bundle: Bundle): string;
  close(): Promise<void>;
}

/**
 * Starts the page server on a free loopback port: `/index.html` is an empty page and `/b/<id>/…`
 * the bundles added; every path can also be requested under `/plain/` (no isolation headers).
 *
 * @example
 * ```ts
 * import { startPageServer } from '@tensorgrad/browser-tests';
 * const server = await startPageServer();
 * const res = await fetch(`${server.origin}/index.html`);
 * res.headers.get('cross-origin-embedder-policy'); // 'require-corp'
 * (await fetch(`${server.origin}/plain/index.html`)).headers.has('cross-origin-opener-policy'); // false
 * await server.close();
 * ```
 */
export async function startPageServer(): Promise<PageServer> {
  const bundles = new Map<string, Bundle>();
  const server: Server = createServer((req, res) => {
    let path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const plain = path.startsWith('/plain/');
    if (plain) path = path.slice('/plain'.length);
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...(plain ? {} : ISOLATION_HEADERS) };
    let body: string | Uint8Array | undefined;
    let type = TYPES.html!;
    if (path === '/' || path === '/index.html') {
      body = PAGE;
    } else {
      const m = /^\/b\/([^/]+)\/(.+)$/.exec(path);
      body = m ? bundles.get(m[1]!)?.files.get(m[2]!) : undefined;
      type = TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    }
    if (body === undefined) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': type });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    add(id, bundle) {
      if (!/^[\w.-]+$/.test(id)) throw new Error(`PageServer.add: bundle id '${id}' must be letters, digits, '_', '-' or '.'`);
      bundles.set(id, bundle);
      return `/b/${id}/`;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
