// scripts/serve.mjs on a small site written to a temporary folder: the isolation headers on every
// response, content types, VitePress's clean URLs, the site's 404 page, paths that climb out of the
// folder, and the error for a site that was never built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type SiteServer } from '../scripts/serve.mjs';

describe('scripts/serve.mjs', () => {
  let root: string;
  let site: SiteServer;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tg-docs-serve-'));
    mkdirSync(join(root, 'guide'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
    writeFileSync(join(root, '404.html'), '<h1>not found page</h1>');
    writeFileSync(join(root, 'guide', 'getting-started.html'), '<h1>getting started</h1>');
    writeFileSync(join(root, 'guide', 'index.html'), '<h1>guides</h1>');
    writeFileSync(join(root, 'assets', 'cpu.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    writeFileSync(join(root, 'assets', 'app.js'), 'export const a = 1;');
    writeFileSync(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, 'hashmap.json'), '{}');
    site = await startSiteServer({ root });
  });
  afterAll(async () => {
    await site?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('sends the cross-origin-isolation headers and the content type of each file', async () => {
    const types: Record<string, string> = {
      '/': 'text/html; charset=utf-8',
      '/assets/cpu.wasm': 'application/wasm',
      '/assets/app.js': 'text/javascript; charset=utf-8',
      '/assets/logo.svg': 'image/svg+xml',
      '/hashmap.json': 'application/json; charset=utf-8',
    };
    for (const [path, type] of Object.entries(types)) {
      const res = await fetch(`${site.origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy'), path).toBe('require-corp');
    }
    expect(new Uint8Array(await (await fetch(`${site.origin}/assets/cpu.wasm`)).arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  });

  it('resolves clean URLs and folder indexes', async () => {
    expect(await (await fetch(`${site.origin}/guide/getting-started`)).text()).toBe('<h1>getting started</h1>');
    expect(await (await fetch(`${site.origin}/guide/getting-started.html`)).text()).toBe('<h1>getting started</h1>');
    expect(await (await fetch(`${site.origin}/guide/`)).text()).toBe('<h1>guides</h1>');
    expect(await (await fetch(`${site.origin}/guide`)).text()).toBe('<h1>guides</h1>');
  });

  it("answers unknown paths and paths outside the folder with 404 and the site's 404 page", async () => {
    for (const path of ['/guide/nope', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/bad%E0%A4%A']) {
      const res = await fetch(`${site.origin}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toBe('<h1>not found page</h1>');
      expect(res.headers.get('cross-origin-embedder-policy'), path).toBe('require-corp');
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(`${site.origin}/`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${site.origin}/assets/app.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('19');
  });

  it('says how to build the site when the folder does not exist', async () => {
    await expect(startSiteServer({ root: join(root, 'no-such-dist') })).rejects.toThrow(/does not exist; build it with `pnpm --filter @tensorgrad\/docs docs`/);
  });
});
