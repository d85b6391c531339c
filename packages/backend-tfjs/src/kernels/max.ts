import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { valuesAndIndices } from '../extremum.js';

// values and the index of the first max (first NaN where one propagates): see extremum in ops.ts
export const max: Kernel<'max', TfjsBackend> = (ctx, x, attrs) => valuesAndIndices('max', ctx, x, attrs);
