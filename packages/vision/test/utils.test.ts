import { describe, expect, it } from 'vitest';
import { ones } from '@tensorgrad/tensor';
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
