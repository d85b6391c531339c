import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromTypedArray, memory, tensor, zeros } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { drawSegmentationMasks, type DrawSegmentationMasksOptions } from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';

const missing = torchMissingReason();

interface Case {
  id: string;
  channels: number;
  h: number;
  w: number;
  n: number | null; // null: one [H, W] mask
  options: DrawSegmentationMasksOptions;
}

const CASES: Case[] = [
  { id: 'defaults', channels: 3, h: 7, w: 9, n: 3, options: {} },
  { id: 'alpha 0.5, named and hex colours', channels: 3, h: 6, w: 5, n: 2, options: { alpha: 0.5, colors: ['red', '#00ff80'] } },
  { id: 'alpha 0.3, tuples', channels: 3, h: 8, w: 8, n: 3, options: { alpha: 0.3, colors: [[10, 200, 30], [255, 255, 0], [1, 2, 3]] } },
  { id: 'one colour for all', channels: 3, h: 5, w: 6, n: 4, options: { alpha: 0.7, colors: 'blue' } },
  { id: 'one [H, W] mask', channels: 3, h: 4, w: 7, n: null, options: { alpha: 0.9 } },
  { id: 'alpha 1', channels: 3, h: 4, w: 4, n: 2, options: { alpha: 1 } },
  { id: 'alpha 0', channels: 3, h: 4, w: 4, n: 2, options: { alpha: 0 } },
  { id: 'alpha 0.1, more colours than masks', channels: 3, h: 9, w: 3, n: 2, options: { alpha: 0.1, colors: ['white', 'rgb(7, 8, 9)', 'black'] } },
];

/** A deterministic pseudo-random sequence (an LCG), independent of the code under test. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe.skipIf(missing !== null)('drawSegmentationMasks against torchvision.utils.draw_segmentation_masks (pixel-exact, run at test time)', () => {
  it('matches torchvision on every case', async () => {
    const inputs = CASES.map((c, k) => {
      const r = lcg(k + 1);
      const image = Array.from({ length: c.channels * c.h * c.w }, () => Math.floor(r() * 256));
      const masks = Array.from({ length: (c.n ?? 1) * c.h * c.w }, () => r() < 0.4);
      return { ...c, image, masks };
    });
    const dir = mkdtempSync(join(tmpdir(), 'tg-dsm-'));
    try {
      writeFileSync(join(dir, 'in.json'), JSON.stringify(inputs));
      const out = runPython(
        `
import json, sys, torch
from torchvision.utils import draw_segmentation_masks
cases = json.load(open(sys.argv[1]))
res = []
for c in cases:
    img = torch.tensor(c['image'], dtype=torch.uint8).reshape(c['channels'], c['h'], c['w'])
    n = c['n']
    m = torch.tensor(c['masks'], dtype=torch.bool).reshape(*( [c['h'], c['w']] if n is None else [n, c['h'], c['w']] ))
    kw = {}
    if 'alpha' in c['options']: kw['alpha'] = c['options']['alpha']
    if 'colors' in c['options']:
        col = c['options']['colors']
        # one colour for all masks: torchvision 0.14 paints only the first mask with it (fixed in
        # 0.16, which repeats it); tensorgrad repeats it, so the reference gets the list
        kw['colors'] = [col] * m.shape[0] if isinstance(col, str) else [x if isinstance(x, str) else tuple(x) for x in col]
    res.append(draw_segmentation_masks(img, m, **kw).flatten().tolist())
print(json.dumps(res))
`,
        [join(dir, 'in.json')],
      );
      const want = JSON.parse(out) as number[][];
      for (let k = 0; k < inputs.length; k++) {
        const c = inputs[k]!;
        const image = fromTypedArray(Int32Array.from(c.image), [c.channels, c.h, c.w]);
        const masks = fromTypedArray(Uint8Array.from(c.masks, Number), c.n === null ? [c.h, c.w] : [c.n, c.h, c.w], { dtype: 'bool' });
        const got = await drawSegmentationMasks(image, masks, c.options);
        expect(got.shape, c.id).toEqual([3, c.h, c.w]);
        expect(got.dtype).toBe('int32');
        expect(Array.from(await got.data()), c.id).toEqual(want[k]);
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 120_000);
});

describe('drawSegmentationMasks', () => {
  it('leaves no tensor behind for a [H, W] mask (only the result is new)', async () => {
    const image = tensor([[[10, 20]], [[30, 40]], [[50, 60]]], { dtype: 'int32' });
    const mask = tensor([[true, false]], { dtype: 'bool' });
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const out = await drawSegmentationMasks(image, mask, { alpha: 1, colors: 'red' });
      expect(await out.array()).toEqual([[[255, 20]], [[0, 40]], [[0, 60]]]);
      out.dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('repeats a grey image to RGB, returns a copy without masks, takes the positional form', async () => {
    const grey = tensor([[[10, 20]]], { dtype: 'int32' });
    const masks = tensor([[[true, false]]], { dtype: 'bool' });
    expect(await (await drawSegmentationMasks(grey, masks, 1, ['lime'])).array()).toEqual([[[0, 20]], [[255, 20]], [[0, 20]]]);
    expect(await (await drawSegmentationMasks(grey, zeros([0, 1, 2], { dtype: 'bool' }))).array()).toEqual([[[10, 20]], [[10, 20]], [[10, 20]]]);
  });

  it('refuses bad input with torchvision\'s checks and a fix', async () => {
    const img = zeros([3, 2, 2], { dtype: 'int32' });
    const m = zeros([2, 2, 2], { dtype: 'bool' });
    await expect(drawSegmentationMasks(img.float(), m)).rejects.toThrow(/int32 image with values 0–255 \(torchvision: uint8\), got float32/);
    await expect(drawSegmentationMasks(img, zeros([2, 2, 2], { dtype: 'int32' }))).rejects.toThrow(/bool masks.*got int32; convert 0\/1 masks with masks.gt\(0\)/);
    await expect(drawSegmentationMasks(img, zeros([2, 3, 2], { dtype: 'bool' }))).rejects.toThrow(/same height and width: image \[3, 2, 2\], masks \[2, 3, 2\]/);
    await expect(drawSegmentationMasks(img, zeros([1, 2, 2, 2], { dtype: 'bool' }))).rejects.toThrow(/\[H, W\] or \[N, H, W\]/);
    await expect(drawSegmentationMasks(img, m, { colors: ['red'] })).rejects.toThrow(/more masks \(2\) than colors \(1\)/);
    await expect(drawSegmentationMasks(img, m, { colors: 'reddish' })).rejects.toThrow(/drawSegmentationMasks: expected a colour/);
    await expect(drawSegmentationMasks(img, m, { alpha: 1.5 })).rejects.toThrow(/alpha to be a number in \[0, 1\], got 1.5/);
    await expect(drawSegmentationMasks(img, m, { colours: 'red' } as never)).rejects.toThrow(/colors/);
    await expect(drawSegmentationMasks(zeros([2, 3, 2, 2], { dtype: 'int32' }), m)).rejects.toThrow(/one image \[C, H, W\]/);
  });
});
