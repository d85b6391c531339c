#!/usr/bin/env node
// Serves the built site (apps/docs/dist/) the way a production host should: every response carries
// the cross-origin-isolation headers, because the in-page runner's CPU backend uses WebAssembly
// threads (SharedArrayBuffer), which browsers only give to isolated pages; `vitepress preview` cannot
// set them. It also resolves VitePress's clean URLs (`/guide/x` → `guide/x.html`) and answers
// unknown paths with the site's own 404 page. Used by the Chromium test (test/site.test.ts) and by
// people previewing the site: `pnpm --filter @tensorgrad/docs serve [--port N] [--host H] [dir]`.
// The browser-tests server (apps/browser-tests/src/server.ts) serves in-memory bundles, not a folder,
// so this one is separate; both send the same two headers.
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where `npm run docs` writes the site. */
export const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

/** The headers that make a page `crossOriginIsolated` (so SharedArrayBuffer and WebAssembly threads exist). */
export const ISOLATION_HEADERS = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

/** Content types by file extension; anything else is `application/octet-stream`. */
export const CONTENT_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.safetensors': 'application/octet-stream',
});

/**
 * @typedef {object} SiteServerOptions
 * @property {string} [root] the folder to serve (default: apps/docs/dist/)
 * @property {number} [port] the port (default 0: a free one)
 * @property {string} [host] the interface (default 127.0.0.1; a loopback origin is a secure context, so `navigator.gpu` exists)
 */

/**
 * @typedef {object} SiteServer
 * @property {string} origin `http://<host>:<port>`, no trailing slash
 * @property {string} root the absolute folder served
 * @property {() => Promise<void>} close stops the server and drops open connections
 */

/**
 * The file a request path names, or null: exact file, folder index, then the clean URL's `.html`.
 * @param {string} root
 * @param {string} pathname
 * @returns {Promise<string | null>}
 */
async function resolveFile(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const target = resolve(root, `.${decoded}`);
  // a path that climbs out of the root (`/../secret`) is not served
  if (target !== root && !target.startsWith(root + sep)) return null;
  const candidates = decoded.endsWith('/') ? [join(target, 'index.html')] : [target, `${target}.html`, join(target, 'index.html')];
  for (const file of candidates) {
    try {
      if ((await stat(file)).isFile()) return file;
    } catch {
      // not this candidate
    }
  }
  return null;
}

/**
 * Starts a static server for a built VitePress site with the cross-origin-isolation headers.
 * Throws, naming the command that builds it, when the folder does not exist.
 *
 * @param {SiteServerOptions} [options]
 * @returns {Promise<SiteServer>}
 */
export async function startSiteServer(options = {}) {
  const root = resolve(options.root ?? DIST_DIR);
  if (!existsSync(root)) {
    throw new Error(`startSiteServer: expected a built site at ${root}, but the folder does not exist; build it with \`pnpm --filter @tensorgrad/docs docs\` (or \`npm run docs\`), or pass another folder`);
  }
  const host = options.host ?? '127.0.0.1';
  const notFoundPage = join(root, '404.html');
  const server = createServer((req, res) => {
    const headers = { ...ISOLATION_HEADERS, 'Cache-Control': 'no-cache' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`method ${req.method} not allowed: this server only serves files (GET, HEAD)\n`);
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    resolveFile(root, pathname)
      .then(async (file) => {
        if (file === null) {
          const sitePage = existsSync(notFoundPage);
          const page = sitePage ? await readFile(notFoundPage) : `not found: ${pathname}\n`;
          res.writeHead(404, { ...headers, 'Content-Type': sitePage ? CONTENT_TYPES['.html'] : 'text/plain; charset=utf-8' });
          res.end(req.method === 'HEAD' ? undefined : page);
          return;
        }
        const body = await readFile(file);
        res.writeHead(200, {
          ...headers,
          'Content-Type': CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (extname(file).toLowerCase())] ?? 'application/octet-stream',
          'Content-Length': body.byteLength,
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      })
      .catch((e) => {
        res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`could not read ${pathname}: ${e instanceof Error ? e.message : String(e)}\n`);
      });
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`startSiteServer: expected a TCP address, got ${String(address)}`);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    origin: `http://${shownHost}:${address.port}`,
    root,
    close: () =>
      new Promise((resolveClose, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolveClose(undefined)));
      }),
  };
}

/**
 * `node scripts/serve.mjs [--port N] [--host H] [dir]`
 * @param {string[]} argv
 */
async function main(argv) {
  /** @type {SiteServerOptions} */
  const options = { port: 4173 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port' || arg === '--host') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`serve: ${arg} needs a value, e.g. ${arg === '--port' ? '--port 8080' : '--host 0.0.0.0'}`);
      if (arg === '--port') {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`serve: expected --port to be an integer from 0 to 65535, got '${value}'`);
        options.port = port;
      } else {
        options.host = value;
      }
    } else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/serve.mjs [--port N (default 4173, 0 = any free port)] [--host H (default 127.0.0.1)] [dir (default apps/docs/dist)]');
      return;
    } else if (arg.startsWith('-')) {
      throw new Error(`serve: unknown option '${arg}'; expected --port N, --host H or a folder`);
    } else {
      options.root = resolve(arg);
    }
  }
  const site = await startSiteServer(options);
  const shown = relative(process.cwd(), site.root);
  console.log(`tensorgrad docs: ${site.origin}/ (serving ${shown.startsWith('..') ? site.root : shown || '.'}, cross-origin isolated; Ctrl-C stops)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
