// The app's image input: PNGs made by the independent encoder in png-encoder.ts, decoded by
// @tensorgrad/vision's decodeImage (which replaced the app's own PNG decoder), and imageToInput.
import { describe, expect, it } from 'vitest';
import { fromTypedArray, memory } from 'tensorgrad';
import { decodeImage } from '@tensorgrad/vision';
import { imageToInput } from '@tensorgrad/fashion-mnist';
import { bytes, chunk, encodePng, rowsOf } from './png-encoder.js';

/** decodeImage's [C, H, W] tensor as the interleaved pixels the old decoder returned. */
async function decodePng(png: Uint8Array): Promise<{ width: number; height: number; channels: number; data: Uint8Array }> {
  const t = await decodeImage(png);
  const [channels, height, width] = t.shape as [number, number, number];
  const planar = await t.data();
  t.dispose();
  const data = new Uint8Array(planar.length);
  for (let c = 0; c < channels; c++) for (let i = 0; i < width * height; i++) data[i * channels + c] = planar[c * width * height + i]!;
  return { width, height, channels, data };
}

describe('decodeImage on PNGs of an independent encoder', () => {
  const W = 7;
  const H = 6;

  it.each([
    [0, 1],
    [4, 2],
    [2, 3],
    [6, 4],
  ])('decodes 8-bit colour type %i (%i channels) through all five filters', async (colorType, channels) => {
    const data = bytes(W * H * channels, colorType + 10);
    const png = encodePng({ width: W, height: H, colorType, depth: 8, rows: rowsOf(data, H) });
    const d = await decodePng(png);
    expect([d.width, d.height, d.channels]).toEqual([W, H, channels]);
    expect([...d.data]).toEqual([...data]);
  });

  it('decodes palette images to RGB, and to RGBA with tRNS', async () => {
    const palette = [0, 0, 0, 255, 0, 0, 0, 255, 0, 10, 20, 30];
    const idx = Uint8Array.from({ length: W * H }, (_, i) => (i * 7) % 4);
    const want = [...idx].flatMap((k) => palette.slice(3 * k, 3 * k + 3));
    const rgb = await decodePng(encodePng({ width: W, height: H, colorType: 3, depth: 8, rows: rowsOf(idx, H), palette }));
    expect(rgb.channels).toBe(3);
    expect([...rgb.data]).toEqual(want);
    const rgba = await decodePng(encodePng({ width: W, height: H, colorType: 3, depth: 8, rows: rowsOf(idx, H), palette, trns: [0, 128] }));
    expect(rgba.channels).toBe(4);
    expect([...rgba.data]).toEqual([...idx].flatMap((k) => [...palette.slice(3 * k, 3 * k + 3), [0, 128, 255, 255][k]!]));
  });

  it('decodes packed 2-bit palette and 1-bit greyscale rows (rows padded to whole bytes)', async () => {
    const palette = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const idx = Array.from({ length: W * H }, (_, i) => (i * 5) % 4);
    // pack 2 bits per pixel, most significant first, each row starting on a byte
    const stride = Math.ceil((W * 2) / 8);
    const rows = Array.from({ length: H }, (_, y) => {
      const r = new Uint8Array(stride);
      for (let x = 0; x < W; x++) r[x >> 2]! |= idx[y * W + x]! << (6 - 2 * (x & 3));
      return r;
    });
    const d = await decodePng(encodePng({ width: W, height: H, colorType: 3, depth: 2, rows, palette }));
    expect([...d.data]).toEqual(idx.flatMap((k) => palette.slice(3 * k, 3 * k + 3)));

    const bits = Array.from({ length: W * H }, (_, i) => (i * 3) % 5 < 2 ? 1 : 0);
    const rows1 = Array.from({ length: H }, (_, y) => {
      const r = new Uint8Array(1);
      for (let x = 0; x < W; x++) r[0]! |= bits[y * W + x]! << (7 - x);
      return r;
    });
    const g = await decodePng(encodePng({ width: W, height: H, colorType: 0, depth: 1, rows: rows1 }));
    expect(g.channels).toBe(1);
    expect([...g.data]).toEqual(bits.map((b) => b * 255));
  });

  it('keeps the high byte of 16-bit samples', async () => {
    const data = bytes(W * H * 3 * 2, 99);
    const d = await decodePng(encodePng({ width: W, height: H, colorType: 2, depth: 16, rows: rowsOf(data, H) }));
    expect(d.channels).toBe(3);
    expect([...d.data]).toEqual([...data].filter((_, i) => i % 2 === 0));
  });

  it('skips ancillary chunks', async () => {
    const data = bytes(W * H, 5);
    const text = chunk('tEXt', new TextEncoder().encode('Comment\0hello'));
    expect([...(await decodePng(encodePng({ width: W, height: H, colorType: 0, depth: 8, rows: rowsOf(data, H), extraChunks: [text] }))).data]).toEqual([...data]);
  });

  it('fails clearly on what it cannot decode', async () => {
    const data = bytes(W * H, 5);
    const good = encodePng({ width: W, height: H, colorType: 0, depth: 8, rows: rowsOf(data, H) });
    await expect(decodePng(new TextEncoder().encode('GIF89a, not a png'))).rejects.toThrow(/looks like GIF/);
    const corrupt = new Uint8Array(good); // a copy (Buffer.slice would share)
    corrupt[45]! ^= 0xff; // inside the first IDAT chunk's data
    await expect(decodePng(corrupt)).rejects.toThrow(/PNG data is corrupt.*CRC/i);
    await expect(decodePng(good.subarray(0, good.length - 20))).rejects.toThrow(/truncated/);
    await expect(decodePng(encodePng({ width: W, height: H, colorType: 2, depth: 4, rows: rowsOf(data, H) }))).rejects.toThrow(/PNG data is corrupt/);
  });
});

