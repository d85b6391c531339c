import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromTypedArray, tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { decodeImage, encodeJpeg, encodePng, readImage, writeJpeg, writePng, type ImageReadMode } from '@tensorgrad/vision';

// Images and expected pixels written by test/fixtures/make_images.py (PIL 9.4, torchvision 0.14.1).
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
interface Arr { shape: number[]; data: number[] }
interface Entry { pilMode: string; pil: Record<string, Arr>; torchvision: Record<string, Arr | { error: string }> }
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { images: Record<string, Entry> };
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, 'images', name)));
const MODES: ImageReadMode[] = ['unchanged', 'gray', 'gray_alpha', 'rgb', 'rgb_alpha'];

async function pixels(bytes: Uint8Array, mode: ImageReadMode): Promise<Arr> {
  const t = await decodeImage(bytes, { mode });
  expect(t.dtype).toBe('int32');
  return { shape: t.shape as number[], data: Array.from(await t.data()) };
}

// torchvision 0.14 garbles palette PNGs without a tRNS chunk in the alpha modes, returns raw
// (packed) palette indices in 'unchanged' mode, and gives 1-bit gray PNGs the alpha 1 (libpng's
// filler (1 << bit_depth) - 1, set before the expansion to 8 bits); those are checked separately.
function torchvisionIsWrong(name: string, mode: ImageReadMode): boolean {
  if (name === 'gray1.png') return mode === 'gray_alpha' || mode === 'rgb_alpha';
  return name.startsWith('palette') && (mode === 'unchanged' || (!name.includes('trns') && (mode === 'gray_alpha' || mode === 'rgb_alpha')));
}

describe('decodeImage: PIL/torchvision pixels', () => {
  for (const [name, entry] of Object.entries(expected.images)) {
    // PIL's I;16 → RGB conversion clips at 255 (16-bit gray is checked below)
    if (name !== 'gray16.png') it(`${name}: rgb equals PIL's convert('RGB')`, async () => {
      expect(await pixels(bytesOf(name), 'rgb')).toEqual(entry.pil.RGB);
    });
    for (const mode of MODES) {
      const tv = entry.torchvision[mode]!;
      if ('error' in tv || torchvisionIsWrong(name, mode)) continue;
      it(`${name}: mode '${mode}' equals torchvision's decode_image`, async () => {
        expect(await pixels(bytesOf(name), mode)).toEqual(tv);
      });
    }
  }
  it('palette PNGs: every mode gives the palette colours (PIL), unchanged included', async () => {
    const rgb = expected.images['palette.png']!.pil.RGB;
    expect(await pixels(bytesOf('palette.png'), 'unchanged')).toEqual(rgb);
    expect(await pixels(bytesOf('palette2bit.png'), 'unchanged')).toEqual(expected.images['palette2bit.png']!.pil.RGB);
    const rgba = await pixels(bytesOf('palette.png'), 'rgb_alpha');
    expect(rgba.data.slice(0, 3 * 42)).toEqual(rgb.data);
    expect(rgba.data.slice(3 * 42).every((a) => a === 255)).toBe(true);
    const trns = await pixels(bytesOf('palette_trns.png'), 'unchanged');
    expect(trns.shape).toEqual([4, 6, 7]);
    expect(trns).toEqual(expected.images['palette_trns.png']!.torchvision.rgb_alpha);
  });
  it('1-bit gray PNGs get alpha 255 in the alpha modes (torchvision 0.14: alpha 1)', async () => {
    const gray = expected.images['gray1.png']!.torchvision.gray as Arr;
    const ga = await pixels(bytesOf('gray1.png'), 'gray_alpha');
    expect(ga.data).toEqual([...gray.data, ...gray.data.map(() => 255)]);
    expect((expected.images['gray1.png']!.torchvision.gray_alpha as Arr).data.slice(55)).toEqual(gray.data.map(() => 1));
    const rgba = await pixels(bytesOf('gray1.png'), 'rgb_alpha');
    expect(rgba.data).toEqual([...gray.data, ...gray.data, ...gray.data, ...gray.data.map(() => 255)]);
  });
  it('16-bit PNGs keep the high byte of each sample (PIL for RGB; torchvision 0.14 refuses them)', async () => {
    for (const name of ['rgb16.png', 'gray16.png']) {
      const raw = expected.images[name]!.pil.raw16!;
      expect(await pixels(bytesOf(name), 'unchanged')).toEqual({ shape: raw.shape, data: raw.data.map((v) => v >> 8) });
      expect('error' in expected.images[name]!.torchvision.unchanged!).toBe(true);
    }
  });
  it('a JPEG in the alpha modes gets alpha 255 (torchvision 0.14 refuses these modes for JPEG)', async () => {
    const ga = await pixels(bytesOf('rgb.jpg'), 'gray_alpha');
    const g = expected.images['rgb.jpg']!.torchvision.gray as Arr;
    expect(ga.shape).toEqual([2, 11, 13]);
    expect(ga.data.slice(0, 143)).toEqual(g.data);
    expect(ga.data.slice(143).every((a) => a === 255)).toBe(true);
    const ra = await pixels(bytesOf('gray.jpg'), 'rgb_alpha');
    expect(ra.data.slice(0, 3 * 63)).toEqual((expected.images['gray.jpg']!.torchvision.rgb as Arr).data);
  });
  it('accepts an ArrayBuffer and the positional mode; refuses bad modes and inputs', async () => {
    const b = bytesOf('rgb.png');
    expect((await decodeImage(b.slice().buffer, 'gray')).shape).toEqual([1, 5, 7]);
    await expect(decodeImage(b, { mode: 'RGB' as never })).rejects.toThrow(/one of 'unchanged'.*got "RGB" \(write 'rgb'\)/);
    await expect(decodeImage(b, { mod: 'rgb' } as never)).rejects.toThrow(/mod/);
    await expect(decodeImage('x.png' as never)).rejects.toThrow(TypeError);
  });
});

