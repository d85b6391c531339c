// conv2d, convTranspose2d, maxPool2d, avgPool2d, adaptiveAvgPool2d (and the gradient helper ops
// conv2dInputGrad, conv2dWeightGrad, avgPool2dBackward, adaptiveAvgPool2dBackward): the PyTorch
// golden cases run in the conformance suite (backend-cpu's conformance tests); here a naive
// six-deep-loop reference for random geometries, float64 gradcheck, errors and leaks
// (conv2d's speed is measured in bench/suite.mjs, not here).
import { describe, expect, it } from 'vitest';
import { Tensor, adaptiveAvgPool2d, adaptiveAvgPool2dBackward, avgPool2d, avgPool2dBackward, conv2d, conv2dInputGrad, conv2dWeightGrad, convTranspose2d, getBackend, maxPool2d, memory, tidy, type DType, type TypedArray } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import { gradcheck } from '@tensorgrad/autodiff';

// ---------------------------------------------------------------------------------------------
// independent references

let seed = 12345;
function rand(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out.push(((seed >>> 8) / 2 ** 24) * 4 - 2);
  }
  return out;
}
const size = (s: number[]): number => s.reduce((a, b) => a + 0 * b, 0) || s.reduce((a, b) => a * b, 1);
function rt(shape: number[], dtype: DType = 'float64'): Tensor {
  const data = rand(size(shape));
  return fromArray(getBackend(), dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data), shape, dtype);
}
const vals = (t: Tensor): number[] => Array.from(t.dataSync() as TypedArray);

interface Geo {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

/** The textbook six-deep loop: out[n,o,y,x] = b[o] + Σ x[n, g·cg + c, y·s − p + i·d, x·s − p + j·d]·w[o,c,i,j]. */
function refConv(x: number[], xs: number[], w: number[], ws: number[], b: number[] | null, g: Geo): { data: number[]; shape: number[] } {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, cg, KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + 2 * g.padding[0] - g.dilation[0] * (KH - 1) - 1) / g.stride[0]) + 1;
  const OW = Math.floor((W + 2 * g.padding[1] - g.dilation[1] * (KW - 1) - 1) / g.stride[1]) + 1;
  const og = O / g.groups;
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let y = 0; y < OH; y++)
        for (let xx = 0; xx < OW; xx++) {
          let s = b ? b[o]! : 0;
          const grp = Math.floor(o / og);
          for (let c = 0; c < cg; c++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const ih = y * g.stride[0] - g.padding[0] + i * g.dilation[0];
                const iw = xx * g.stride[1] - g.padding[1] + j * g.dilation[1];
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                s += x[((n * C + grp * cg + c) * H + ih) * W + iw]! * w[((o * cg + c) * KH + i) * KW + j]!;
              }
          out.push(s);
        }
  void C;
  return { data: out, shape: [N, O, OH, OW] };
}

const geos: { name: string; xs: number[]; ws: number[]; g: Geo }[] = [
  { name: 'plain', xs: [2, 3, 7, 6], ws: [4, 3, 3, 3], g: { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 } },
  { name: 'stride-pad', xs: [2, 2, 8, 9], ws: [3, 2, 3, 2], g: { stride: [2, 3], padding: [1, 2], dilation: [1, 1], groups: 1 } },
  { name: 'dilation', xs: [1, 2, 9, 8], ws: [2, 2, 3, 3], g: { stride: [1, 2], padding: [2, 1], dilation: [2, 3], groups: 1 } },
  { name: 'groups', xs: [2, 6, 6, 6], ws: [9, 2, 3, 3], g: { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 3 } },
  { name: 'pointwise', xs: [2, 5, 4, 3], ws: [7, 5, 1, 1], g: { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 } },
  { name: 'big-gemm', xs: [2, 16, 12, 12], ws: [20, 16, 3, 3], g: { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 } },
];

