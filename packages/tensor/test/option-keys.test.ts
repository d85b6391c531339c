// Every exported op and creation function of @tensorgrad/tensor refuses an option key it does not
// know, naming it (DESIGN.md §5: nothing is ever silently ignored). The table must list every
// exported function: a new op that is missing from it fails the first test.
import { describe, expect, it } from 'vitest';
import * as T from '@tensorgrad/tensor';
import { Tensor, tensor, zeros, ones } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';

type Args = () => unknown[];
const x = (): Tensor => tensor([[1, -2, 3], [4, 5, -6]]);
const img = (): Tensor => ones([1, 1, 4, 4]);
const idx = (): Tensor => tensor([[0, 1, 0], [1, 0, 1]], { dtype: 'int32' });
const mask = (): Tensor => tensor([[true, false, true], [false, true, false]]);

/** Each exported op/creation function with the tensor arguments of a minimal valid call. */
const OPS: Readonly<Record<string, Args>> = {
  add: () => [x(), 1], sub: () => [x(), 1], mul: () => [x(), 2], div: () => [x(), 2], pow: () => [x(), 2],
  eq: () => [x(), 1], ne: () => [x(), 1], lt: () => [x(), 1], le: () => [x(), 1], gt: () => [x(), 1], ge: () => [x(), 1],
  neg: () => [x()], abs: () => [x()], exp: () => [x()], log: () => [x()], sqrt: () => [x()], square: () => [x()],
  sin: () => [x()], cos: () => [x()], tanh: () => [x()], sigmoid: () => [x()], relu: () => [x()], sign: () => [x()],
  leakyRelu: () => [x()], prelu: () => [x().float(), tensor([0.25])], gelu: () => [x()], clamp: () => [x(), 0], clampMin: () => [x(), 0], clampMax: () => [x(), 0],
  sum: () => [x()], mean: () => [x()], any: () => [x()], all: () => [x()], max: () => [x(), 1], min: () => [x(), 1], argmax: () => [x()], argmin: () => [x()],
  std: () => [x()], var: () => [x()],
  matmul: () => [x(), x().transpose(0, 1)], mm: () => [x(), x().transpose(0, 1)], bmm: () => [x().unsqueeze(0), x().transpose(0, 1).unsqueeze(0)],
  reshape: () => [x(), [3, 2]], view: () => [x(), [3, 2]], flatten: () => [x()], permute: () => [x(), [1, 0]],
  transpose: () => [x(), 0, 1], squeeze: () => [x()], unsqueeze: () => [x(), 0], expand: () => [x(), [2, 3]],
  select: () => [x(), 0, 1], narrow: () => [x(), 1, 0, 2], slice: () => [x(), 1, 0, 2],
  contiguous: () => [x()], clone: () => [x()], to: () => [x(), 'float64'], cat: () => [[x(), x()]], stack: () => [[x(), x()]],
  where: () => [mask(), x(), 0], maskedFill: () => [x(), mask(), 0],
  gather: () => [x(), idx(), 1], scatterAdd: () => [x(), idx(), x(), 1], indexSelect: () => [x(), tensor([0], { dtype: 'int32' }), 0],
  oneHot: () => [tensor([0, 2], { dtype: 'int32' })], softmax: () => [x(), -1], logSoftmax: () => [x(), -1], pad: () => [x(), [1, 1]],
  conv2d: () => [img(), ones([1, 1, 2, 2])], convTranspose2d: () => [img(), ones([1, 1, 2, 2])],
  conv2dInputGrad: () => [[1, 1, 4, 4], ones([1, 1, 2, 2]), ones([1, 1, 3, 3])], conv2dWeightGrad: () => [img(), [1, 1, 2, 2], ones([1, 1, 3, 3])],
  maxPool2d: () => [img(), 2], avgPool2d: () => [img(), 2], avgPool2dBackward: () => [ones([1, 1, 2, 2]), [1, 1, 4, 4], 2],
  adaptiveAvgPool2d: () => [img(), 1], adaptiveAvgPool2dBackward: () => [ones([1, 1, 1, 1]), [1, 1, 4, 4]],
  batchNorm: () => [img(), zeros([1]), ones([1])], layerNorm: () => [x(), [3]], dropout: () => [x()], interpolate: () => [img(), { size: 2 }],
  // vision layers' functional forms
  instanceNorm: () => [img().add(tensor([[[[0, 1, 2, 3]]]]))], groupNorm: () => [img(), 1], pixelShuffle: () => [ones([1, 4, 2, 2]), 2],
  pixelUnshuffle: () => [img(), 2], dropout2d: () => [img()],
  tensor: () => [[1, 2]], zeros: () => [[2]], ones: () => [[2]], full: () => [[2], 1], empty: () => [[2]],
  zerosLike: () => [x()], onesLike: () => [x()], fullLike: () => [x(), 1], randLike: () => [x()], randnLike: () => [x()],
  arange: () => [3], linspace: () => [0, 1, 3], eye: () => [2], rand: () => [[2]], randn: () => [[2]], randint: () => [5, [2]], randperm: () => [4],
  fromTypedArray: () => [new Float32Array([1, 2])],
  nonzero: () => [x()], nonzeroStatic: () => [x(), 2], maskedSelect: () => [x(), mask()],
  indexPut: () => [x(), [tensor([0], { dtype: 'int32' })], 0], index: () => [x(), 0], indexAssign_: () => [x(), [0], 0],
  // Vision I (ops-max)
  maximum: () => [x(), x()], minimum: () => [x(), x()], norm: () => [x().float()],
  maxUnpool2d: () => [img(), zeros([1, 1, 4, 4], { dtype: 'int32' }), 1],
  // sorting, scans and unique (Vision I)
  sort: () => [x()], argsort: () => [x()], topk: () => [x(), 2], cumsum: () => [x(), 1], unique: () => [x()],
  adamUpdate_: () => {
    const p = ones([2]);
    return [p, ones([2]), zeros([2]), zeros([2]), null, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1, maximize: false }];
  },
};
const ASYNC_OPS: Readonly<Record<string, Args>> = {
  toAsync: () => [x(), 'float64'], nonzeroAsync: () => [x()], maskedSelectAsync: () => [x(), mask()], indexAsync: () => [x(), 0],
  indexAssignAsync_: () => [x(), [0], 0],
  // unique (Vision I)
  uniqueAsync: () => [x()],
};

