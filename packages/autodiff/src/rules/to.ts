import type { GradRule } from '../rule.js';

// the gradient goes back to the input's dtype and backend; the input is saved (an alias, no copy)
// only because its backend is not part of the recorded metadata
export const to: GradRule<'to'> = {
  save: { inputs: true, outputs: false },
  backward: ({ inputs, saved }, g) => [g.to({ dtype: inputs[0]!.dtype, backend: saved[0]?.backend ?? g.backend })],
};
