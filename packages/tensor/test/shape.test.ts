import { describe, expect, it } from 'vitest';
import {
  Tensor,
  cat,
  expand,
  flatten,
  memory,
  narrow,
  permute,
  reshape,
  select,
  slice,
  squeeze,
  stack,
  tensor,
  tidy,
  transpose,
  unsqueeze,
  view,
  viewStrides,
  type TypedArray,
} from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { gradcheck } from '@tensorgrad/autodiff';

/** Elements of a strided view computed in plain JS. */
function stridedRead(data: ArrayLike<number>, shape: number[], strides: number[], offset: number): number[] {
  const out: number[] = [];
  const rec = (d: number, off: number): void => {
    if (d === shape.length) {
      out.push(data[off]!);
      return;
    }
    for (let i = 0; i < shape[d]!; i++) rec(d + 1, off + i * strides[d]!);
  };
  rec(0, offset);
  return out;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const arr = (t: Tensor): number[] => Array.from(t.dataSync() as TypedArray);
/** The raw storage array behind a CPU tensor (to check views without any kernel). */
const storageOf = (t: Tensor): TypedArray => (t._storage.handle as { array: TypedArray }).array;

describe('viewStrides (PyTorch computeStride)', () => {
  it('contiguous inputs always view', () => {
    expect(viewStrides([2, 3, 4], [12, 4, 1], [6, 4])).toEqual([4, 1]);
    expect(viewStrides([2, 3, 4], [12, 4, 1], [24])).toEqual([1]);
    expect(viewStrides([2, 3, 4], [12, 4, 1], [4, 1, 6])).toEqual([6, 6, 1]);
  });
  it('a transposed matrix cannot be flattened but can gain size-1 dims', () => {
    expect(viewStrides([3, 2], [1, 3], [6])).toBeNull();
    // PyTorch gives the size-1 dim the stride of the chunk after it: x.t().view(3, 1, 2).stride() == (1, 6, 3)
    expect(viewStrides([3, 2], [1, 3], [3, 1, 2])).toEqual([1, 6, 3]);
  });
  it('narrowed tensors split the outer chunk', () => {
    // [4,6] narrowed to columns 1..3: rows are not contiguous with each other
    expect(viewStrides([4, 3], [6, 1], [2, 2, 3])).toEqual([12, 6, 1]);
    expect(viewStrides([4, 3], [6, 1], [12])).toBeNull();
  });
  it('0-d and empty shapes', () => {
    expect(viewStrides([], [], [1, 1])).toEqual([1, 1]);
    expect(viewStrides([0, 3], [3, 1], [3, 0])).toEqual([1, 1]);
  });
});

describe('reshape / view', () => {
  it('reshape of a contiguous tensor is a view sharing storage', () => {
    const x = tensor(range(6));
    const y = reshape(x, [2, 3]);
    expect(y._storage).toBe(x._storage);
    storageOf(x)[4] = 40; // written behind the tensors' back: the view sees it
    expect(y.arraySync()).toEqual([
      [0, 1, 2],
      [3, 40, 5],
    ]);
    expect(x.reshape(3, -1).shape).toEqual([3, 2]);
    expect(x.reshape({ shape: [-1] } as never).shape).toEqual([6]);
    x.dispose();
    y.dispose();
  });
  it('reshape of a transposed tensor copies', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const t = x.transpose(0, 1);
    const r = t.reshape(6);
    expect(r._storage).not.toBe(x._storage);
    expect(arr(r)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => t.view(6)).toThrow(/view: size is not compatible with input tensor's size and stride.*use \.reshape\(\.\.\.\) instead/);
    expect(t.view(3, 1, 2).shape).toEqual([3, 1, 2]);
  });
  it('errors on bad shapes', () => {
    const x = tensor(range(6));
    expect(() => x.reshape(4, -1)).toThrow(/reshape: shape \[4,-1\] is invalid for input of size 6/);
    expect(() => x.view(4, 2)).toThrow(/view: shape \[4,2\] is invalid for input of size 6/);
    expect(() => x.reshape(-1, -1)).toThrow(/only one dimension can be inferred/);
    expect(() => x.reshape(-2, 3)).toThrow(/invalid shape dimension -2/);
  });
  it('reshape gradient flows back to the input shape', () => {
    const x = tensor(range(6), { requiresGrad: true });
    const y = x.reshape(2, 3).transpose(0, 1).reshape(6);
    y.backward(tensor([10, 20, 30, 40, 50, 60]));
    // y = [x0, x3, x1, x4, x2, x5], so dy/dx permutes the upstream gradient back
    expect(arr(x.grad!)).toEqual([10, 30, 50, 20, 40, 60]);
  });
});

describe('flatten / squeeze / unsqueeze', () => {
  it('flatten ranges and forms', () => {
    const x = tensor(range(24)).reshape(2, 3, 4);
    expect(flatten(x).shape).toEqual([24]);
    expect(x.flatten(1).shape).toEqual([2, 12]);
    expect(x.flatten(0, 1).shape).toEqual([6, 4]);
    expect(flatten(x, { startDim: -2 }).shape).toEqual([2, 12]);
    expect(flatten(tensor(5)).shape).toEqual([1]);
    expect(() => x.flatten(2, 1)).toThrow(/flatten: startDim \(2\) cannot come after endDim \(1\)/);
  });
  it('flatten of a permuted tensor copies the right values', () => {
    const x = tensor(range(24)).reshape(2, 3, 4);
    const p = x.permute(2, 0, 1);
    const expected = stridedRead(range(24), [4, 2, 3], [1, 12, 4], 0);
    expect(arr(p.flatten())).toEqual(expected);
  });
  it('squeeze records the dims actually removed', () => {
    const x = tensor(range(12), { requiresGrad: true }).reshape(3, 1, 4, 1);
    expect(squeeze(x).gradFn!.attrs).toEqual({ dim: [1, 3] });
    expect(x.squeeze(0).gradFn!.attrs).toEqual({ dim: [] });
    expect(x.squeeze(0).shape).toEqual([3, 1, 4, 1]);
    expect(squeeze(x, { dim: -1 }).shape).toEqual([3, 1, 4]);
    expect(() => x.squeeze(4)).toThrow(/squeeze: dimension out of range/);
  });
  it('unsqueeze inserts size-1 dims anywhere', () => {
    const x = tensor([1, 2, 3]);
    expect(unsqueeze(x, 0).shape).toEqual([1, 3]);
    expect(x.unsqueeze(-1).shape).toEqual([3, 1]);
    expect(x.unsqueeze({ dim: 1 }).shape).toEqual([3, 1]);
    expect(() => x.unsqueeze(2)).toThrow(/unsqueeze: dimension out of range/);
    expect(tensor(7).unsqueeze(0).shape).toEqual([1]);
  });
});

describe('permute / transpose / expand', () => {
  it('permute is a strided view with the right values', () => {
    const x = tensor(range(24)).reshape(2, 3, 4);
    const p = permute(x, [2, 0, 1]);
    expect(p._storage).toBe(x._storage);
    expect(p.stride()).toEqual([1, 12, 4]);
    expect(arr(p)).toEqual(stridedRead(range(24), [4, 2, 3], [1, 12, 4], 0));
    expect(x.permute(-1, 0, -2).shape).toEqual([4, 2, 3]);
    expect(() => x.permute(0, 1)).toThrow(/permute: number of dims don't match/);
    expect(() => x.permute(0, 0, 1)).toThrow(/repeat a dimension/);
  });
  it('permute gradient is the inverse permutation', () => {
    const x = tensor(range(6), { requiresGrad: true });
    const x3 = x.reshape(1, 2, 3);
    const y = x3.permute(2, 0, 1); // [3,1,2]: y[k,0,j] = x[0,j,k]
    const g = range(6).map((v) => v * 10 + 1);
    y.backward(tensor(g).reshape(3, 1, 2));
    const expected = new Array<number>(6);
    for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) expected[j * 3 + k] = g[k * 2 + j]!;
    expect(arr(x.grad!)).toEqual(expected);
  });
  it('transpose forms', () => {
    const x = tensor(range(6)).reshape(2, 3);
    expect(transpose(x, { dim0: 0, dim1: 1 }).arraySync()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(() => x.transpose(0, 2)).toThrow(/transpose: dimension out of range/);
  });
  it('expand uses stride 0 and sums gradients back', () => {
    const x = tensor([[1], [2]], { requiresGrad: true });
    const e = expand(x, [3, 2, 4]);
    expect(e.stride()).toEqual([0, 1, 0]);
    expect(e._storage).toBe(x._storage);
    expect(arr(e)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(x.expand(-1, 3).shape).toEqual([2, 3]);
    expect(x.expand({ size: [2, 5] } as never).shape).toEqual([2, 5]);
    e.backward(tensor(range(24)).reshape(3, 2, 4));
    // grad[i] = sum over (a, k) of g[a, i, k]
    const g0 = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19].reduce((s, v) => s + v, 0);
    const g1 = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23].reduce((s, v) => s + v, 0);
    expect(arr(x.grad!)).toEqual([g0, g1]);
    expect(() => x.expand(3, 3)).toThrow(/expand: the expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0/);
    expect(() => x.expand(3)).toThrow(/expand: the number of sizes provided \(1\)/);
    expect(() => x.expand(-1, 2, 3)).toThrow(/not allowed in a leading, non-existing dimension/);
  });
});

describe('select / narrow / slice', () => {
  const base = (): Tensor => tensor(range(20)).reshape(4, 5);
  it('select removes the dim and shares storage', () => {
    const x = base();
    const s = select(x, 1, 2);
    expect(s._storage).toBe(x._storage);
    expect(arr(s)).toEqual([2, 7, 12, 17]);
    expect(arr(x.select(0, -1))).toEqual([15, 16, 17, 18, 19]);
    expect(arr(select(x, { dim: 0, index: 1 }))).toEqual([5, 6, 7, 8, 9]);
    expect(() => x.select(1, 5)).toThrow(/select: index 5 is out of bounds for dimension 1 with size 5/);
    expect(() => x.select(0, -5)).toThrow(/select: index -5 is out of bounds for dimension 0 with size 4/);
  });
  it('narrow windows and errors', () => {
    const x = base();
    expect(narrow(x, 1, 1, 3).arraySync()).toEqual([
      [1, 2, 3],
      [6, 7, 8],
      [11, 12, 13],
      [16, 17, 18],
    ]);
    expect(arr(x.narrow(0, -1, 1))).toEqual([15, 16, 17, 18, 19]);
    expect(narrow(x, { dim: 0, start: 4, length: 0 }).shape).toEqual([0, 5]);
    expect(() => x.narrow(1, 3, 3)).toThrow(/narrow: start \(3\) \+ length \(3\) exceeds dimension 1 with size 5/);
  });
  it('slice follows Python semantics', () => {
    const x = tensor(range(10));
    const py = (start: number | null, end: number | null, step = 1): number[] => {
      // Python's slice.indices for a length-10 list, step > 0
      const n = 10;
      const norm = (v: number | null, dflt: number): number => (v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n));
      const out: number[] = [];
      for (let i = norm(start, 0); i < norm(end, n); i += step) out.push(i);
      return out;
    };
    const cases: [number | null, number | null, number][] = [
      [1, 8, 3],
      [-3, null, 1],
      [null, -2, 2],
      [-100, 100, 4],
      [7, 3, 1],
      [12, 20, 1],
      [0, 10, 10],
    ];
    for (const [s, e, st] of cases) {
      expect(arr(slice(x, { start: s, end: e, step: st })), `${s}:${e}:${st}`).toEqual(py(s, e, st));
    }
    const m = base();
    expect(m.slice(1, 1, null, 2).arraySync()).toEqual([
      [1, 3],
      [6, 8],
      [11, 13],
      [16, 18],
    ]);
    expect(() => x.slice({ step: 0 })).toThrow(/slice: step must be positive/);
  });
  it('gradients embed into zeros', () => {
    const x = base().requiresGrad_();
    const g = tensor(range(4).map((v) => v + 1));
    x.select(1, 2).backward(g);
    const ex = new Array<number>(20).fill(0);
    for (let i = 0; i < 4; i++) ex[i * 5 + 2] = i + 1;
    expect(arr(x.grad!)).toEqual(ex);
    x.grad = null;

    x.narrow(1, 1, 3).backward(tensor(range(12)).reshape(4, 3));
    const en = new Array<number>(20).fill(0);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) en[i * 5 + 1 + j] = i * 3 + j;
    expect(arr(x.grad!)).toEqual(en);
    x.grad = null;

    // step 2 over columns 1..4 keeps columns 1 and 3; step 3 from 0 keeps 0 and 3
    for (const [start, step, cols] of [
      [1, 2, [1, 3]],
      [0, 3, [0, 3]],
      [4, 2, [4]],
    ] as [number, number, number[]][]) {
      const y = x.slice({ dim: 1, start, step });
      expect(y.shape).toEqual([4, cols.length]);
      const gy = range(4 * cols.length).map((v) => v + 1);
      y.backward(tensor(gy).reshape(4, cols.length));
      const es = new Array<number>(20).fill(0);
      for (let i = 0; i < 4; i++) cols.forEach((c, k) => (es[i * 5 + c] = gy[i * cols.length + k]!));
      expect(arr(x.grad!), `slice ${start}::${step}`).toEqual(es);
      x.grad = null;
    }
  });
});

