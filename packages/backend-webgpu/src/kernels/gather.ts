import type { KernelMap } from '@tensorgrad/tensor';
import { selectAlong } from './select-along.js';

/**
 * `out[…, j, …] = x[…, index[…, j, …], …]` along `dim`: one thread per output (= index) element;
 * the index and `x` (its `dim` term left out, added from the index value) are read through their
 * strides.
 */
export const gather: KernelMap['gather'] = (x, index, { dim }) => selectAlong('gather', x, index, index, dim, index.shape);
