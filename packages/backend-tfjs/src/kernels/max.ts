import type { KernelFactory } from '../host.js';
import { reduceExtremum } from '../ops.js';

// values and the index of the first max (first NaN where one propagates): see extremum in ops.ts
export const max: KernelFactory<'max'> = (h) => (x, { dim, keepdim }) => {
  const [values, indices] = h.computeMany('max', [x.dtype, 'int32'], () => {
    const r = reduceExtremum(h.view(x), dim, keepdim, 'max', true);
    return [r.values, r.indices!];
  });
  return [values!, indices!];
};
