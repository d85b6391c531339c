// The PNG decoder against PNGs made by the independent encoder in png-encoder.ts.
import { describe, expect, it } from 'vitest';
import { memory } from 'tensorgrad';
import { crc32, decodePng, pngToInput } from '@tensorgrad/fashion-mnist';
import { bytes, chunk, crcBitwise, encodePng, rowsOf } from './png-encoder.js';

describe('crc32', () => {
  it('matches a bitwise CRC-32', () => {
    const b = bytes(1000, 3);
    expect(crc32(b)).toBe(crcBitwise(b));
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('decodePng', () => {
  const W = 7;
  const H = 6;

  it.each([
    [0, 1],
    [4, 2],
    [2, 3],
    [6, 4],
  ])('decodes 8-bit colour type %i (%i channels) through all five filters', (colorType, channels) => {
    const data = bytes(W * H * channels, colorType + 10);
    const png = encodePng({ width: W, height: H, colorType, depth: 8, rows: rowsOf(data, H) });
    const d = decodePng(png);
    expect([d.width, d.height, d.channels]).toEqual([W, H, channels]);
    expect([...d.data]).toEqual([...data]);
  });

  it('decodes palette images to RGB, and to RGBA with tRNS', () => {
    const palette = [0, 0, 0, 255, 0, 0, 0, 255, 0, 10, 20, 30];
    const idx = Uint8Array.from({ length: W * H }, (_, i) => (i * 7) % 4);
    const want = [...idx].flatMap((k) => palette.slice(3 * k, 3 * k + 3));
    const rgb = decodePng(encodePng({ width: W, height: H, colorType: 3, depth: 8, rows: rowsOf(idx, H), palette }));
    expect(rgb.channels).toBe(3);
    expect([...rgb.data]).toEqual(want);
    const rgba = decodePng(encodePng({ width: W, height: H, colorType: 3, depth: 8, rows: rowsOf(idx, H), palette, trns: [0, 128] }));
    expect(rgba.channels).toBe(4);
    expect([...rgba.data]).toEqual([...idx].flatMap((k) => [...palette.slice(3 * k, 3 * k + 3), [0, 128, 255, 255][k]!]));
  });

  it('decodes packed 2-bit palette and 1-bit greyscale rows (rows padded to whole bytes)', () => {
    const palette = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const idx = Array.from({ length: W * H }, (_, i) => (i * 5) % 4);
    // pack 2 bits per pixel, most significant first, each row starting on a byte
    const stride = Math.ceil((W * 2) / 8);
    const rows = Array.from({ length: H }, (_, y) => {
      const r = new Uint8Array(stride);
      for (let x = 0; x < W; x++) r[x >> 2]! |= idx[y * W + x]! << (6 - 2 * (x & 3));
      return r;
    });
    const d = decodePng(encodePng({ width: W, height: H, colorType: 3, depth: 2, rows, palette }));
    expect([...d.data]).toEqual(idx.flatMap((k) => palette.slice(3 * k, 3 * k + 3)));

    const bits = Array.from({ length: W * H }, (_, i) => (i * 3) % 5 < 2 ? 1 : 0);
    const rows1 = Array.from({ length: H }, (_, y) => {
      const r = new Uint8Array(1);
      for (let x = 0; x < W; x++) r[0]! |= bits[y * W + x]! << (7 - x);
      return r;
    });
    const g = decodePng(encodePng({ width: W, height: H, colorType: 0, depth: 1, rows: rows1 }));
    expect(g.channels).toBe(1);
    expect([...g.data]).toEqual(bits.map((b) => b * 255));
  });

  it('keeps the high byte of 16-bit samples', () => {
    const data = bytes(W * H * 3 * 2, 99);
    const d = decodePng(encodePng({ width: W, height: H, colorType: 2, depth: 16, rows: rowsOf(data, H) }));
    expect(d.channels).toBe(3);
    expect([...d.data]).toEqual([...data].filter((_, i) => i % 2 === 0));
  });

  it('skips ancillary chunks', () => {
    const data = bytes(W * H, 5);
    const text = chunk('tEXt', new TextEncoder().encode('Comment\0hello'));
    expect([...decodePng(encodePng({ width: W, height: H, colorType: 0, depth: 8, rows: rowsOf(data, H), extraChunks: [text] })).data]).toEqual([...data]);
  });

  it('fails clearly on what it cannot or will not decode', () => {
    const data = bytes(W * H, 5);
    const good = encodePng({ width: W, height: H, colorType: 0, depth: 8, rows: rowsOf(data, H) });
    expect(() => decodePng(new TextEncoder().encode('GIF89a, not a png'))).toThrow(/not a PNG file/);
    const corrupt = new Uint8Array(good); // a copy (Buffer.slice would share)
    corrupt[45]! ^= 0xff; // inside the first IDAT chunk's data
    expect(() => decodePng(corrupt)).toThrow(/has CRC [0-9a-f]+ but its contents give [0-9a-f]+; the file is corrupt/);
    expect(() => decodePng(good.subarray(0, good.length - 20))).toThrow(/truncated/);
    const interlaced = encodePng({ width: W, height: H, colorType: 0, depth: 8, rows: rowsOf(data, H), interlace: 1 });
    expect(() => decodePng(interlaced)).toThrow(/interlaced \(Adam7\) PNGs are not supported yet/);
    expect(() => decodePng(encodePng({ width: W, height: H, colorType: 2, depth: 4, rows: rowsOf(data, H) }))).toThrow('bit depth 4 is not valid for RGB images (allowed: 8, 16)');
    const critical = encodePng({ width: W, height: H, colorType: 0, depth: 8, rows: rowsOf(data, H), extraChunks: [chunk('ABCD', new Uint8Array(1))] });
    expect(() => decodePng(critical)).toThrow('critical chunk ABCD is not supported yet');
  });
});

describe('pngToInput', () => {
  it('resizes with bilinear interpolation: halving averages 2x2 blocks', async () => {
    const S = 56;
    const grey = bytes(S * S, 17);
    const before = memory().numTensors;
    const x = pngToInput({ width: S, height: S, channels: 1, data: grey });
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

  it('turns RGB into luma, composites transparency onto the background, and inverts', async () => {
    // 28x28 needs no resize: every value can be checked exactly
    const n = 28 * 28;
    const rgba = bytes(n * 4, 23);
    const x = pngToInput({ width: 28, height: 28, channels: 4, data: rgba });
    const inv = pngToInput({ width: 28, height: 28, channels: 4, data: rgba }, { invert: true });
    const [a, b] = [(await x.data()) as Float32Array, (await inv.data()) as Float32Array];
    for (let i = 0; i < n; i++) {
      const [r, g, bl, al] = [rgba[4 * i]!, rgba[4 * i + 1]!, rgba[4 * i + 2]!, rgba[4 * i + 3]! / 255];
      const luma = 0.299 * r + 0.587 * g + 0.114 * bl;
      expect(a[i]).toBeCloseTo((luma * al) / 255, 6);
      // inverted: the garment is dark on a light background; transparency still ends up black
      expect(b[i]).toBeCloseTo((255 - (luma * al + 255 * (1 - al))) / 255, 6);
    }
    x.dispose();
    inv.dispose();
  });
});
