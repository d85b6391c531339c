// The page's build and serving steps without a browser: scripts/copy-web-data.mjs (where it finds
// the IDX files, the plain names, the warning when there are none) and scripts/serve-web.mjs on the
// shared static server (isolation headers, `.gz` as application/gzip without Content-Encoding,
// the default port's fallback, the build hint for a missing dist-web/).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWebData, STEMS } from '../scripts/copy-web-data.mjs';
import { startWebServer } from '../scripts/serve-web.mjs';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tg-web-serve-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scripts/copy-web-data.mjs', () => {
  it('copies the files from $TENSORGRAD_DATA/FashionMNIST/raw, gzipped or not, and empties the folder first', () => {
    const data = join(tmp, 'data-env');
    const raw = join(data, 'FashionMNIST', 'raw');
    mkdirSync(raw, { recursive: true });
    STEMS.forEach((stem, i) => writeFileSync(join(raw, i % 2 === 0 ? `${stem}.gz` : stem), `bytes of ${stem}`));
    const out = join(tmp, 'out-env');
    mkdirSync(out);
    writeFileSync(join(out, 'stale.gz'), 'from an earlier build');
    const { copied, message } = copyWebData(out, { TENSORGRAD_DATA: data }, join(tmp, 'no-system'));
    expect(copied, message).toBe(true);
    expect(message).toContain(raw);
    expect(readdirSync(out).sort()).toEqual(STEMS.map((s, i) => (i % 2 === 0 ? `${s}.gz` : s)).sort());
  });

  it('warns, naming every folder tried and how to fix it, when no folder has all four files', () => {
    const partial = join(tmp, 'partial');
    mkdirSync(partial);
    writeFileSync(join(partial, `${STEMS[0]}.gz`), 'only one');
    const out = join(tmp, 'out-missing');
    const { copied, message } = copyWebData(out, { TENSORGRAD_DATA: partial }, join(tmp, 'no-system'));
    expect(copied).toBe(false);
    expect(message).toMatch(/WARNING: the page will have no data/);
    expect(message).toContain(partial);
    expect(message).toContain(join(tmp, 'no-system'));
    expect(message).toMatch(/ensure-dataset\.sh .*TENSORGRAD_DATA .*\?data=/);
    expect(existsSync(out)).toBe(false);
    expect(copyWebData(out, {}, join(tmp, 'no-system')).message).toContain('$TENSORGRAD_DATA: not set');
  });
});

describe('scripts/serve-web.mjs', () => {
  it('serves a built page cross-origin isolated, .gz files as application/gzip without Content-Encoding', async () => {
    const root = join(tmp, 'dist-web');
    mkdirSync(join(root, 'data'), { recursive: true });
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<p data-testid="status">idle</p>');
    writeFileSync(join(root, 'assets', 'tfjs-backend-wasm.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    writeFileSync(join(root, 'data', 't10k-labels-idx1-ubyte.gz'), gz);
    const server = await startWebServer({ root });
    try {
      const page = await fetch(`${server.origin}/`);
      expect(await page.text()).toBe('<p data-testid="status">idle</p>');
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect((await fetch(`${server.origin}/assets/tfjs-backend-wasm.wasm`)).headers.get('content-type')).toBe('application/wasm');
      const data = await fetch(`${server.origin}/data/t10k-labels-idx1-ubyte.gz`);
      expect(data.headers.get('content-type')).toBe('application/gzip');
      expect(data.headers.get('content-encoding')).toBeNull();
      // the bytes as stored: fetch would have inflated them under a Content-Encoding header
      expect(new Uint8Array(await data.arrayBuffer())).toEqual(gz);
      expect((await fetch(`${server.origin}/data/nope.gz`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('falls back to the next free port when the one asked for is taken, and fails without fallback', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const server = await startWebServer({ root: tmp, port: taken, fallback: true });
      expect(server.port).not.toBe(taken);
      await server.close();
      await expect(startWebServer({ root: tmp, port: taken })).rejects.toThrow(`serve-web: port ${taken} on 127.0.0.1 is in use; pass another port`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('says how to build the page when the folder does not exist', async () => {
    await expect(startWebServer({ root: join(tmp, 'never-built') })).rejects.toThrow(/does not exist; build the page with `pnpm --filter @tensorgrad\/fashion-mnist build`/);
  });
});
