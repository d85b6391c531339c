// Regression tests for what the hostile-file fuzzer `files/png` (apps/fuzz) found in decodeImage's
// PNG path, each with the kind of bytes a fuzzer case produced (CRCs valid, so the damage reaches
// the codec), checked against the PNG specification and the pixels written into the file.
import { describe, expect, it } from 'vitest';
import { crc32, deflateSync } from 'node:zlib';
import '@tensorgrad/backend-cpu';
import { memory } from '@tensorgrad/tensor';
import { decodeImage } from '@tensorgrad/vision';

/** A PNG of the given chunks, each with its length and a valid CRC. */
function png(...chunks: Array<[string, Uint8Array | number[]]>): Uint8Array {
  const parts: number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  for (const [type, raw] of chunks) {
    const data = Uint8Array.from(raw);
    const typed = new Uint8Array(4 + data.length);
    typed.set([...type].map((c) => c.charCodeAt(0)));
    typed.set(data, 4);
    const be = (v: number): number[] => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    parts.push(...be(data.length), ...typed, ...be(crc32(typed)));
  }
  return Uint8Array.from(parts);
}

function ihdr(width: number, height: number, depth: number, colorType: number, interlace = 0): [string, number[]] {
  const be = (v: number): number[] => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return ['IHDR', [...be(width), ...be(height), depth, colorType, 0, 0, interlace]];
}

/** IDAT of unfiltered rows (filter byte 0 before each row). */
function idat(rows: number[][]): [string, Uint8Array] {
  return ['IDAT', new Uint8Array(deflateSync(Uint8Array.from(rows.flatMap((r) => [0, ...r]))))];
}
const iend: [string, number[]] = ['IEND', []];