describe('decodeImage: malformed data gives clear errors, never a hang', () => {
  const cases = [
    ['rgb.png', /PNG data is truncated|PNG data is corrupt/],
    ['rgb.jpg', /JPEG data is truncated|JPEG data is corrupt/],
    ['progressive.jpg', /JPEG data is truncated|JPEG data is corrupt/],
    ['palette.png', /PNG data is truncated|PNG data is corrupt/],
  ] as const;
  for (const [name, message] of cases) {
    it(`${name} truncated at every 7th byte`, async () => {
      const b = bytesOf(name);
      for (let n = 3; n < b.length - 1; n += 7) {
        await expect(decodeImage(b.subarray(0, n)), `cut at ${n}`).rejects.toThrow(message);
      }
      // the last byte of the end marker
      await expect(decodeImage(b.subarray(0, b.length - 1))).rejects.toThrow(/truncated/);
    });
  }
  it('flipped bytes in the PNG image data fail the CRC; flipped JPEG entropy data is reported corrupt', async () => {
    const png = bytesOf('rgb.png').slice();
    png[png.length - 20] ^= 0xff; // inside IDAT
    await expect(decodeImage(png)).rejects.toThrow(/PNG data is corrupt.*(crc|CRC)/);
    // a marker that cannot occur inside the compressed data
    const jpg = bytesOf('photo.jpg').slice();
    jpg.set([0xff, 0x4a], jpg.length - 200);
    await expect(decodeImage(jpg)).rejects.toThrow(/JPEG data is corrupt/);
  });
  it('JPEG has no checksum: flipped entropy-coded bytes give an error or an image of the right shape, never a hang or a crash', async () => {
    const good = bytesOf('photo.jpg');
    let errors = 0;
    for (let start = 300; start < good.length - 40; start += 97) {
      const jpg = good.slice();
      for (let i = start; i < start + 30; i++) jpg[i] ^= 0x5a;
      try {
        expect((await decodeImage(jpg)).shape).toEqual([3, 19, 26]);
      } catch (e) {
        expect((e as Error).message).toMatch(/^decodeImage: the JPEG data is (corrupt|truncated)/);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(0);
  });
  it('names the magic bytes of an unknown format', async () => {
    await expect(decodeImage(new Uint8Array([0x42, 0x4d, 1, 2, 3, 4, 5, 6]))).rejects.toThrow(/found bytes 42 4D 01 02 03 04 05 06, which looks like BMP/);
    await expect(decodeImage(new TextEncoder().encode('GIF89a....'))).rejects.toThrow(/looks like GIF/);
    await expect(decodeImage(new TextEncoder().encode('hello world'))).rejects.toThrow(/unknown image format: expected PNG \(starting 89 50 4E 47 0D 0A 1A 0A\) or JPEG \(starting FF D8 FF\) data, found bytes 68 65 6C 6C 6F 20 77 6F$/);
    await expect(decodeImage(new Uint8Array(0))).rejects.toThrow(/empty \(0 bytes\)/);
    const png = bytesOf('rgb.png').slice();
    png[12] = 0x20; // the IHDR chunk type
    await expect(decodeImage(png)).rejects.toThrow(/expected a chunk type/);
  });
  it('refuses CMYK JPEGs by name', async () => {
    // a 4-component frame header: patch the component count of rgb.jpg's SOF0 segment
    const b = bytesOf('rgb.jpg').slice();
    const sof = b.findIndex((v, i) => v === 0xff && b[i + 1] === 0xc0);
    b[sof + 9] = 4;
    await expect(decodeImage(b)).rejects.toThrow(/(CMYK|corrupt)/);
  });
});

describe('encodePng / encodeJpeg / writePng / writeJpeg / readImage', () => {
  it('PNG round-trips 1 to 4 channels exactly, and PIL reads the same pixels back (fixture files)', async () => {
    for (const c of [1, 2, 3, 4]) {
      const data = Int32Array.from({ length: c * 5 * 6 }, (_, i) => (i * 37 + c) % 256);
      const img = fromTypedArray(data, [c, 5, 6]);
      const back = await decodeImage(await encodePng(img, { compressionLevel: c === 1 ? 0 : 9 }));
      expect(back.shape).toEqual([c, 5, 6]);
      expect(Array.from(await back.data())).toEqual(Array.from(data));
    }
    // re-encoding PIL's files gives the same pixels
    for (const name of ['rgb.png', 'rgba.png', 'gray.png', 'gray_alpha.png']) {
      const img = await decodeImage(bytesOf(name));
      expect(await pixels(await encodePng(img), 'unchanged')).toEqual(expected.images[name]!.torchvision.unchanged);
    }
  });
  it('JPEG round-trips within JPEG error, gray and colour, and quality matters', async () => {
    const rgb = await decodeImage(bytesOf('photo.jpg'));
    const orig = await rgb.data();
    const err = async (q: number): Promise<number> => {
      const back = await (await decodeImage(await encodeJpeg(rgb, { quality: q }))).data();
      let s = 0;
      for (let i = 0; i < orig.length; i++) s += Math.abs(back[i]! - orig[i]!);
      return s / orig.length;
    };
    const [e50, e95] = [await err(50), await err(95)];
    expect(e95).toBeLessThan(e50);
    expect(e95).toBeLessThan(6);
    const gray = await decodeImage(bytesOf('gray.jpg'));
    const g = await encodeJpeg(gray, 100);
    const info = await decodeImage(g);
    expect(info.shape).toEqual([1, 9, 7]); // a 1-component JPEG
  });
  it("PIL reads what encodePng and encodeJpeg write, with the pixels decodeImage gives (Debian's python3-pil)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tg-vision-pil-'));
    try {
      const photo = await decodeImage(bytesOf('photo.jpg'));
      const files: [string, Uint8Array][] = [
        ['a.png', await encodePng(photo)],
        ['b.jpg', await encodeJpeg(photo, { quality: 60 })],
        ['c.jpg', await encodeJpeg(await decodeImage(bytesOf('gray.jpg')), 90)],
        ['d.png', await encodePng(await decodeImage(bytesOf('gray_alpha.png')))],
      ];
      for (const [name, b] of files) await writeFile(join(dir, name), b);
      const py = spawnSync('/usr/bin/python3', ['-c', `
import json, sys, numpy as np
from PIL import Image
out = {}
for name in sys.argv[2:]:
    im = Image.open(sys.argv[1] + '/' + name)
    a = np.asarray(im).reshape(im.height, im.width, -1).transpose(2, 0, 1)
    out[name] = {'mode': im.mode, 'shape': list(a.shape), 'data': a.reshape(-1).tolist()}
print(json.dumps(out))
`, dir, ...files.map(([n]) => n)], { encoding: 'utf8' });
      if (py.status !== 0) {
        expect(py.stderr).toMatch(/No module named|not found|ENOENT/); // no PIL here: the round trips above are the check
        return;
      }
      const pil = JSON.parse(py.stdout) as Record<string, Arr & { mode: string }>;
      expect(Object.values(pil).map((p) => p.mode)).toEqual(['RGB', 'RGB', 'L', 'LA']);
      for (const [name, b] of files) {
        const mine = await pixels(b, 'unchanged');
        expect(mine, name).toEqual({ shape: pil[name]!.shape, data: pil[name]!.data });
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  });
  it('refuses wrong shapes, channel counts and values outside 0..255, naming the fix', async () => {
    await expect(encodePng(tensor([[1, 2]], { dtype: 'int32' }))).rejects.toThrow(/expected an image \[C, H, W\] \(3 dims\), got shape \[1, 2\]/);
    await expect(encodePng(tensor([[[[1]]]], { dtype: 'int32' }))).rejects.toThrow(/pass one image of the batch/);
    await expect(encodePng(fromTypedArray(new Int32Array(5), [5, 1, 1]))).rejects.toThrow(/expected 1, 2, 3 or 4 channels.*got 5/);
    await expect(encodeJpeg(fromTypedArray(new Int32Array(4), [4, 1, 1]))).rejects.toThrow(/expected 1 or 3 channels.*got 4/);
    await expect(encodePng(tensor([[[0, 256]]], { dtype: 'int32' }))).rejects.toThrow(/0–255, got 256 at \[0, 0, 1\]/);
    await expect(encodePng(tensor([[[0.5]]]))).rejects.toThrow(/got 0.5 at \[0, 0, 0\].*mul\(255\)/);
    await expect(encodePng(tensor([[[-1]]], { dtype: 'int32' }))).rejects.toThrow(/got -1/);
    await expect(encodeJpeg(tensor([[[1]]], { dtype: 'int32' }), { quality: 0 })).rejects.toThrow(/quality to be an integer 1–100, got 0/);
    await expect(encodePng(tensor([[[1]]], { dtype: 'int32' }), { compresionLevel: 1 } as never)).rejects.toThrow(/compressionLevel/);
    await expect(encodePng([1, 2] as never)).rejects.toThrow(TypeError);
  });
  it('writes and reads files; a missing file or a non-image names the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tg-vision-io-'));
    try {
      const img = await decodeImage(bytesOf('rgb.png'));
      await writePng(img, join(dir, 'a.png'));
      expect(await pixels(new Uint8Array(readFileSync(join(dir, 'a.png'))), 'unchanged')).toEqual(expected.images['rgb.png']!.pil.RGB);
      await writeJpeg(img, join(dir, 'a.jpg'), { quality: 90 });
      expect((await readImage(join(dir, 'a.jpg'), 'gray')).shape).toEqual([1, 5, 7]);
      await expect(readImage(join(dir, 'missing.png'))).rejects.toThrow(/readImage: cannot read '.*missing.png'/);
      await writeFile(join(dir, 'text.png'), 'not an image');
      await expect(readImage(join(dir, 'text.png'))).rejects.toThrow(/unknown image format.*\(file '.*text.png'\)/);
      await expect(writePng(img, join(dir, 'no', 'such', 'dir.png'))).rejects.toThrow(/writePng: cannot write/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