describe('imageToInput', () => {
  it('resizes with bilinear interpolation: halving averages 2x2 blocks', async () => {
    const S = 56;
    const grey = bytes(S * S, 17);
    const before = memory().numTensors;
    const image = fromTypedArray(Int32Array.from(grey), [1, S, S]);
    const x = imageToInput(image);
    image.dispose();
    expect(x.shape).toEqual([1, 1, 28, 28]);
    const got = (await x.data()) as Float32Array;
    for (let i = 0; i < 28; i++) {
      for (let j = 0; j < 28; j++) {
        const at = (y: number, xx: number): number => grey[y * S + xx]! / 255;
        const want = (at(2 * i, 2 * j) + at(2 * i, 2 * j + 1) + at(2 * i + 1, 2 * j) + at(2 * i + 1, 2 * j + 1)) / 4;
        expect(got[i * 28 + j]).toBeCloseTo(want, 6);
      }
    }
    x.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('composites transparency onto the background, and inverts', async () => {
    // 28x28 needs no resize: every value can be checked exactly
    const n = 28 * 28;
    const rgba = bytes(n * 4, 23);
    // grey + alpha, as decodeImage(bytes, { mode: 'gray_alpha' }) gives it
    const ga = fromTypedArray(Int32Array.from({ length: 2 * n }, (_, k) => (k < n ? rgba[4 * k]! : rgba[4 * (k - n) + 3]!)), [2, 28, 28]);
    const x = imageToInput(ga);
    const inv = imageToInput(ga, { invert: true });
    ga.dispose();
    const [a, b] = [(await x.data()) as Float32Array, (await inv.data()) as Float32Array];
    for (let i = 0; i < n; i++) {
      const [luma, al] = [rgba[4 * i]!, rgba[4 * i + 3]! / 255];
      expect(a[i]).toBeCloseTo((luma * al) / 255, 6);
      // inverted: the garment is dark on a light background; transparency still ends up black
      expect(b[i]).toBeCloseTo((255 - (luma * al + 255 * (1 - al))) / 255, 6);
    }
    x.dispose();
    inv.dispose();
  });
});
