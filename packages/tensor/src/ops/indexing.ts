/**
 * Python's `t[...]` and `t[...] = v`: `index(x, ...specs)` / `x.index(...specs)` reads,
 * `indexAssign_(x, specs, value)` / `x.indexAssign_(specs, value)` writes. Python ↔ tensorgrad:
 *
 * | Python | tensorgrad |
 * |---|---|
 * | `x[1]`, `x[-1]` | `x.index(1)`, `x.index(-1)` |
 * | `x[1:3]`, `x[:]`, `x[::2]`, `x[-2:]` | `x.index('1:3')`, `x.index(':')`, `x.index('::2')`, `x.index('-2:')` (or `{ start: 1, stop: 3 }`) |
 * | `x[:, 0]` | `x.index(':', 0)` |
 * | `x[None]` | `x.index(null)` |
 * | `x[..., 0]` | `x.index('...', 0)` |
 * | `x[mask]` | `x.index(mask)` (bool tensor or `boolean[]`; on WebGPU `await x.indexAsync(mask)`) |
 * | `x[idx]`, `x[[0, 2]]` | `x.index(idx)` (int32 tensor), `x.index([0, 2])` |
 * | `x[i, j] = v` | `x.indexAssign_([i, j], v)` |
 */
import { parseArgs, signature } from '../signature.js';
import type { Backend } from '../backend.js';
import { noGrad } from '../autograd-core.js';
import { assertTensor, fromArray, sameBackend, scalarTensor } from '../engine.js';
import { NotSupportedError } from '../not-supported.js';
import { broadcastShapes, formatShape, shapeSize, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkInplace, writeInto } from '../inplace/copy_.js';
import { maskedScatterValue } from '../inplace/masked-scatter_.js';
import { linearIndex } from './index-put.js';
import { nonzero, nonzeroAsync } from './nonzero.js';
import { where } from './where.js';
import './expand.js';
import './index-select.js';
import './permute.js';
import './reshape.js';
import './select.js';
import './slice.js';
import './unsqueeze.js';

