import type { KernelFactory } from '../host.js';
import { reduceExtremum } from '../ops.js';

// tfjs's argMin does not promise the first occurrence on ties nor NaN handling: see extremum in ops.ts
export const argmin: KernelFactory<'argmin'> = (h) => (x, { dim, keepdim }) =>
  h.compute('argmin', 'int32', () => reduceExtremum(h.view(x), dim, keepdim, 'min', true).indices!);
