#!/usr/bin/env node
// Serves the built site (apps/docs/dist/) the way a production host should, with the
// cross-origin-isolation headers the in-page runner's CPU backend needs (WebAssembly threads), which
// `vitepress preview` cannot set; clean URLs and the site's 404 page. The server itself is the
// repository's shared static server (scripts/serve-static.mjs, also serving the Fashion-MNIST page);
// this names the docs' folder, port and build command. Used by the Chromium test
// (test/site.test.ts) and by people previewing the site:
// `pnpm --filter @tensorgrad/docs serve [--port N] [--host H] [dir]`.
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONTENT_TYPES, ISOLATION_HEADERS, parseServeArgs, startStaticServer } from '../../../scripts/serve-static.mjs';

export { CONTENT_TYPES, ISOLATION_HEADERS };

/** Where `npm run docs` writes the site. */
export const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * @typedef {object} SiteServerOptions
 * @property {string} [root] the folder to serve (default: apps/docs/dist/)
 * @property {number} [port] the port (default 0: a free one)
 * @property {string} [host] the interface (default 127.0.0.1; a loopback origin is a secure context, so `navigator.gpu` exists)
 */

/** @typedef {import('../../../scripts/serve-static.mjs').StaticServer} SiteServer */

/**
 * Starts a static server for a built VitePress site with the cross-origin-isolation headers.
 * Throws, naming the command that builds it, when the folder does not exist.
 *
 * @param {SiteServerOptions} [options]
 * @returns {Promise<SiteServer>}
 */
export function startSiteServer(options = {}) {
  return startStaticServer({
    ...options,
    root: options.root ?? DIST_DIR,
    name: 'startSiteServer',
    buildHint: 'build it with `pnpm --filter @tensorgrad/docs docs` (or `npm run docs`)',
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  (async () => {
    const args = parseServeArgs(process.argv.slice(2), { name: 'serve', port: 4173 });
    if (args.help) {
      console.log('usage: node scripts/serve.mjs [--port N (default 4173, 0 = any free port)] [--host H (default 127.0.0.1)] [dir (default apps/docs/dist)]');
      return;
    }
    const site = await startSiteServer({ port: args.port, ...(args.host === undefined ? {} : { host: args.host }), ...(args.root === undefined ? {} : { root: args.root }) });
    const shown = relative(process.cwd(), site.root);
    console.log(`tensorgrad docs: ${site.origin}/ (serving ${shown.startsWith('..') ? site.root : shown || '.'}, cross-origin isolated; Ctrl-C stops)`);
  })().catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