/** A Python slice `start:stop:step` as an object (`null`/absent: Python's default). */
export interface SliceSpec {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/**
 * One element of a Python subscript: an integer (negative counts from the end); a slice, as a
 * string (`'1:3'`, `':'`, `'::2'`, `'-2:'`) or a {@link SliceSpec}; `null` for `None` (a new axis
 * of size 1); `'...'` for `Ellipsis`; a bool tensor or `boolean[]` (a mask over the dims it
 * covers); an int32 tensor or `number[]` (advanced indexing).
 */
export type IndexSpec = number | string | SliceSpec | null | Tensor | readonly number[] | readonly boolean[];

type Item =
  | { kind: 'int'; i: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number }
  | { kind: 'new' }
  | { kind: 'mask'; t: Tensor }
  | { kind: 'tensor'; t: Tensor };

const SLICE_RE = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

function describeSpec(s: unknown): string {
  if (s instanceof Tensor) return `a ${s.dtype} tensor`;
  if (typeof s === 'string') return `'${s}'`;
  try {
    return JSON.stringify(s) ?? String(s);
  } catch {
    return String(s);
  }
}

function parseSlice(op: string, s: unknown): Item {
  if (typeof s === 'string') {
    const m = SLICE_RE.exec(s);
    if (!m) {
      throw new TypeError(
        `${op}: expected a slice string like '1:3', ':', '::2' or '-2:' (or '...' for Ellipsis), got '${s}'; pass plain integers as numbers (x.index(2))`,
      );
    }
    const num = (v: string | undefined): number | null => (v === undefined ? null : Number(v));
    return check(op, { kind: 'slice', start: num(m[1]), stop: num(m[2]), step: num(m[3]) ?? 1 }, s);
  }
  const o = s as SliceSpec;
  for (const k of Object.keys(o)) {
    if (k !== 'start' && k !== 'stop' && k !== 'step') {
      throw new TypeError(`${op}: unknown slice key '${k}' in ${describeSpec(s)}; expected { start?, stop?, step? }`);
    }
  }
  for (const k of ['start', 'stop', 'step'] as const) {
    const v = o[k];
    if (v !== undefined && v !== null && !Number.isInteger(v)) throw new TypeError(`${op}: expected slice ${k} to be an integer or null, got ${String(v)}`);
  }
  return check(op, { kind: 'slice', start: o.start ?? null, stop: o.stop ?? null, step: o.step ?? 1 }, s);
}

function check(op: string, item: Item & { kind: 'slice' }, s: unknown): Item {
  if (item.step <= 0) {
    throw new RangeError(
      `${op}: slice step must be greater than zero (as in PyTorch), got ${item.step} in ${describeSpec(s)}; reverse with flip-free indexing, e.g. an index tensor`,
    );
  }
  return item;
}

/** Parses the specs and expands `'...'` into full slices. */
function parse(op: string, x: Tensor, specs: readonly IndexSpec[]): { items: Item[]; owned: Tensor[] } {
  const owned: Tensor[] = [];
  const backend: Backend = x.backendInstance;
  let ellipsis = -1;
  const items: (Item | 'ellipsis')[] = [];
  try {
    specs.forEach((s, k) => {
      if (s === '...') {
        if (ellipsis >= 0) throw new RangeError(`${op}: an index can only have a single ellipsis ('...'), got two (at ${ellipsis} and ${k})`);
        ellipsis = k;
        items.push('ellipsis');
      } else if (s === null) items.push({ kind: 'new' });
      else if (typeof s === 'number') {
        if (!Number.isInteger(s)) throw new TypeError(`${op}: expected an integer index, got ${s}`);
        items.push({ kind: 'int', i: s });
      } else if (s instanceof Tensor) {
        assertTensor(op, s, `index ${k}`);
        sameBackend(op, [x, s], ['input', `index ${k}`]);
        if (s.dtype === 'bool') {
          if (s.ndim === 0) {
            throw new NotSupportedError(op, x.backend, 'kernel', `${op}: a 0-d bool index (Python's x[True]) is not supported; use x.index(null) (and a mask) instead`);
          }
          items.push({ kind: 'mask', t: s });
        } else if (s.dtype === 'int32') {
          items.push({ kind: 'tensor', t: s });
        } else {
          throw new TypeError(`${op}: expected index ${k} to be an int32 or bool tensor, got ${s.dtype}; convert it with .int() or .bool()`);
        }
      } else if (Array.isArray(s)) {
        if (s.length > 0 && s.every((v) => typeof v === 'boolean')) {
          const t = fromArray(backend, Uint8Array.from(s as boolean[], (v) => (v ? 1 : 0)), [s.length], 'bool', true);
          owned.push(t);
          items.push({ kind: 'mask', t });
        } else if (s.every((v) => Number.isInteger(v))) {
          const t = fromArray(backend, Int32Array.from(s as number[]), [s.length], 'int32', true);
          owned.push(t);
          items.push({ kind: 'tensor', t });
        } else {
          throw new TypeError(`${op}: expected index ${k} to be an array of integers or of booleans, got ${describeSpec(s)}; nested arrays are not supported, pass a tensor`);
        }
      } else if (typeof s === 'string' || (typeof s === 'object' && s !== null)) {
        items.push(parseSlice(op, s));
      } else {
        throw new TypeError(
          `${op}: unsupported index ${describeSpec(s)} at position ${k}; expected an integer, a slice ('1:3' or { start, stop, step }), null, '...', or an int32/bool tensor`,
        );
      }
    });
    const used = items.reduce((n, it) => n + (it === 'ellipsis' || it.kind === 'new' ? 0 : it.kind === 'mask' ? it.t.ndim : 1), 0);
    if (used > x.ndim) {
      throw new RangeError(`${op}: too many indices for a tensor of dimension ${x.ndim} (shape ${formatShape(x.shape)}): the index covers ${used} dimensions`);
    }
    const full: Item[] = [];
    let xd = 0;
    for (const it of items) {
      if (it === 'ellipsis') {
        for (let d = 0; d < x.ndim - used; d++) full.push({ kind: 'slice', start: null, stop: null, step: 1 });
        xd += x.ndim - used;
        continue;
      }
      if (it.kind === 'mask') checkMask(op, x, xd, it.t);
      xd += it.kind === 'new' ? 0 : it.kind === 'mask' ? it.t.ndim : 1;
      full.push(it);
    }
    return { items: full, owned };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}

/** Checks a mask against the dims it covers, starting at dim `d` of `cur`. */
function checkMask(op: string, cur: Tensor, d: number, t: Tensor): void {
  const want = cur.shape.slice(d, d + t.ndim);
  if (!shapesEqual(want, t.shape)) {
    throw new RangeError(
      `${op}: the shape of the mask ${formatShape(t.shape)} does not match the shape of the indexed tensor ${formatShape(want)} at dims ${d}..${d + t.ndim - 1}`,
    );
  }
}

/** Replaces each mask by its `nonzero()` columns (int32 index tensors). */
async function resolveMasks(items: Item[], owned: Tensor[], nz: (t: Tensor) => Tensor | Promise<Tensor>): Promise<Item[]> {
  const out: Item[] = [];
  for (const it of items) {
    if (it.kind !== 'mask') {
      out.push(it);
      continue;
    }
    const cols = await nz(it.t);
    owned.push(cols);
    for (let j = 0; j < it.t.ndim; j++) {
      const c = cols.select(1, j);
      owned.push(c);
      out.push({ kind: 'tensor', t: c });
    }
  }
  return out;
}

function resolveMasksSync(op: string, items: Item[], owned: Tensor[], asyncForm: string): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    if (it.kind !== 'mask') {
      out.push(it);
      continue;
    }
    if (!it.t.backendInstance.readSync) {
      throw new NotSupportedError(
        op,
        it.t.backend,
        'sync-read',
        `${op}: a bool mask index selects a data-dependent number of elements, and backend '${it.t.backend}' cannot read it synchronously; use \`${asyncForm}\``,
      );
    }
    const cols = nonzero(it.t);
    owned.push(cols);
    for (let j = 0; j < it.t.ndim; j++) {
      const c = cols.select(1, j);
      owned.push(c);
      out.push({ kind: 'tensor', t: c });
    }
  }
  return out;
}

