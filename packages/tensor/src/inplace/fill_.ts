import { parseArgs, signature } from '../signature.js';
import { allocArray } from '../dtype.js';
import { assertTensor, fromArray } from '../engine.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkInplace, writeInto } from './copy_.js';

/**
 * Fills `self` with a number, boolean or one-element tensor.
 * @internal
 */
export function fillInPlace(op: string, self: Tensor, value: unknown): Tensor {
  checkInplace(op, self);
  if (value instanceof Tensor) {
    assertTensor(op, value, 'value');
    if (value.ndim !== 0) {
      throw new RangeError(`${op}: only supports a 0-dimensional value tensor, but got one of shape ${formatShape(value.shape)}; pass a number or value.reshape([])`);
    }
    writeInto(op, self, value);
    return self;
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`${op}: expected value to be a number, a boolean or a 0-d tensor, got ${value === null ? 'null' : typeof value}`);
  }
  const n = typeof value === 'boolean' ? Number(value) : value;
  const arr = allocArray(self.dtype, 1);
  arr[0] = self.dtype === 'bool' ? (n !== 0 ? 1 : 0) : n;
  const scalar = fromArray(self.backendInstance, arr, [], self.dtype, true);
  try {
    writeInto(op, self, scalar);
  } finally {
    scalar.dispose();
  }
  return self;
}

/** `Tensor.fill_(value)`: nothing after the value. */
const FILL = signature('fill_', []);

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Sets every element to `value` in place (integer dtypes truncate it; bool is `value != 0`),
     * writing through views into the shared storage; returns `this`.
     *
     * @example
     * ```ts
     * import { zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = zeros([2, 3]);
     * x.narrow(1, 1, 1).fill_(5); // fills column 1 of x
     * await x.array(); // [[0, 5, 0], [0, 5, 0]]
     * ```
     */
    fill_(value: number | boolean | Tensor): this;
  }
}
Tensor.prototype.fill_ = function <T extends Tensor>(this: T, value: number | boolean | Tensor, ...rest: unknown[]): T {
  parseArgs(FILL, rest);
  return fillInPlace('fill_', this, value) as T;
};