describe('conv2d against a naive loop', () => {
  it.each(geos.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const before = memory().numTensors;
    tidy(() => {
      const x = rt(c.xs);
      const w = rt(c.ws);
      const b = rt([c.ws[0]!]);
      const ref = refConv(vals(x), c.xs, vals(w), c.ws, vals(b), c.g);
      const y = conv2d(x, w, b, c.g);
      expect(y.shape).toEqual(ref.shape);
      vals(y).forEach((v, i) => expect(Math.abs(v - ref.data[i]!)).toBeLessThan(1e-10));
      // float32 agrees too
      const y32 = conv2d(x.float(), w.float(), b.float(), c.g);
      vals(y32).forEach((v, i) => expect(Math.abs(v - ref.data[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(ref.data[i]!))));
      // a strided (non-contiguous) input view gives the same result
      const xt = x.transpose(2, 3).contiguous().transpose(2, 3);
      vals(conv2d(xt, w, b, c.g)).forEach((v, i) => expect(Math.abs(v - ref.data[i]!)).toBeLessThan(1e-10));
    });
    expect(memory().numTensors).toBe(before);
  });

  it('convTranspose2d is the adjoint of conv2d: <conv(x), y> = <x, convT(y)>', () => {
    tidy(() => {
      for (const c of geos) {
        const x = rt(c.xs);
        const w = rt(c.ws);
        const y = conv2d(x, w, null, c.g);
        const r = rt([...y.shape]);
        // outputPadding restores the rows/cols that conv2d's floor division dropped
        const outputPadding = [0, 1].map((d) => (c.xs[2 + d]! + 2 * c.g.padding[d]! - c.g.dilation[d]! * (c.ws[2 + d]! - 1) - 1) % c.g.stride[d]!);
        const t = convTranspose2d(r, w, null, { ...c.g, outputPadding });
        expect(t.shape).toEqual(x.shape);
        const xs = x;
        const lhs = y.mul(r).sum().itemSync() as number;
        const rhs = xs.mul(t).sum().itemSync() as number;
        expect(Math.abs(lhs - rhs), `${c.name}: ${lhs} vs ${rhs}`).toBeLessThan(1e-9 * (1 + Math.abs(lhs)));
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// gradcheck (float64)

describe('gradcheck', () => {
  const convGeos: [string, number[], number[], Geo][] = [
    ['plain', [1, 2, 4, 4], [2, 2, 2, 2], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
    ['stride-pad', [2, 2, 5, 4], [2, 2, 3, 2], { stride: [2, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
    ['dilation', [1, 1, 6, 5], [2, 1, 2, 2], { stride: [1, 1], padding: [1, 0], dilation: [2, 2], groups: 1 }],
    ['groups', [1, 4, 4, 4], [4, 2, 2, 2], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 2 }],
  ];
  it.each(convGeos)('conv2d %s', (_n, xs, ws, g) => {
    tidy(() => {
      expect(gradcheck((x, w, b) => conv2d(x!, w!, b!, g), [rt(xs), rt(ws), rt([ws[0]!])])).toBe(true);
    });
  });
  it("conv2d padding 'same' with an even kernel (asymmetric)", () => {
    tidy(() => {
      const x = rt([1, 1, 4, 4]);
      const y = conv2d(x, rt([1, 1, 2, 2]), null, { padding: 'same' });
      expect(y.shape).toEqual([1, 1, 4, 4]);
      expect(gradcheck((x, w) => conv2d(x!, w!, null, { padding: 'same', dilation: [1, 2] }), [x, rt([2, 1, 2, 3])])).toBe(true);
    });
  });
  it.each([
    ['plain', [1, 2, 3, 3], [2, 2, 2, 2], {}],
    ['stride-pad-outpad', [1, 2, 3, 2], [2, 1, 3, 3], { stride: 2, padding: 1, outputPadding: 1 }],
    ['dilation-groups', [1, 4, 2, 3], [4, 1, 2, 2], { dilation: 2, groups: 2, stride: [1, 2] }],
    ['outpad-by-dilation', [1, 1, 3, 3], [1, 1, 2, 2], { dilation: 2, outputPadding: 1 }],
  ] as const)('convTranspose2d %s', (_n, xs, ws, o) => {
    tidy(() => {
      const cout = ws[1] * ((o as { groups?: number }).groups ?? 1);
      expect(gradcheck((x, w, b) => convTranspose2d(x!, w!, b!, o), [rt([...xs]), rt([...ws]), rt([cout])])).toBe(true);
    });
  });
  it('conv2dInputGrad and conv2dWeightGrad (double backward)', () => {
    tidy(() => {
      const opts = { stride: 2, padding: 1 };
      expect(gradcheck((g, w) => conv2dInputGrad([1, 2, 5, 5], w!, g!, opts), [rt([1, 3, 3, 3]), rt([3, 2, 3, 3])])).toBe(true);
      expect(gradcheck((x, g) => conv2dWeightGrad(x!, [3, 2, 3, 3], g!, opts), [rt([1, 2, 5, 5]), rt([1, 3, 3, 3])])).toBe(true);
    });
  });
  it.each([
    ['k2', [1, 2, 4, 4], { kernelSize: 2 }],
    ['k3-s2-p1', [1, 1, 5, 5], { kernelSize: 3, stride: 2, padding: 1 }],
    ['dilation-ceil', [1, 1, 6, 7], { kernelSize: 2, stride: 2, dilation: 2, ceilMode: true }],
    ['overlap', [1, 1, 4, 4], { kernelSize: [2, 3], stride: 1 }],
  ] as const)('maxPool2d %s', (_n, xs, o) => {
    tidy(() => {
      expect(gradcheck((x) => maxPool2d(x!, o), [rt([...xs])])).toBe(true);
    });
  });
  it.each([
    ['k2', [1, 2, 4, 4], { kernelSize: 2 }],
    ['k3-s2-p1', [1, 1, 5, 5], { kernelSize: 3, stride: 2, padding: 1 }],
    ['exclude-pad-ceil', [1, 1, 5, 6], { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false, ceilMode: true }],
    ['divisor', [1, 1, 4, 4], { kernelSize: [2, 3], stride: 1, divisorOverride: 5 }],
  ] as const)('avgPool2d %s', (_n, xs, o) => {
    tidy(() => {
      expect(gradcheck((x) => avgPool2d(x!, o), [rt([...xs])])).toBe(true);
      const ys = avgPool2d(rt([...xs]), o).shape;
      expect(gradcheck((g) => avgPool2dBackward(g!, [...xs], o), [rt([...ys])])).toBe(true);
    });
  });
  it.each([
    [[1, 2, 5, 7], [3, 4]],
    [[1, 1, 6, 6], [3, 3]],
    [[2, 1, 3, 3], [5, 2]],
  ] as const)('adaptiveAvgPool2d %j -> %j', (xs, os) => {
    tidy(() => {
      expect(gradcheck((x) => adaptiveAvgPool2d(x!, os), [rt([...xs])])).toBe(true);
      expect(gradcheck((g) => adaptiveAvgPool2dBackward(g!, [...xs]), [rt([xs[0], xs[1], os[0], os[1]])])).toBe(true);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// semantics, unbatched inputs, errors, leaks

describe('semantics', () => {
  it('accepts unbatched (C, H, W) inputs like PyTorch', () => {
    tidy(() => {
      const x = rt([2, 5, 5]);
      const w = rt([3, 2, 3, 3]);
      expect(vals(conv2d(x, w, null, { padding: 1 }))).toEqual(vals(conv2d(x.unsqueeze(0), w, null, { padding: 1 })));
      expect(conv2d(x, w).shape).toEqual([3, 3, 3]);
      expect(convTranspose2d(x, rt([2, 3, 2, 2])).shape).toEqual([3, 6, 6]);
      expect(maxPool2d(x, 2).shape).toEqual([2, 2, 2]);
      expect(avgPool2d(x, 2).shape).toEqual([2, 2, 2]);
      expect(adaptiveAvgPool2d(x, 1).shape).toEqual([2, 1, 1]);
      const xg = rt([2, 4, 4]).requiresGrad_();
      maxPool2d(xg, 2).sum().backward();
      expect(xg.grad!.shape).toEqual([2, 4, 4]);
      expect(vals(xg.grad!).reduce((a, b) => a + b, 0)).toBe(8);
      xg.dispose();
    });
  });
  it('maxPool2d: NaN propagates, the first maximum wins ties, padding never wins', () => {
    tidy(() => {
      const x = fromArray(getBackend(), Float64Array.from([1, NaN, 3, 3, -5, -6, -7, -8]), [1, 2, 2, 2], 'float64');
      expect(vals(maxPool2d(x, 2))).toEqual([NaN, -5]);
      const t = fromArray(getBackend(), Float64Array.from([2, 2, 2, 2]), [1, 1, 2, 2], 'float64').requiresGrad_();
      maxPool2d(t, 2).sum().backward();
      expect(vals(t.grad!)).toEqual([1, 0, 0, 0]);
      const neg = fromArray(getBackend(), Float64Array.from([-1, -2, -3, -4]), [1, 1, 2, 2], 'float64');
      expect(vals(maxPool2d(neg, { kernelSize: 2, stride: 1, padding: 1 }))).toEqual([-1, -1, -2, -1, -1, -2, -3, -3, -4]);
      t.dispose();
    });
  });
  it('ceilMode drops a last window that starts in the right padding', () => {
    tidy(() => {
      expect(maxPool2d(rt([1, 1, 5, 5]), { kernelSize: 2, ceilMode: true }).shape).toEqual([1, 1, 3, 3]);
      expect(avgPool2d(rt([1, 1, 4, 4]), { kernelSize: 2, stride: 2, padding: 1, ceilMode: true }).shape).toEqual([1, 1, 3, 3]);
    });
  });
});

describe('errors', () => {
  const x = rt([1, 3, 5, 5]);
  it.each([
    ['channels mismatch', () => conv2d(x, rt([2, 4, 3, 3])), /expected input \[1,3,5,5\] to have 4 channels.*got 3/],
    ['groups not dividing', () => conv2d(x, rt([2, 1, 3, 3]), null, { groups: 2 }), /divisible by groups/],
    ['kernel larger than input', () => conv2d(x, rt([2, 3, 7, 7])), /padded input size per channel \(5 x 5\).*kernel size \(7 x 7\)/],
    ['same with stride', () => conv2d(x, rt([2, 3, 3, 3]), null, { stride: 2, padding: 'same' }), /'same' is not supported for strided/],
    ['bad padding string', () => conv2d(x, rt([2, 3, 3, 3]), null, { padding: 'full' as never }), /'same' or 'valid'/],
    ['bias shape', () => conv2d(x, rt([2, 3, 3, 3]), rt([3])), /expected bias of shape \[2\]/],
    ['2-D input', () => conv2d(rt([5, 5]), rt([2, 3, 3, 3])), /3-D \(C, H, W\) or 4-D/],
    ['3-D weight', () => conv2d(x, rt([2, 3, 3])), /4-D weight/],
    ['dtype mismatch', () => conv2d(x, rt([2, 3, 3, 3], 'float32')), /dtype of input \(float64\)/],
    ['int input', () => maxPool2d(fromArray(getBackend(), new Int32Array(4), [1, 1, 2, 2], 'int32'), 2), /floating-point input/],
    ['stride 0', () => conv2d(x, rt([2, 3, 3, 3]), null, { stride: 0 }), /stride to be an integer >= 1/],
    ['transpose channels', () => convTranspose2d(x, rt([2, 3, 3, 3])), /to have 2 channels/],
    ['transpose outputPadding', () => convTranspose2d(x, rt([3, 3, 3, 3]), null, { outputPadding: 1 }), /smaller than either stride or dilation/],
    ['pool pad too big', () => maxPool2d(x, { kernelSize: 2, padding: 2 }), /at most half of the kernel size/],
    ['pool output too small', () => maxPool2d(x, 6), /output size \(0 x 0\) is too small/],
    ['pool missing kernel', () => avgPool2d(x, {} as never), /avgPool2d: missing required argument kernelSize/],
    ['adaptive bad size', () => adaptiveAvgPool2d(x, 0), /positive integer/],
  ] as const)('%s', (_n, fn, re) => {
    const before = memory().numTensors;
    expect(() => tidy(fn as () => Tensor)).toThrow(re);
    expect(memory().numTensors).toBe(before);
  });
});
