// Creation functions: dtype inference, shapes in both calling forms, values against plain loops
// (hand-computed or float64 JavaScript), PyTorch's arange/linspace rules, and clear errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  arange,
  empty,
  eye,
  fromTypedArray,
  full,
  fullLike,
  linspace,
  memory,
  ones,
  onesLike,
  rand,
  randLike,
  randint,
  randn,
  randnLike,
  registerBackend,
  removeBackend,
  tensor,
  tidy,
  zeros,
  zerosLike,
} from '@tensorgrad/tensor';
import { CpuBackend } from '@tensorgrad/backend-cpu';

let before = 0;
beforeEach(() => {
  before = memory().numTensors;
});
afterEach(() => {
  expect(memory().numTensors).toBe(before);
});

describe('tensor()', () => {
  it('infers shape and dtype from nested arrays, numbers, booleans and typed arrays', () => {
    tidy(() => {
      const a = tensor([[1, 2, 3], [4, 5, 6]]);
      expect(a.shape).toEqual([2, 3]);
      expect(a.dtype).toBe('float32');
      expect(a.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
      const s = tensor(3.5);
      expect(s.shape).toEqual([]);
      expect(s.itemSync()).toBe(3.5);
      const b = tensor([[true], [false]]);
      expect(b.dtype).toBe('bool');
      expect(b.arraySync()).toEqual([[true], [false]]);
      expect(tensor(true).dtype).toBe('bool');
      expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
      expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
      expect(tensor(new Uint8Array([0, 2])).arraySync()).toEqual([false, true]);
      expect(tensor(new Float32Array([0.5])).dtype).toBe('float32');
      expect(tensor([]).shape).toEqual([0]);
      expect(tensor([[], []]).shape).toEqual([2, 0]);
    });
  });

  it('converts to the requested dtype (int truncates toward zero, bool is != 0)', () => {
    tidy(() => {
      expect(tensor([1.9, -1.9, 2], { dtype: 'int32' }).arraySync()).toEqual([1, -1, 2]);
      expect(tensor([0, 0.5, -3, NaN], { dtype: 'bool' }).arraySync()).toEqual([false, true, true, true]);
      expect(tensor([true, false], { dtype: 'float32' }).arraySync()).toEqual([1, 0]);
      expect(tensor([0.1], { dtype: 'float64' }).dataSync()[0]).toBe(0.1);
      expect(tensor([0.1]).dataSync()[0]).toBe(Math.fround(0.1));
    });
  });

  it('sets requiresGrad and the backend', () => {
    registerBackend('cpu-creation', () => new CpuBackend('cpu-creation'));
    try {
      const t = tensor([1, 2], { requiresGrad: true, backend: 'cpu-creation' });
      expect(t.requiresGrad).toBe(true);
      expect(t.backend).toBe('cpu-creation');
      t.dispose();
    } finally {
      removeBackend('cpu-creation');
    }
  });

  it('rejects ragged arrays naming the position, bad values and dtypes', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged.*index \[1\]/);
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/ragged/);
    expect(() => tensor([[1], [[2]]] as never)).toThrow(/index \[1\]\[0\]/);
    expect(() => tensor(['a'] as never)).toThrow(/expected a number or boolean at index \[0\]/);
    expect(() => tensor([1], { dtype: 'int64' as never })).toThrow(/unknown dtype int64/);
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(/floating-point/);
    expect(() => tensor([1], { backend: 'nope' })).toThrow(/not registered/);
  });
});

