import type { GradRule } from '../rule.js';
import { scatterToIndices } from './sort.js';

// the gradient of the k selected values goes back to their positions; the others get 0
export const topk: GradRule<'topk'> = { save: { inputs: false, outputs: true }, backward: scatterToIndices };