/** Exported functions that are not ops: helpers, registry and memory functions (no options to misspell). */
const NOT_OPS = new Set([
  'shapeSize', 'formatShape', 'shapesEqual', 'broadcastShapes', 'isGradEnabled', 'setGradEnabled', 'noGrad', 'enableGrad',
  'tidy', 'keep', 'adopt', 'memory', 'setDebugMode', 'formatTensor', 'allocArray', 'isDType', 'isFloating', 'bytesPerElement',
  'promoteTypes', 'promoteWithScalar', 'registerBackend', 'listBackends', 'findBackend', 'findBackendSync', 'setBackend',
  'getBackend', 'removeBackend', 'manualSeed', 'resolveGenerator', 'parseVarianceArgs', 'inferShape', 'viewStrides',
  'reshapeUntracked', 'checkIndexTensor', 'creationBackend', 'finishCreation', 'parseSizeArgs', 'checkShape', 'creationDType',
  'createFilled', 'likeArgs', 'fillValueFor', 'floatingDType', 'fillUniform', 'fillNormal', 'creationOptions', 'valuesIndices',
  'countNonzeroTensor', 'countNonzeroSync', 'countNonzeroAsync', 'maskPositions', 'resolveIndexTensors', 'linearIndex',
]);

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));
const exported = Object.entries(T).filter(([, v]) => typeof v === 'function' && !isClass(v)).map(([k]) => k);

function withBadOption(args: unknown[]): unknown[] {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && !Array.isArray(last) && !(last instanceof Tensor) && !ArrayBuffer.isView(last)) {
    return [...args.slice(0, -1), { ...last, notAnOption: 1 }];
  }
  return [...args, { notAnOption: 1 }];
}

describe('every exported op refuses an unknown option key', () => {
  it('lists every exported function as an op or as a helper', () => {
    const missing = exported.filter((k) => !(k in OPS) && !(k in ASYNC_OPS) && !NOT_OPS.has(k));
    expect(missing, 'add these exports to OPS (with a minimal valid call) or to NOT_OPS').toEqual([]);
    const stale = [...Object.keys(OPS), ...Object.keys(ASYNC_OPS), ...NOT_OPS].filter((k) => !exported.includes(k));
    expect(stale, 'these table entries are not exported any more').toEqual([]);
  });
  it.each(Object.keys(OPS))('%s: the minimal call works and { notAnOption: 1 } throws naming it', (name) => {
    const fn = (T as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
    expect(() => fn(...OPS[name]!())).not.toThrow();
    expect(() => fn(...withBadOption(OPS[name]!()))).toThrow(TypeError);
    expect(() => fn(...withBadOption(OPS[name]!()))).toThrow(/unknown (option|slice key) 'notAnOption'/); // index() reads a plain object as a slice { start, stop, step }
  });
  it.each(Object.keys(ASYNC_OPS))('%s (async) rejects { notAnOption: 1 }', async (name) => {
    const fn = (T as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
    await expect(fn(...ASYNC_OPS[name]!())).resolves.toBeInstanceOf(Tensor);
    await expect(fn(...withBadOption(ASYNC_OPS[name]!()))).rejects.toThrow(/unknown (option|slice key) 'notAnOption'/);
  });
});
