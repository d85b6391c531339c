// The convolution kernels against the CPU backend's (themselves checked against PyTorch by the
// conformance suite): odd geometries, strided inputs, groups, the chapter 4 CNN's layer shapes,
// and dispatch grids past the per-dimension workgroup limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { findBackend, type Backend, type Tensor } from '@tensorgrad/tensor';
import { convOutSize, fromArray, kernelTensor, runKernel, wrapResult, type ConvGeometry, type OpAttrs } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
// a cold compile of a GEMM program takes several seconds on lavapipe (more on a loaded machine)
const COMPILE_TIMEOUT = 240_000;
const cpu = await findBackend('cpu');

type Pair = readonly [number, number];
interface Case {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride?: Pair;
  padding?: readonly [number, number, number, number];
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
  /** Read x (and the output gradient) through a channels-last view. */
  channelsLast?: boolean;
}

const cases: Case[] = [
  { name: 'basic 3x3 + bias', x: [2, 3, 7, 6], w: [4, 3, 3, 3], bias: true },
  { name: 'stride 2, asymmetric padding', x: [2, 2, 9, 8], w: [3, 2, 3, 2], stride: [2, 3], padding: [1, 0, 2, 1], bias: true },
  { name: 'dilation 2', x: [1, 2, 9, 9], w: [2, 2, 3, 3], dilation: [2, 3], padding: [2, 2, 1, 1] },
  { name: 'groups 3', x: [2, 6, 5, 5], w: [9, 2, 3, 3], groups: 3, bias: true, padding: [1, 1, 1, 1] },
  { name: 'depthwise', x: [1, 4, 6, 6], w: [4, 1, 3, 3], groups: 4, stride: [2, 2], padding: [1, 1, 1, 1] },
  { name: '1x1', x: [3, 5, 4, 4], w: [7, 5, 1, 1], bias: true },
  { name: 'channels-last input view', x: [2, 3, 6, 5], w: [4, 3, 3, 2], channelsLast: true, bias: true, padding: [0, 1, 1, 0] },
  { name: 'CNN conv1 (batch 3)', x: [3, 1, 28, 28], w: [64, 1, 3, 3], bias: true },
  { name: 'CNN conv2 (batch 2)', x: [2, 64, 13, 13], w: [128, 64, 3, 3], bias: true },
];

function random(shape: readonly number[], seed: number): Float32Array {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** `data` as a tensor of logical shape `shape` on `b`, stored channels-last when asked. */
function make(b: Backend, data: Float32Array, shape: readonly number[], channelsLast = false): Tensor {
  if (!channelsLast) return fromArray(b, data, [...shape], 'float32');
  const [n, c, h, w] = shape as [number, number, number, number];
  const nhwc = new Float32Array(data.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) nhwc[((i * h + y) * w + x) * c + j] = data[((i * c + j) * h + y) * w + x]!;
  const base = fromArray(b, nhwc, [n, h, w, c], 'float32');
  const view = base.permute([0, 3, 1, 2]);
  base.dispose(); // the view keeps the storage alive
  return view;
}

type ConvAttrs = OpAttrs['conv2d'];

/** What the conv2d front-end hands its kernels in `ctx.geometry` (x `[n, c, h, w]`, w `[o, c/groups, kh, kw]`). */
function convGeometry(x: readonly number[], w: readonly number[], a: ConvAttrs): ConvGeometry {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, , kh, kw] = w as [number, number, number, number];
  const [sh, sw] = a.stride;
  const [pt, pb, pl, pr] = a.padding;
  const [dh, dw] = a.dilation;
  const oh = convOutSize(h, kh, sh, pt + pb, dh);
  const ow = convOutSize(wd, kw, sw, pl + pr, dw);
  return { n, c, h, w: wd, o, kh, kw, oh, ow, sh, sw, pt, pb, pl, pr, dh, dw, groups: a.groups };
}

async function expectClose(actual: Tensor, expected: Tensor, label: string): Promise<void> {
  expect(actual.shape, label).toEqual(expected.shape);
  const a = await actual.data();
  const e = await expected.data();
  let scale = 1;
  for (const v of e) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < e.length; i++) {
    if (!(Math.abs(a[i]! - e[i]!) <= 1e-5 * scale + 1e-4 * Math.abs(e[i]!))) {
      throw new Error(`${label}: element ${i} is ${a[i]}, expected ${e[i]} (shape ${JSON.stringify(expected.shape)})`);
    }
  }
}

