import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { indexOfExtremum } from '../extremum.js';

// tfjs's argMax does not promise the first occurrence on ties nor NaN handling: see extremum in ops.ts
export const argmax: Kernel<'argmax', TfjsBackend> = (ctx, x, attrs) => indexOfExtremum('argmax', ctx, x, attrs);
