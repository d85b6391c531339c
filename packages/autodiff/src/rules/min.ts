import type { GradRule } from '../rule.js';
import { extremumBackward } from './max.js';

// the same selection logic as max: min records the same attrs and outputs
export const min: GradRule<'min'> = { save: { inputs: true, outputs: true }, backward: extremumBackward };