describe('zeros / ones / empty / full', () => {
  it('accept a shape array or separate sizes, then options', () => {
    tidy(() => {
      expect(zeros([2, 3]).arraySync()).toEqual([[0, 0, 0], [0, 0, 0]]);
      expect(zeros(2, 3).shape).toEqual([2, 3]);
      expect(zeros(2, 3, { dtype: 'int32' }).dtype).toBe('int32');
      expect(zeros([]).shape).toEqual([]);
      expect(zeros([0, 4]).numel()).toBe(0);
      expect(ones(3).arraySync()).toEqual([1, 1, 1]);
      expect(ones([2], { dtype: 'bool' }).arraySync()).toEqual([true, true]);
      expect(ones([1], { dtype: 'float64' }).dtype).toBe('float64');
      expect(empty(2, 2).shape).toEqual([2, 2]);
      expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
    });
  });

  it('full infers bool for booleans and float32 for numbers', () => {
    tidy(() => {
      const f = full([2, 2], 7);
      expect(f.dtype).toBe('float32');
      expect(f.arraySync()).toEqual([[7, 7], [7, 7]]);
      expect(full([2], true).arraySync()).toEqual([true, true]);
      expect(full([2], 2.7, { dtype: 'int32' }).arraySync()).toEqual([2, 2]);
      expect(full([1], 0.5, { dtype: 'bool' }).arraySync()).toEqual([true]);
      expect(full([2], -Infinity).arraySync()).toEqual([-Infinity, -Infinity]);
    });
  });

  it('reject bad shapes and dtypes', () => {
    expect(() => zeros([2, -1])).toThrow(/zeros: expected a shape of non-negative integers/);
    expect(() => ones(1.5)).toThrow(/ones: expected a shape/);
    expect(() => zeros([2], { dtype: 'float16' as never })).toThrow(/zeros: unknown dtype float16/);
    expect(() => full([2], 'x' as never)).toThrow(/full: expected fillValue to be a number or a boolean/);
    expect(() => zeros([2], { dtype: 'int32', requiresGrad: true })).toThrow(/only floating-point/);
  });
});

describe('*Like', () => {
  it('take shape, dtype and backend from the input unless overridden', () => {
    tidy(() => {
      const x = tensor([[1, 2, 3]], { dtype: 'int32' });
      expect(zerosLike(x).arraySync()).toEqual([[0, 0, 0]]);
      expect(zerosLike(x).dtype).toBe('int32');
      expect(onesLike(x, { dtype: 'float64' }).dtype).toBe('float64');
      expect(onesLike(x).arraySync()).toEqual([[1, 1, 1]]);
      expect(fullLike(x, 4).arraySync()).toEqual([[4, 4, 4]]);
      const f = tensor([[1, 2], [3, 4]]);
      const r = randLike(f);
      expect(r.shape).toEqual([2, 2]);
      expect(r.dtype).toBe('float32');
      expect(randnLike(f, { dtype: 'float64' }).dtype).toBe('float64');
      expect(() => randLike(x)).toThrow(/randLike: expected a floating-point dtype/);
      expect(() => zerosLike([1, 2] as never)).toThrow(/zerosLike: expected input to be a Tensor/);
    });
  });
});

describe('arange', () => {
  it('follows PyTorch: integer args give an integer tensor, else float', () => {
    tidy(() => {
      const a = arange(5);
      expect(a.dtype).toBe('int32');
      expect(a.arraySync()).toEqual([0, 1, 2, 3, 4]);
      expect(arange(2, 5).arraySync()).toEqual([2, 3, 4]);
      expect(arange(10, 0, -3).arraySync()).toEqual([10, 7, 4, 1]);
      expect(arange(0, 1, 0.25).dtype).toBe('float32');
      expect(arange(0, 1, 0.25).arraySync()).toEqual([0, 0.25, 0.5, 0.75]);
      expect(arange(3, { dtype: 'float64' }).arraySync()).toEqual([0, 1, 2]);
      expect(arange(0).shape).toEqual([0]);
    });
  });

  it('has ceil((end - start) / step) elements equal to start + i * step', () => {
    tidy(() => {
      const [start, end, step] = [-1, 1.05, 0.1];
      const n = Math.ceil((end - start) / step);
      const got = arange(start, end, step, { dtype: 'float64' }).dataSync();
      expect(got.length).toBe(n);
      for (let i = 0; i < n; i++) expect(got[i]).toBe(start + i * step);
      const f32 = arange(start, end, step).dataSync();
      for (let i = 0; i < n; i++) expect(f32[i]).toBe(Math.fround(start + i * step));
    });
  });

  it('rejects a zero step, an inconsistent sign and bad arguments', () => {
    expect(() => arange(0, 5, 0)).toThrow(/step must be nonzero/);
    expect(() => arange(5, 0)).toThrow(/inconsistent with step sign/);
    expect(() => arange(0, 5, -1)).toThrow(/inconsistent with step sign/);
    expect(() => arange(0, Infinity)).toThrow(/finite/);
    expect(() => arange('3' as never)).toThrow(/arange: expected/);
  });
});

