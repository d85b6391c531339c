// Strided views as tfjs tensors: every fast path and the gather fallback, against the element
// each view position refers to (computed here from shape, strides and offset), on both engines.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { TfjsBackend, type TfjsStorage } from '@tensorgrad/backend-tfjs';
import { materialise, viewPath, type ViewPath } from '../src/view.js';

// the reference: position -> storage offset, by unravelling the row-major position
function expected(storage: readonly number[], shape: readonly number[], strides: readonly number[], offset: number): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let rem = i;
    let off = offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      off += (rem % shape[d]!) * strides[d]!;
      rem = Math.floor(rem / shape[d]!);
    }
    out.push(storage[off]!);
  }
  return out;
}

const views: { name: string; size: number; shape: number[]; strides: number[]; offset: number; path: ViewPath }[] = [
  { name: 'whole storage, contiguous', size: 24, shape: [2, 3, 4], strides: [12, 4, 1], offset: 0, path: 'reshape' },
  { name: 'size-1 dims with any stride', size: 6, shape: [2, 1, 3], strides: [3, 99, 1], offset: 0, path: 'reshape' },
  { name: 'scalar at an offset', size: 24, shape: [], strides: [], offset: 7, path: 'slice' },
  { name: 'contiguous run at an offset (select of dim 0)', size: 24, shape: [3, 4], strides: [4, 1], offset: 12, path: 'slice' },
  { name: 'prefix of the storage', size: 24, shape: [5], strides: [1], offset: 0, path: 'slice' },
  { name: 'transposed matrix', size: 12, shape: [4, 3], strides: [1, 4], offset: 0, path: 'transpose' },
  { name: 'permuted 3-d at an offset', size: 30, shape: [4, 2, 3], strides: [1, 12, 4], offset: 6, path: 'transpose' },
  { name: 'broadcast row (stride 0)', size: 24, shape: [5, 4], strides: [0, 1], offset: 8, path: 'broadcast' },
  { name: 'broadcast of a transposed view', size: 12, shape: [2, 4, 3], strides: [0, 1, 4], offset: 0, path: 'broadcast' },
  { name: 'broadcast scalar', size: 24, shape: [3, 2], strides: [0, 0], offset: 5, path: 'broadcast' },
  { name: 'every other element (step 2)', size: 24, shape: [12], strides: [2], offset: 1, path: 'gather' },
  { name: 'column block (narrow of the last dim)', size: 24, shape: [4, 2], strides: [6, 1], offset: 3, path: 'gather' },
  { name: 'negative-free diagonal', size: 16, shape: [4], strides: [5], offset: 0, path: 'gather' },
  { name: 'overlapping windows', size: 10, shape: [4, 3], strides: [2, 1], offset: 0, path: 'gather' },
  { name: 'broadcast of a strided view', size: 24, shape: [3, 4], strides: [0, 3], offset: 2, path: 'broadcast' },
  { name: 'zero-size', size: 24, shape: [0, 4], strides: [4, 1], offset: 0, path: 'empty' },
];

describe.each(['cpu', 'wasm'] as const)('views on the %s engine', (engine) => {
  it.each(views.map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    const backend = await TfjsBackend.create({ name: `view-test-${engine}`, engine });
    try {
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const data = Array.from({ length: v.size }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i * 1.5 - 7));
        const host = dtype === 'float32' ? Float32Array.from(data.map(Number)) : dtype === 'int32' ? Int32Array.from(data.map(Number)) : Uint8Array.from(data.map(Number));
        const handle = backend.alloc(dtype, v.size) as TfjsStorage;
        backend.write(handle, host);
        expect(viewPath(v, v.size)).toBe(v.path);
        const before = tf.memory().numTensors;
        const got = tf.tidy(() => {
          const t = materialise(handle.tensor, { ...v, dtype });
          expect(t).not.toBe(handle.tensor);
          expect(t.shape).toEqual(v.shape);
          expect(t.dtype).toBe(dtype);
          return Array.from(t.dataSync());
        });
        expect(tf.memory().numTensors).toBe(before);
        expect(got).toEqual(expected(Array.from(host), v.shape, v.strides, v.offset));
        backend.free(handle);
      }
      expect(backend.memory().numTensors).toBe(0);
    } finally {
      backend.dispose();
    }
  });
});
