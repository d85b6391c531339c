import type { KernelFactory } from '../host.js';
import { reduceExtremum } from '../ops.js';

// tfjs's argMax does not promise the first occurrence on ties nor NaN handling: see extremum in ops.ts
export const argmax: KernelFactory<'argmax'> = (h) => (x, { dim, keepdim }) =>
  h.compute('argmax', 'int32', () => reduceExtremum(h.view(x), dim, keepdim, 'max', true).indices!);