describe('linspace', () => {
  it('includes both ends and spaces evenly', () => {
    tidy(() => {
      expect(linspace(0, 1, 5).arraySync()).toEqual([0, 0.25, 0.5, 0.75, 1]);
      expect(linspace(2, -2, 3).arraySync()).toEqual([2, 0, -2]);
      expect(linspace(3, 10, 1).arraySync()).toEqual([3]);
      expect(linspace(0, 1, 0).shape).toEqual([0]);
      const n = 7;
      const got = linspace(-1.3, 2.9, n, { dtype: 'float64' }).dataSync();
      expect(got[0]).toBe(-1.3);
      expect(got[n - 1]).toBe(2.9);
      for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(-1.3 + (i * 4.2) / (n - 1), 12);
      const f = linspace(0, 10, 11, { dtype: 'int32' });
      expect(f.arraySync()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });
  });

  it('rejects bad steps', () => {
    expect(() => linspace(0, 1, -1)).toThrow(/linspace: expected steps to be a non-negative integer/);
    expect(() => linspace(0, 1, 2.5)).toThrow(/steps/);
  });
});

describe('eye', () => {
  it('builds square and rectangular identities', () => {
    tidy(() => {
      expect(eye(3).arraySync()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
      expect(eye(2, 3).arraySync()).toEqual([[1, 0, 0], [0, 1, 0]]);
      expect(eye(3, 2, { dtype: 'int32' }).arraySync()).toEqual([[1, 0], [0, 1], [0, 0]]);
      expect(eye(2, { dtype: 'bool' }).arraySync()).toEqual([[true, false], [false, true]]);
      expect(eye(0).shape).toEqual([0, 0]);
    });
    expect(() => eye(-1)).toThrow(/eye: expected n to be a non-negative integer/);
  });
});

describe('rand / randn / randint', () => {
  it('have the requested shapes, dtypes and ranges', () => {
    tidy(() => {
      const u = rand(100, 10);
      expect(u.shape).toEqual([100, 10]);
      const ud = u.dataSync();
      expect(Math.min(...ud)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...ud)).toBeLessThan(1);
      expect(rand([3], { dtype: 'float64' }).dtype).toBe('float64');
      expect(randn([2, 2]).shape).toEqual([2, 2]);
      const r = randint(3, 7, [1000]);
      expect(r.dtype).toBe('int32');
      const rd = Array.from(r.dataSync());
      expect(new Set(rd)).toEqual(new Set([3, 4, 5, 6]));
      const h = randint(2, [500]).dataSync();
      expect(new Set(h)).toEqual(new Set([0, 1]));
      expect(randint(-5, 5, [3], { dtype: 'float32' }).dtype).toBe('float32');
      expect(rand([2], { requiresGrad: true }).requiresGrad).toBe(true);
    });
  });

  it('reject integer dtypes, empty ranges and bad generators', () => {
    expect(() => rand([2], { dtype: 'int32' })).toThrow(/rand: expected a floating-point dtype/);
    expect(() => randn([2], { dtype: 'bool' })).toThrow(/randn: expected a floating-point dtype/);
    expect(() => randint(5, 5, [2])).toThrow(/randint: expected low < high/);
    expect(() => randint(0.5, [2])).toThrow(/randint: expected integer bounds/);
    expect(() => randint(0, 2 ** 40, [2])).toThrow(/do not fit in int32/);
    expect(() => rand([2], { generator: {} as never })).toThrow(/rand: expected generator to be a Generator/);
  });
});

describe('fromTypedArray', () => {
  it('keeps the array type as dtype, reshapes, converts and copies', () => {
    tidy(() => {
      const src = new Float32Array([1, 2, 3, 4, 5, 6]);
      const t = fromTypedArray(src, [2, 3]);
      expect(t.dtype).toBe('float32');
      expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
      src[0] = 100;
      expect(t.dataSync()[0]).toBe(1);
      expect(fromTypedArray(new Int32Array([1, 2])).shape).toEqual([2]);
      expect(fromTypedArray(new Float64Array([1.5, -1.5]), [2], { dtype: 'int32' }).arraySync()).toEqual([1, -1]);
      expect(fromTypedArray(new Uint8Array([0, 1]), [2]).dtype).toBe('bool');
      expect(fromTypedArray(new Float32Array([0, 3]), [2], { dtype: 'bool' }).arraySync()).toEqual([false, true]);
    });
  });

  it('checks the length against the shape and the array type', () => {
    expect(() => fromTypedArray(new Float32Array(5), [2, 3])).toThrow(/shape \[2,3\] needs 6 elements but the array has 5/);
    expect(() => fromTypedArray(new Int16Array(2) as never, [2])).toThrow(/Int16Array/);
    expect(() => fromTypedArray([1, 2] as never, [2])).toThrow(/fromTypedArray: expected a Float32Array/);
  });
});