interface Advanced {
  /** The dims of the basic view that the index tensors index (ascending). */
  dims: number[];
  idx: Tensor[];
}

/** Applies ints, slices and new axes (views); collects the advanced (tensor/mask) items by the view's dims. */
function basic(op: string, x: Tensor, items: Item[], temps: Tensor[]): { view: Tensor; adv: Advanced; masks: { dim: number; t: Tensor }[] } {
  let cur = x;
  let d = 0;
  const adv: Advanced = { dims: [], idx: [] };
  const masks: { dim: number; t: Tensor }[] = [];
  const step = (next: Tensor): void => {
    if (cur !== x) temps.push(cur);
    cur = next;
  };
  for (const it of items) {
    if (it.kind === 'int') {
      const size = cur.shape[d]!;
      if (it.i < -size || it.i >= size) {
        throw new RangeError(`${op}: index ${it.i} is out of bounds for dimension ${d} with size ${size}; expected an index in [${-size}, ${size - 1}]`);
      }
      step(cur.select(d, it.i));
    } else if (it.kind === 'slice') {
      step(cur.slice(d, it.start, it.stop, it.step));
      d++;
    } else if (it.kind === 'new') {
      step(cur.unsqueeze(d));
      d++;
    } else if (it.kind === 'mask') {
      checkMask(op, cur, d, it.t);
      masks.push({ dim: d, t: it.t });
      d += it.t.ndim;
    } else {
      const size = cur.shape[d]!;
      const t = it.t;
      if (t.backendInstance.readSync && t.numel() > 0) {
        const values = t.dataSync();
        for (let k = 0; k < values.length; k++) {
          const v = values[k]!;
          if (v < -size || v >= size) {
            throw new RangeError(`${op}: index ${v} is out of bounds for dimension ${d} with size ${size}; expected indices in [${-size}, ${size - 1}]`);
          }
        }
      }
      adv.dims.push(d);
      adv.idx.push(t);
      d++;
    }
  }
  return { view: cur, adv, masks };
}

