import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { indexOfExtremum } from '../extremum.js';

// tfjs's argMin does not promise the first occurrence on ties nor NaN handling: see extremum in ops.ts
export const argmin: Kernel<'argmin', TfjsBackend> = (ctx, x, attrs) => indexOfExtremum('argmin', ctx, x, attrs);
