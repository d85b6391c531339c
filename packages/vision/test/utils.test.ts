import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ones, tensor, zeros } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import * as vision from '@tensorgrad/vision';

import { casesOf, toTensor, type GT } from './fixture-cases.js';

describe('makeGrid against torchvision.utils.make_grid', () => {
  for (const c of casesOf('makeGrid')) {
    it(c.id, async () => {
      const input = Array.isArray(c.inputs[0]) ? (c.inputs[0] as GT[]).map(toTensor) : toTensor(c.inputs[0] as GT);
      const out = vision.makeGrid(input, c.options);
      expect(out.shape).toEqual(c.output.shape);
      const got = await out.data();
      const want = c.output.data.map(Number);
      const tol = c.output.dtype === 'float64' ? 1e-12 : 1e-6;
      want.forEach((w, i) => expect(Math.abs(got[i]! - w), `element ${i}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w))));
    });
  }
  it('accepts torchvision positional arguments and int32 images; refuses bad options', async () => {
    const x = ones([2, 3, 1, 1], { dtype: 'int32' });
    expect(await vision.makeGrid(x, 1, 0).array()).toEqual([[[1], [1]], [[1], [1]], [[1], [1]]]);
    expect(() => vision.makeGrid(x, { nrows: 2 } as never)).toThrow(/nrows.*nrow/);
    expect(() => vision.makeGrid(x, { nrow: 0 })).toThrow(/nrow to be an integer ≥ 1, got 0/);
    expect(() => vision.makeGrid(x, { padding: -1 })).toThrow(/padding to be an integer ≥ 0/);
    expect(() => vision.makeGrid(x, { normalize: true })).toThrow(/normalize needs a floating point tensor, got int32/);
    expect(() => vision.makeGrid(x.float(), { normalize: true, valueRange: [0] as never })).toThrow(/valueRange to be a pair/);
    expect(() => vision.makeGrid(ones([2, 2, 2, 2, 2]))).toThrow(/\[B, C, H, W\].*got shape \[2, 2, 2, 2, 2\]/);
    expect(() => vision.makeGrid([] as never)).toThrow(TypeError);
  });
});

describe('saveImage against torchvision.utils.save_image (the PNG read back with PIL)', () => {
  for (const c of casesOf('saveImage')) {
    it(c.id, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tg-save-'));
      try {
        await vision.saveImage(toTensor(c.inputs[0] as GT), join(dir, 'out.png'), c.options);
        const back = await vision.readImage(join(dir, 'out.png'));
        expect(back.shape).toEqual(c.output.shape);
        expect(Array.from(await back.data())).toEqual(c.output.data);
        // JPEG by extension: the same grid within JPEG error
        await vision.saveImage(toTensor(c.inputs[0] as GT), join(dir, 'out.JPG'), c.options);
        const jpg = await (await vision.readImage(join(dir, 'out.JPG'))).data();
        let err = 0;
        jpg.forEach((v, i) => (err += Math.abs(v - (c.output.data[i] as number))));
        expect(err / jpg.length).toBeLessThan(40);
      } finally {
        await rm(dir, { recursive: true });
      }
    });
  }
  it('refuses unknown extensions and formats, naming the fix', async () => {
    const x = ones([1, 3, 2, 2]);
    await expect(vision.saveImage(x, '/tmp/x.bmp')).rejects.toThrow(/cannot tell the image format from the file name '\/tmp\/x.bmp' \(extension '.bmp'\); use .png, .jpg or .jpeg/);
    await expect(vision.saveImage(x, '/tmp/x.png', { format: 'gif' as never })).rejects.toThrow(/format 'png' or 'jpeg', got "gif"/);
    await expect(vision.saveImage(x, '/tmp/x.png', { nrows: 2 } as never)).rejects.toThrow(/nrows/);
  });
});

describe('drawBoundingBoxes against torchvision.utils.draw_bounding_boxes (pixel-exact)', () => {
  for (const c of casesOf('drawBoundingBoxes')) {
    it(c.id, async () => {
      const out = await vision.drawBoundingBoxes(toTensor(c.inputs[0] as GT), toTensor(c.inputs[1] as GT), c.options);
      expect(out.dtype).toBe('int32');
      expect(out.shape).toEqual(c.output.shape);
      const got = Array.from(await out.data());
      const bad = got.flatMap((v, i) => (v === c.output.data[i] ? [] : [`${i}: ${v} vs ${c.output.data[i]}`]));
      expect(bad.slice(0, 10)).toEqual([]);
    });
  }
  it('refuses labels (PIL font), wrong dtypes and shapes, reversed boxes and too few colours', async () => {
    const img = zeros([3, 4, 4], { dtype: 'int32' });
    const boxes = tensor([[0, 0, 2, 2]]);
    await expect(vision.drawBoundingBoxes(img, boxes, { labels: ['cat'] })).rejects.toThrow(/labels is not supported by tensorgrad: torchvision draws labels with PIL's built-in bitmap font/);
    await expect(vision.drawBoundingBoxes(img.float(), boxes)).rejects.toThrow(/expected an int32 image with values 0–255 \(torchvision: uint8\), got float32/);
    await expect(vision.drawBoundingBoxes(img.unsqueeze(0), boxes)).rejects.toThrow(/one image \[C, H, W\]/);
    await expect(vision.drawBoundingBoxes(zeros([2, 4, 4], { dtype: 'int32' }), boxes)).rejects.toThrow(/1 or 3 channels/);
    await expect(vision.drawBoundingBoxes(img, tensor([0, 0, 2, 2]))).rejects.toThrow(/boxes \[N, 4\]/);
    await expect(vision.drawBoundingBoxes(img, tensor([[2, 0, 1, 2]]))).rejects.toThrow(/box 0 is \[2, 0, 1, 2\].*xmin ≤ xmax/);
    await expect(vision.drawBoundingBoxes(img, tensor([[0, 0, 1, 1], [0, 0, 2, 2]]), { colors: ['red'] })).rejects.toThrow(/number of colors \(1\) is less than the number of boxes \(2\)/);
    await expect(vision.drawBoundingBoxes(img, boxes, { colors: 'reddish' })).rejects.toThrow(/PIL colour name.*got "reddish"/);
    await expect(vision.drawBoundingBoxes(img, boxes, { colour: 'red' } as never)).rejects.toThrow(/colour/);
    expect(await (await vision.drawBoundingBoxes(img, zeros([0, 4]))).array()).toEqual(await img.array());
    // positional form: (image, boxes, labels, colors, fill, width)
    const out = await vision.drawBoundingBoxes(img, boxes, null, 'rgb(1, 2, 3)', false, 1);
    expect(await out.select(2, 0).array()).toEqual([[1, 1, 1, 0], [2, 2, 2, 0], [3, 3, 3, 0]]); // column 0 of each channel
  });
});
