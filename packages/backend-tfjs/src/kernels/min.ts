import type { KernelFactory } from '../host.js';
import { reduceExtremum } from '../ops.js';

// values and the index of the first min (first NaN where one propagates): see extremum in ops.ts
export const min: KernelFactory<'min'> = (h) => (x, { dim, keepdim }) => {
  const [values, indices] = h.computeMany('min', [x.dtype, 'int32'], () => {
    const r = reduceExtremum(h.view(x), dim, keepdim, 'min', true);
    return [r.values, r.indices!];
  });
  return [values!, indices!];
};
