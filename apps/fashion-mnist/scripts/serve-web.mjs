#!/usr/bin/env node
// Serves the built page (dist-web/) cross-origin isolated, so that the cpu backend trains on
// WebAssembly threads: `npm run web` at the repository root builds it and runs this;
// `node scripts/serve-web.mjs [--port N] [--host H] [dir]` serves an existing build. The default port
// falls back to the next free one when taken (a second `npm run web` still starts). When the build
// has no data (built before the dataset was installed, or restored from turbo's cache of such a
// build), it copies the IDX files in first.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseServeArgs, startStaticServer } from '../../../scripts/serve-static.mjs';
import { copyWebData, STEMS } from './copy-web-data.mjs';

/** Where the app's build writes the page. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../dist-web/', import.meta.url));

/** The port `npm run web` tries first. */
export const DEFAULT_PORT = 8081;

/**
 * Starts the page's server on `root` (default dist-web/); throws, naming the build command, when
 * the page was not built.
 *
 * @param {{ root?: string, port?: number, host?: string, fallback?: boolean }} [options]
 */
export function startWebServer(options = {}) {
  return startStaticServer({
    ...options,
    root: options.root ?? WEB_DIST_DIR,
    name: 'serve-web',
    buildHint: 'build the page with `pnpm --filter @tensorgrad/fashion-mnist build` (or run `npm run web` at the repository root, which builds and serves it)',
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  (async () => {
    const args = parseServeArgs(process.argv.slice(2), { name: 'serve-web', port: DEFAULT_PORT });
    if (args.help) {
      console.log(`usage: node scripts/serve-web.mjs [--port N (default ${DEFAULT_PORT}, the next free one when taken; 0 = any free port)] [--host H (default 127.0.0.1)] [dir (default apps/fashion-mnist/dist-web)]`);
      return;
    }
    const root = args.root ?? WEB_DIST_DIR;
    const dataDir = join(root, 'data');
    if (existsSync(join(root, 'index.html')) && !STEMS.every((s) => existsSync(join(dataDir, `${s}.gz`)) || existsSync(join(dataDir, s)))) {
      const { copied, message } = copyWebData(dataDir);
      (copied ? console.log : console.warn)(message);
    }
    const site = await startWebServer({ root, port: args.port, fallback: true, ...(args.host === undefined ? {} : { host: args.host }) });
    const shown = relative(process.cwd(), site.root);
    console.log(`Fashion-MNIST in the browser: ${site.origin}/ (serving ${shown.startsWith('..') ? site.root : shown || '.'}, cross-origin isolated; Ctrl-C stops)`);
    console.log(`  a quick scripted run: ${site.origin}/?backend=cpu&limit=2000&epochs=1&autostart=1`);
  })().catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