/** PyTorch's layout of an advanced-indexing result: the broadcast index dims replace adjacent indexed dims in place, else they go first. */
function advancedLayout(op: string, view: Tensor, adv: Advanced): { b: number[]; rest: number[]; before: number; perm: number[]; result: number[] } {
  let b: number[] = [];
  try {
    for (const t of adv.idx) b = broadcastShapes(op, b, t.shape);
  } catch {
    throw new RangeError(`${op}: shape mismatch: indexing tensors could not be broadcast together with shapes ${adv.idx.map((t) => formatShape(t.shape)).join(', ')}`);
  }
  const rest = view.shape.map((_, i) => i).filter((i) => !adv.dims.includes(i));
  const adjacent = adv.dims.every((dd, k) => k === 0 || dd === adv.dims[k - 1]! + 1);
  const before = adjacent ? adv.dims[0]! : 0;
  const restShape = rest.map((i) => view.shape[i]!);
  const result = [...restShape.slice(0, before), ...b, ...restShape.slice(before)];
  return { b, rest, before, perm: [...adv.dims, ...rest], result };
}

const isIdentity = (perm: readonly number[]): boolean => perm.every((p, i) => p === i);

function read(op: string, x: Tensor, items: Item[]): Tensor {
  const temps: Tensor[] = [];
  try {
    const { view, adv } = basic(op, x, items, temps);
    if (adv.dims.length === 0) return view === x ? x.expand([...x.shape]) : view;
    if (view !== x) temps.push(view);
    const { b, rest, before, perm } = advancedLayout(op, view, adv);
    const y = isIdentity(perm) ? view : view.permute(perm);
    if (y !== view) temps.push(y);
    const sizes = adv.dims.map((d) => view.shape[d]!);
    const restShape = rest.map((i) => view.shape[i]!);
    const y2 = y.reshape([shapeSize(sizes), shapeSize(restShape)]);
    temps.push(y2);
    const lin = linearIndex(adv.idx, sizes, b);
    temps.push(lin);
    const picked = y2.indexSelect(0, lin);
    temps.push(picked);
    const out = picked.reshape([...b, ...restShape]);
    if (before === 0) return out;
    temps.push(out);
    const nb = b.length;
    const back = [...Array.from({ length: before }, (_, i) => nb + i), ...Array.from({ length: nb }, (_, i) => i), ...Array.from({ length: restShape.length - before }, (_, i) => nb + before + i)];
    return out.permute(back);
  } finally {
    for (const t of temps) t.dispose();
  }
}

/**
 * Python's `x[specs]` (PyTorch indexing). Integers, slices, `null` (new axis) and `'...'` give a
 * view that shares `x`'s storage, as in PyTorch; int32 index tensors (or `number[]`) and bool
 * masks (or `boolean[]`) use advanced indexing and give a new tensor: several index tensors
 * broadcast together, and the broadcast dims replace the indexed dims where those are adjacent,
 * else they come first (PyTorch's rule). Differentiable. A mask selects a data-dependent number
 * of elements, read back synchronously: on WebGPU use {@link indexAsync}. The mapping from Python
 * is in the module documentation: `x[1:, None, ..., -1]` is `x.index('1:', null, '...', -1)`.
 *
 * @example
 * ```ts
 * import { tensor, arange, index } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = arange(12).reshape([3, 4]);
 * await x.index(1).array(); // [4, 5, 6, 7]
 * await x.index(':', '1:3').array(); // [[1, 2], [5, 6], [9, 10]]
 * await x.index('::2', -1).array(); // [3, 11]
 * x.index(null, '...').shape; // [1, 3, 4]
 * await x.index([2, 0], { start: 1, stop: 3 }).array(); // [[9, 10], [1, 2]]
 * await index(x, x.gt(9)).array(); // [10, 11]
 * await x.index([0, 2], [1, 3]).array(); // [1, 11]
 * ```
 */
export function index(x: Tensor, ...specs: IndexSpec[]): Tensor {
  const op = 'index';
  assertTensor(op, x);
  const { items, owned } = parse(op, x, specs);
  try {
    return read(op, x, resolveMasksSync(op, items, owned, 'await x.indexAsync(...)'));
  } finally {
    for (const t of owned) t.dispose();
  }
}

