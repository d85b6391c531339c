// The static file server of the repository's built pages: the docs site (apps/docs/scripts/serve.mjs)
// and the Fashion-MNIST page (apps/fashion-mnist/scripts/serve-web.mjs). Every response carries the
// cross-origin-isolation headers, because both pages run the CPU backend on WebAssembly threads
// (SharedArrayBuffer), which browsers only give to isolated pages; `vite preview` and
// `vitepress preview` cannot set them. It resolves clean URLs (`/guide/x` → `guide/x.html`), answers
// unknown paths with the folder's own 404.html when it has one, and serves `.gz` files as
// `application/gzip` without `Content-Encoding` (the page gunzips the IDX files itself; with the
// header, the browser would hand it the inflated bytes under a `.gz` name).
// The browser-tests server (apps/browser-tests/src/server.ts) serves in-memory bundles, not a
// folder, so it is separate; both send the same two headers.
// Plain ESM JavaScript (type-checked through JSDoc) so that `node` runs it without a build step.
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

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
  '.gz': 'application/gzip',
  '.safetensors': 'application/octet-stream',
});

/**
 * @typedef {object} StaticServerOptions
 * @property {string} root the folder to serve
 * @property {number} [port] the port (default 0: a free one)
 * @property {string} [host] the interface (default 127.0.0.1; a loopback origin is a secure context, so `navigator.gpu` exists)
 * @property {boolean} [fallback] when `port` is taken, try the next ten ports, then any free one (default false: fail)
 * @property {string} [name] who is starting the server, for error messages (default `startStaticServer`)
 * @property {string} [buildHint] how to build the folder, for the error when it does not exist
 */

/**
 * @typedef {object} StaticServer
 * @property {string} origin `http://<host>:<port>`, no trailing slash
 * @property {string} root the absolute folder served
 * @property {number} port the port listened on
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
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listen(server, port, host) {
  return new Promise((resolveListen, reject) => {
    const onError = (/** @type {Error} */ e) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
}

/**
 * Starts a static server for a built folder with the cross-origin-isolation headers. Throws,
 * with `buildHint`, when the folder does not exist, and when the port is taken (unless `fallback`).
 *
 * @param {StaticServerOptions} options
 * @returns {Promise<StaticServer>}
 */
export async function startStaticServer(options) {
  const name = options.name ?? 'startStaticServer';
  const root = resolve(options.root);
  if (!existsSync(root)) {
    throw new Error(`${name}: expected a built site at ${root}, but the folder does not exist; ${options.buildHint ?? 'build it first'}, or pass another folder`);
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
  const wanted = options.port ?? 0;
  const ports = options.fallback && wanted !== 0 ? [...Array.from({ length: 11 }, (_, i) => wanted + i).filter((p) => p <= 65535), 0] : [wanted];
  for (let i = 0; ; i++) {
    try {
      await listen(server, /** @type {number} */ (ports[i]), host);
      break;
    } catch (e) {
      const code = /** @type {NodeJS.ErrnoException} */ (e).code;
      if (code === 'EADDRINUSE' && i + 1 < ports.length) continue;
      if (code === 'EADDRINUSE') throw new Error(`${name}: port ${wanted} on ${host} is in use; pass another port (--port N, 0 = any free one) or stop what listens there`);
      throw e;
    }
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${name}: expected a TCP address, got ${String(address)}`);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    origin: `http://${shownHost}:${address.port}`,
    root,
    port: address.port,
    close: () =>
      new Promise((resolveClose, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolveClose(undefined)));
      }),
  };
}

/**
 * @typedef {object} ServeArgs
 * @property {number} port
 * @property {string | undefined} host
 * @property {string | undefined} root
 * @property {boolean} help
 */

/**
 * Parses `[--port N] [--host H] [dir]`, the command line of the serve scripts. Throws on an unknown
 * option or a bad port, saying what was expected.
 *
 * @param {string[]} argv
 * @param {{ name: string, port: number }} defaults `name` for the messages, the default `port`
 * @returns {ServeArgs}
 */
export function parseServeArgs(argv, defaults) {
  /** @type {ServeArgs} */
  const args = { port: defaults.port, host: undefined, root: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    if (arg === '--port' || arg === '--host') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${defaults.name}: ${arg} needs a value, e.g. ${arg === '--port' ? '--port 8080' : '--host 0.0.0.0'}`);
      if (arg === '--port') {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${defaults.name}: expected --port to be an integer from 0 to 65535, got '${value}'`);
        args.port = port;
      } else {
        args.host = value;
      }
    } else if (arg === '--help' || arg === '-h') {
      args.help = true;
    } else if (arg.startsWith('-')) {
      throw new Error(`${defaults.name}: unknown option '${arg}'; expected --port N, --host H or a folder`);
    } else {
      args.root = resolve(arg);
    }
  }
  return args;
}