describe('cat / stack', () => {
  it('cat promotes dtypes and reads strided inputs', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]).transpose(0, 1); // [[1,3],[2,4]]
    const b = tensor([[5, 6]], { dtype: 'int32' });
    const c = cat([a, b]);
    expect(c.dtype).toBe('float32');
    expect(c.arraySync()).toEqual([
      [1, 3],
      [2, 4],
      [5, 6],
    ]);
    expect(cat([a, a], { dim: 1 }).arraySync()).toEqual([
      [1, 3, 1, 3],
      [2, 4, 2, 4],
    ]);
    expect(cat([tensor([1], { dtype: 'int32' }), tensor([2], { dtype: 'int32' })]).dtype).toBe('int32');
  });
  it('cat skips 1-d empty tensors and explains mismatches', () => {
    const a = tensor([[1, 2]]);
    expect(cat([tensor([]), a, tensor([])]).arraySync()).toEqual([[1, 2]]);
    expect(() => cat([a, tensor([[1, 2, 3]])])).toThrow(
      /cat: sizes of tensors must match except in dimension 0: expected size 2 but got size 3 for tensor 1 at dimension 1/,
    );
    expect(() => cat([a, tensor([1, 2])])).toThrow(/cat: tensors must have the same number of dimensions/);
    expect(() => cat([])).toThrow(/non-empty/);
    expect(() => cat([tensor(1)])).toThrow(/zero-dimensional tensor/);
  });
  it('cat gradient narrows per input, skipped inputs get an empty gradient', () => {
    const a = tensor([[1, 2]], { requiresGrad: true });
    const b = tensor(
      [
        [3, 4],
        [5, 6],
      ],
      { requiresGrad: true },
    );
    const e = tensor([], { requiresGrad: true });
    cat([a, e, b]).backward(tensor([
      [10, 20],
      [30, 40],
      [50, 60],
    ]));
    expect(a.grad!.arraySync()).toEqual([[10, 20]]);
    expect(b.grad!.arraySync()).toEqual([
      [30, 40],
      [50, 60],
    ]);
    expect(e.grad!.shape).toEqual([0]);
  });
  it('stack values, errors and gradient', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4, 5, 6], { requiresGrad: true });
    const s = stack([a, b], -1);
    expect(s.arraySync()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(s.gradFn!.name).toBe('stack');
    s.backward(tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]));
    expect(arr(a.grad!)).toEqual([1, 3, 5]);
    expect(arr(b.grad!)).toEqual([2, 4, 6]);
    expect(() => stack([a, tensor([1, 2])])).toThrow(/stack: expects each tensor to be equal size, but got \[3\] at entry 0 and \[2\] at entry 1/);
  });
  it('does not leak', () => {
    const before = memory().numTensors;
    tidy(() => {
      const x = tensor(range(12), { requiresGrad: true });
      const y = cat([x.reshape(3, 4).transpose(0, 1), x.view(4, 3).slice({ dim: 1, step: 2 })], 1);
      y.sum().backward();
      expect(arr(x.grad!)).toEqual([2, 1, 2, 2, 1, 2, 2, 1, 2, 2, 1, 2]);
      x.dispose();
    });
    expect(memory().numTensors).toBe(before);
  });
});

