import type { Tensor } from '@tensorgrad/tensor';
import type { InputMeta, OpAttrs, RecordedOpName, SaveSpec } from '@tensorgrad/tensor/backend';

/** What a gradient rule receives besides the upstream gradient. */
export interface RuleContext<N extends RecordedOpName> {
  /** The op's normalised attributes. */
  readonly attrs: OpAttrs[N];
  /** Shape, dtype and requiresGrad of each input (`null` for absent optional inputs). */
  readonly inputs: readonly (InputMeta | null)[];
  /** Saved inputs (detached), per the rule's `save` spec; `undefined` where not saved. */
  readonly saved: readonly (Tensor | undefined)[];
  /** Saved outputs (detached) when the rule asked for them (e.g. `[values, indices]` of `max`). */
  readonly outputs: readonly (Tensor | undefined)[];
  /** Which inputs need a gradient; a rule may return `null` for the others. */
  readonly needsGrad: readonly boolean[];
}

/**
 * A vector-Jacobian product written with tensor ops (never kernels), so any backend that runs the
 * forward ops can train.
 */
export interface GradRule<N extends RecordedOpName> {
  /** What to save at forward time (default: every input, no output). */
  readonly save?: SaveSpec;
  /** Gradients of each input given the gradient of the (first) output; `null` = no gradient. */
  backward(ctx: RuleContext<N>, grad: Tensor): (Tensor | null)[];
}

/** Marker for ops whose outputs are not differentiable (comparisons, argmax, oneHot, …). */
export const NON_DIFFERENTIABLE = 'non-differentiable';

/** The rule table type: a missing op is a compile error. */
export type RuleTable = { readonly [N in RecordedOpName]: GradRule<N> | typeof NON_DIFFERENTIABLE };