// both program variants on any adapter: 'direct' (registers only, chosen on software adapters)
// and 'staged' (tiles in workgroup memory, chosen on GPUs)
describe.each(['direct', 'staged'])('webgpu convolution kernels vs cpu (%s)', (variant) => {
  if (!gpu.backend) {
    it.skip(`no WebGPU adapter: ${gpu.reason}`, () => {});
    return;
  }
  const b = gpu.backend;
  let saved = b.softwareAdapter;
  beforeAll(() => {
    saved = b.softwareAdapter;
    b.softwareAdapter = variant === 'direct';
  });
  afterAll(() => {
    b.softwareAdapter = saved;
  });
  for (const c of cases) {
    it(c.name, async () => {
      const attrs: ConvAttrs = {
        stride: [...(c.stride ?? [1, 1])] as [number, number],
        padding: [...(c.padding ?? [0, 0, 0, 0])] as [number, number, number, number],
        dilation: [...(c.dilation ?? [1, 1])] as [number, number],
        groups: c.groups ?? 1,
      };
      const [n, ch, h, wd] = c.x;
      const [o, , kh, kw] = c.w;
      const oh = Math.floor((h + attrs.padding[0] + attrs.padding[1] - attrs.dilation[0] * (kh - 1) - 1) / attrs.stride[0]) + 1;
      const ow = Math.floor((wd + attrs.padding[2] + attrs.padding[3] - attrs.dilation[1] * (kw - 1) - 1) / attrs.stride[1]) + 1;
      const xd = random(c.x, 1);
      const wdata = random(c.w, 2);
      const bd = random([o], 3);
      const bcd = random([ch], 4);
      const gd = random([n, o, oh, ow], 5);
      const run = (be: Backend) => {
        const x = make(be, xd, c.x, c.channelsLast);
        const w = make(be, wdata, c.w);
        const bias = c.bias ? make(be, bd, [o]) : null;
        const biasC = c.bias ? make(be, bcd, [ch]) : null;
        const g = make(be, gd, [n, o, oh, ow], c.channelsLast);
        const geometry = convGeometry(c.x, c.w, attrs);
        const ctx = (shape: number[]) => ({ backend: be, shape, dtype: 'float32' as const, geometry });
        const y = wrapResult(be, runKernel('conv2d', 'conv2d', ctx([n, o, oh, ow]), kernelTensor(x), kernelTensor(w), bias && kernelTensor(bias), attrs));
        const dx = wrapResult(
          be,
          runKernel('conv2dInputGrad', 'conv2dInputGrad', ctx(c.x), kernelTensor(g), kernelTensor(w), biasC && kernelTensor(biasC), { ...attrs, inputSize: [h, wd] }),
        );
        const dw = wrapResult(be, runKernel('conv2dWeightGrad', 'conv2dWeightGrad', ctx(c.w), kernelTensor(x), kernelTensor(g), { ...attrs, kernelSize: [kh, kw] }));
        return { y, dx, dw, inputs: [x, w, g, bias, biasC] };
      };
      const before = tg.memory('webgpu').numTensors;
      const got = run(b);
      const want = run(cpu);
      try {
        await expectClose(got.y, want.y, 'conv2d');
        await expectClose(got.dx, want.dx, 'conv2dInputGrad');
        await expectClose(got.dw, want.dw, 'conv2dWeightGrad');
      } finally {
        for (const r of [got, want]) for (const t of [r.y, r.dx, r.dw, ...r.inputs]) t?.dispose();
      }
      expect(tg.memory('webgpu').numTensors).toBe(before);
    }, COMPILE_TIMEOUT);
  }

  it('dispatch grids past the per-dimension workgroup limit', async () => {
    const saved = b.maxWorkgroupsPerDimension;
    b.maxWorkgroupsPerDimension = 3;
    try {
      const xd = random([2, 2, 20, 20], 7);
      const wdata = random([5, 2, 3, 3], 8);
      const attrs: ConvAttrs = { stride: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 };
      const geometry = convGeometry([2, 2, 20, 20], [5, 2, 3, 3], attrs);
      const ctx = (be: Backend) => ({ backend: be, shape: [2, 5, 20, 20], dtype: 'float32' as const, geometry });
      const y = (be: Backend) =>
        wrapResult(be, runKernel('conv2d', 'conv2d', ctx(be), kernelTensor(make(be, xd, [2, 2, 20, 20])), kernelTensor(make(be, wdata, [5, 2, 3, 3])), null, attrs));
      await expectClose(y(b), y(cpu), 'conv2d with a 2-D grid');
    } finally {
      b.maxWorkgroupsPerDimension = saved;
    }
  }, COMPILE_TIMEOUT);
});