/**
 * {@link index} on every backend: bool masks are turned into index tensors with
 * `await nonzeroAsync(mask)` (their one read back), then the indexing runs on the backend.
 *
 * @example
 * ```ts
 * import { tensor, indexAsync } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]);
 * await (await indexAsync(x, ':', x.index(0).gt(1))).array(); // [[2], [4]]
 * await (await x.indexAsync(x.gt(2))).array(); // [3, 4]
 * ```
 */
export async function indexAsync(x: Tensor, ...specs: IndexSpec[]): Promise<Tensor> {
  const op = 'indexAsync';
  assertTensor(op, x);
  const { items, owned } = parse(op, x, specs);
  try {
    return read(op, x, await resolveMasks(items, owned, (t) => nonzeroAsync(t)));
  } finally {
    for (const t of owned) t.dispose();
  }
}

function toValue(op: string, x: Tensor, value: unknown): Tensor {
  if (value instanceof Tensor) {
    assertTensor(op, value, 'value');
    sameBackend(op, [x, value], ['input', 'value']);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return scalarTensor(value, x.dtype, x.backendInstance);
  throw new TypeError(`${op}: expected value to be a Tensor or a number, got ${describeSpec(value)}`);
}

function assign(op: string, x: Tensor, items: Item[], value: unknown, owned: Tensor[], masks: 'sync' | 'resolved'): void {
  const temps: Tensor[] = [];
  noGrad(() => {
    const v = toValue(op, x, value);
    if (v !== value) temps.push(v);
    try {
      const { view, adv, masks: ms } = basic(op, x, items, temps);
      if (view !== x) temps.push(view);
      if (adv.dims.length === 0 && ms.length === 0) {
        writeInto(op, view, v);
        return;
      }
      if (adv.dims.length === 0 && ms.length === 1) {
        // x[..., mask, ...] = v: a where() for a one-element value, an in-order scatter otherwise; no index tensors
        const { dim, t } = ms[0]!;
        const shape = view.shape.map((s, i) => (i >= dim && i < dim + t.ndim ? s : 1));
        const m = t.reshape(shape);
        temps.push(m);
        if (v.numel() === 1) {
          const v0 = v.reshape([]);
          const vc = v0.dtype === view.dtype ? v0 : v0.to(view.dtype);
          const filled = where(m, vc, view);
          temps.push(v0, filled);
          if (vc !== v0) temps.push(vc);
          writeInto(op, view, filled);
          return;
        }
        if (t.ndim === view.ndim && view.backendInstance.readSync) {
          const r = maskedScatterValue(op, view, m, v, true);
          temps.push(r);
          writeInto(op, view, r);
          return;
        }
      }
      if (ms.length > 0) {
        if (masks === 'resolved') throw new Error(`${op}: internal error: unresolved mask`);
        const again = resolveMasksSync(op, items, owned, 'await x.indexAssignAsync_(specs, value)');
        assign(op, x, again, v, owned, 'resolved');
        return;
      }
      const { b, rest, before, perm, result } = advancedLayout(op, view, adv);
      let fits = false;
      try {
        fits = shapesEqual(broadcastShapes(op, v.shape, result), result);
      } catch {
        fits = false;
      }
      if (!fits) {
        throw new RangeError(`${op}: shape mismatch: value tensor of shape ${formatShape(v.shape)} cannot be broadcast to indexing result of shape ${formatShape(result)}`);
      }
      const target = isIdentity(perm) ? view : view.permute(perm);
      if (target !== view) temps.push(target);
      let vals = v.expand(result);
      temps.push(vals);
      if (before > 0) {
        const nb = b.length;
        const restLen = rest.length;
        const toFront = [...Array.from({ length: nb }, (_, i) => before + i), ...Array.from({ length: before }, (_, i) => i), ...Array.from({ length: restLen - before }, (_, i) => before + nb + i)];
        vals = vals.permute(toFront);
        temps.push(vals);
      }
      target.indexPut_(adv.idx, vals);
    } finally {
      for (const t of temps) t.dispose();
    }
  });
}

/**
 * Python's `x[specs] = value`, in place: for the same index forms as {@link index}. Basic
 * indexing writes `value` (broadcast, converted to `x`'s dtype) into the view with `copy_`;
 * index tensors use `indexPut_`; a single mask takes a `where` for a one-element value (no read
 * back, any backend) and an in-order scatter otherwise. Not recorded: on a tensor that requires
 * grad it throws unless under `noGrad()` (PyTorch refuses in-place writes to leaves that require
 * grad). Masks with a tensor value need a synchronous count: on WebGPU use
 * {@link indexAssignAsync_}. Returns `x`.
 *
 * @example
 * ```ts
 * import { zeros, tensor, indexAssign_ } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = zeros([2, 3]);
 * x.indexAssign_([0, '1:'], 1);              // x[0, 1:] = 1
 * x.indexAssign_([':', 0], tensor([5, 6]));   // x[:, 0] = [5, 6]
 * indexAssign_(x, [[1], [2]], 9);             // x[[1], [2]] = 9
 * await x.array(); // [[5, 1, 1], [6, 0, 9]]
 * x.indexAssign_([x.gt(4)], -1);              // x[x > 4] = -1
 * await x.array(); // [[-1, 1, 1], [-1, 0, -1]]
 * ```
 */
export function indexAssign_<T extends Tensor>(x: T, specs: readonly IndexSpec[], value: Tensor | number | boolean, ...rest: unknown[]): T {
  parseArgs(signature('indexAssign_', []), rest);
  const op = 'indexAssign_';
  checkInplace(op, x);
  if (!Array.isArray(specs)) throw new TypeError(`${op}: expected the index as an array of specs (x.indexAssign_([0, ':'], v) for x[0, :] = v), got ${describeSpec(specs)}`);
  const { items, owned } = parse(op, x, specs);
  try {
    assign(op, x, items, value, owned, 'sync');
  } finally {
    for (const t of owned) t.dispose();
  }
  return x;
}

/**
 * {@link indexAssign_} on every backend: bool masks are first turned into index tensors with
 * `await nonzeroAsync(mask)` (their one read back). Returns `x`.
 *
 * @example
 * ```ts
 * import { tensor, indexAssignAsync_ } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([1, 5, 2, 7]);
 * await indexAssignAsync_(x, [x.gt(4)], tensor([50, 70]));
 * await x.array(); // [1, 50, 2, 70]
 * ```
 */
export async function indexAssignAsync_<T extends Tensor>(x: T, specs: readonly IndexSpec[], value: Tensor | number | boolean, ...rest: unknown[]): Promise<T> {
  parseArgs(signature('indexAssignAsync_', []), rest);
  const op = 'indexAssignAsync_';
  checkInplace(op, x);
  if (!Array.isArray(specs)) throw new TypeError(`${op}: expected the index as an array of specs, got ${describeSpec(specs)}`);
  const { items, owned } = parse(op, x, specs);
  try {
    assign(op, x, await resolveMasks(items, owned, (t) => nonzeroAsync(t)), value, owned, 'resolved');
  } finally {
    for (const t of owned) t.dispose();
  }
  return x;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link index}: `x.index(0, '1:')` is Python's `x[0, 1:]`. */
    index(...specs: IndexSpec[]): Tensor;
    /** Method form of {@link indexAsync}. */
    indexAsync(...specs: IndexSpec[]): Promise<Tensor>;
    /** Method form of {@link indexAssign_}: `x.indexAssign_([0, '1:'], v)` is Python's `x[0, 1:] = v`. */
    indexAssign_(specs: readonly IndexSpec[], value: Tensor | number | boolean): this;
    /** Method form of {@link indexAssignAsync_}. */
    indexAssignAsync_(specs: readonly IndexSpec[], value: Tensor | number | boolean): Promise<this>;
  }
}
Tensor.prototype.index = function (this: Tensor, ...specs: IndexSpec[]): Tensor {
  return index(this, ...specs);
};
Tensor.prototype.indexAsync = function (this: Tensor, ...specs: IndexSpec[]): Promise<Tensor> {
  return indexAsync(this, ...specs);
};
Tensor.prototype.indexAssign_ = function <T extends Tensor>(this: T, specs: readonly IndexSpec[], value: Tensor | number | boolean): T {
  return indexAssign_(this, specs, value);
};
Tensor.prototype.indexAssignAsync_ = function <T extends Tensor>(this: T, specs: readonly IndexSpec[], value: Tensor | number | boolean): Promise<T> {
  return indexAssignAsync_(this, specs, value);
};