async function rejection(bytes: Uint8Array): Promise<Error> {
  const e = await decodeImage(bytes).then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe('hostile PNG files', () => {
  it('an IHDR declaring 2147483647×65535 pixels over a few bytes of IDAT is refused at once (it hung for seconds)', async () => {
    const bytes = png(ihdr(2147483647, 65535, 1, 3), ['PLTE', [0, 0, 0, 255, 255, 255]], idat([[0]]), iend);
    const t0 = performance.now();
    const e = await rejection(bytes);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(e.message).toMatch(/^decodeImage: the PNG image is 2147483647×65535, too large to decode/);
    const tall = png(ihdr(20000, 20000, 8, 0), idat([[7]]), iend);
    expect((await rejection(tall)).message).toMatch(
      /^decodeImage: the PNG data is corrupt: the IHDR declares a 20000×20000 image \(400000000 bytes of samples\) but its IDAT chunks hold \d+ bytes, which inflate to at most \d+ bytes/,
    );
  });

  it('an IHDR with a width of 2^32 − 1 is refused without leaking "Invalid typed array length"', async () => {
    const e = await rejection(png(ihdr(0xffffffff, 0x7fffffff, 8, 4), idat([[1, 2]]), iend));
    expect(e.message).toMatch(/the IHDR declares a 4294967295×2147483647 image; expected a width and height from 1 to 2147483647/);
    expect(e.message).not.toMatch(/Invalid typed array length/);
  });

  it('bit depths, colour types and methods outside the specification are named', async () => {
    expect((await rejection(png(ihdr(1, 1, 3, 0), idat([[0]]), iend))).message).toMatch(/bit depth 3 for colour type 0 \(gray\); expected one of 1, 2, 4, 8, 16/);
    expect((await rejection(png(ihdr(1, 1, 8, 5), idat([[0]]), iend))).message).toMatch(/colour type 5; expected 0 \(gray\), 2 \(RGB\), 3 \(palette\)/);
    expect((await rejection(png(ihdr(1, 1, 8, 0, 2), idat([[0]]), iend))).message).toMatch(/interlace method 2; expected 0, 0 and 0 or 1/);
  });

  it('a 1×1 image whose IDAT inflates to 32 MiB (a zlib bomb) is refused before the stream fills memory', async () => {
    const bomb = new Uint8Array(deflateSync(new Uint8Array(32 * 2 ** 20), { level: 9 }));
    const bytes = png(ihdr(1, 1, 8, 0), ['IDAT', bomb], iend);
    const before = process.memoryUsage().arrayBuffers;
    const e = await rejection(bytes);
    expect(e.message).toMatch(/^decodeImage: the PNG data is corrupt: its IDAT data inflates to more than 65540 bytes, while a 1×1 image needs 2/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 2 ** 20);
  });

  it('an RGB image with a suggested palette (PLTE, allowed by the specification) decodes its colours, not palette lookups', async () => {
    const bytes = png(ihdr(2, 1, 8, 2), ['PLTE', [9, 9, 9]], idat([[10, 20, 30, 40, 50, 60]]), iend);
    const img = await decodeImage(bytes);
    expect(img.shape).toEqual([3, 1, 2]);
    expect(img.arraySync()).toEqual([[[10, 40]], [[20, 50]], [[30, 60]]]);
    img.dispose();
  });

  it('palette images need one PLTE before the image data, and tRNS between them', async () => {
    const row = idat([[0]]);
    expect((await rejection(png(ihdr(1, 1, 8, 3), row, iend))).message).toMatch(/colour type 3 \(palette\) but no PLTE chunk/);
    const plte: [string, number[]] = ['PLTE', [1, 2, 3]];
    expect((await rejection(png(ihdr(1, 1, 8, 3), plte, plte, row, iend))).message).toMatch(/a second 'PLTE' chunk/);
    expect((await rejection(png(ihdr(1, 1, 8, 3), row, plte, iend))).message).toMatch(/a 'PLTE' chunk at offset \d+ after the image data/);
    expect((await rejection(png(ihdr(1, 1, 8, 3), ['tRNS', [7]], plte, row, iend))).message).toMatch(/the 'tRNS' chunk at offset \d+ comes before the palette/);
    expect((await rejection(png(ihdr(1, 1, 8, 3), plte, row, ['tEXt', [65, 0, 66]], row, iend))).message).toMatch(/expected consecutive IDAT chunks/);
    // the valid order decodes to the palette colour with its alpha
    const ok = await decodeImage(png(ihdr(1, 1, 8, 3), plte, ['tRNS', [7]], row, iend));
    expect(ok.arraySync()).toEqual([[[1]], [[2]], [[3]], [[7]]]);
    ok.dispose();
    expect(memory().numTensors).toBe(0);
  });
});

describe('hostile JPEG files', () => {
  /** A small colour JPEG written by encodeJpeg, and the offsets of its segments. */
  async function jpeg(): Promise<Uint8Array> {
    const { tensor } = await import('@tensorgrad/tensor');
    const { encodeJpeg } = await import('@tensorgrad/vision');
    const img = tensor(Array.from({ length: 3 * 16 * 16 }, (_, i) => (i * 37) % 256), { dtype: 'int32' });
    const chw = img.reshape([3, 16, 16]);
    const bytes = await encodeJpeg(chw, { quality: 90 });
    img.dispose();
    chw.dispose();
    return bytes;
  }
  /** Where marker `FF m` starts (its length field is 2 bytes further). */
  const find = (b: Uint8Array, m: number): number => b.findIndex((v, i) => v === 0xff && b[i + 1] === m);

  it('a JPEG that makes libjpeg fail fatally is refused, and the next JPEG still decodes (the decoder was left broken)', async () => {
    const good = await jpeg();
    const before = await decodeImage(good);
    const expected = before.arraySync();
    before.dispose();
    const bad = good.slice();
    bad[find(bad, 0xdb) + 4] = 0x04; // DQT table index 4: libjpeg's "Bogus DQT index 4"
    const e = await rejection(bad);
    expect(e.message).toMatch(/^decodeImage: the JPEG data is corrupt: libjpeg: Bogus DQT index 4; nothing is decoded from a damaged file$/);
    for (let i = 0; i < 3; i++) {
      const again = await decodeImage(good);
      expect(again.arraySync()).toEqual(expected);
      again.dispose();
    }
  });

  it('a frame header declaring more pixels than the file can code is refused before libjpeg allocates (it aborted)', async () => {
    const bad = await jpeg();
    const sof = find(bad, 0xc0);
    bad.set([16000 >> 8, 16000 & 0xff, 16000 >> 8, 16000 & 0xff], sof + 5);
    expect((await rejection(bad)).message).toMatch(
      new RegExp(`^decodeImage: the JPEG data is corrupt: its frame header declares a 16000×16000 image \\(4000000 blocks of 8×8 pixels\\) but its ${bad.length} bytes can code at most ${8 * bad.length} blocks`),
    );
    bad.set([30000 >> 8, 30000 & 0xff, 65500 >> 8, 65500 & 0xff], sof + 5);
    bad[sof + 1] = 0xc9; // arithmetic coding: no bound from the size, only the decoder's memory
    expect((await rejection(bad)).message).toMatch(/^decodeImage: the JPEG declares a 65500×30000 image, more than the 268435456 pixels the decoder/);
  });
});
