import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { valuesAndIndices } from '../extremum.js';

// values and the index of the first min (first NaN where one propagates): see extremum in ops.ts
export const min: Kernel<'min', TfjsBackend> = (ctx, x, attrs) => valuesAndIndices('min', ctx, x, attrs);