describe('gradcheck (float64)', () => {
  const f64 = (shape: number[]): Tensor =>
    tensor(range(shape.reduce((a, b) => a * b, 1)).map((v) => Math.sin(v + 1) * 2), { dtype: 'float64' }).reshape(shape);
  const cases: [string, number[][], (...xs: Tensor[]) => Tensor][] = [
    ['reshape of a transposed view', [[3, 4]], (x) => x!.transpose(0, 1).reshape(2, 6).mul(x!.reshape(2, 6))],
    ['view/flatten/squeeze/unsqueeze', [[2, 1, 3]], (x) => x!.view(3, 2).flatten().unsqueeze(1).squeeze().mul(x!.reshape(-1))],
    ['permute', [[2, 3, 4]], (x) => x!.permute(2, 0, 1).mul(x!.permute(2, 0, 1))],
    ['expand', [[3, 1]], (x) => x!.expand(2, 3, 4).mul(x!.expand(2, 3, 4))],
    ['select/narrow/slice', [[4, 5]], (x) => cat([x!.select(1, -2), x!.narrow(1, 1, 2).reshape(-1), x!.slice({ dim: 1, start: 1, step: 3 }).reshape(-1)]).mul(2)],
    ['cat/stack', [[2, 3], [2, 3]], (a, b) => cat([stack([a!, b!], 1).reshape(2, 6), a!.mul(b!)], 1)],
  ];
  // no leak assertion here: gradcheck keeps the gradients it gets from grad() (see the leak tests above)
  it.each(cases)('%s', (_name, shapes, fn) => {
    tidy(() => {
      expect(gradcheck(fn, shapes.map(f64))).toBe(true);
    });
  });
});
