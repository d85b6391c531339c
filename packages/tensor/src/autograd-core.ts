/**
 * The part of autodiff that lives in `@tensorgrad/tensor`: grad mode, the tape node type and the
 * hook that `@tensorgrad/autodiff` installs when imported. Without that package nothing is
 * recorded and `backward()` explains what to import.
 */
import type { DType } from './dtype.js';
import type { OpAttrs, RecordedOpName } from './op-registry.js';
import type { Shape } from './shape.js';
import type { Tensor } from './tensor.js';

let gradEnabled = true;

/**
 * Whether operations are currently recorded for autodiff.
 *
 * @example
 * ```ts
 * import { isGradEnabled, noGrad } from '@tensorgrad/tensor';
 * isGradEnabled(); // true
 * noGrad(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Turns recording on or off globally and returns the previous setting.
 *
 * @example
 * ```ts
 * import { setGradEnabled } from '@tensorgrad/tensor';
 * const previous = setGradEnabled(false);
 * setGradEnabled(previous);
 * ```
 */
export function setGradEnabled(enabled: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = enabled;
  return prev;
}

function withGradMode<T>(mode: boolean, fn: () => T): T {
  const prev = setGradEnabled(mode);
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/**
 * Runs `fn` without recording operations for autodiff (PyTorch's `torch.no_grad()`): results
 * do not require grad. Use it for evaluation and for manual parameter updates.
 *
 * @example
 * ```ts
 * import { tensor, noGrad } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2));
 * y.requiresGrad; // false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * Runs `fn` with recording enabled, even inside {@link noGrad} (PyTorch's `torch.enable_grad()`).
 *
 * @example
 * ```ts
 * import { tensor, noGrad, enableGrad } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => enableGrad(() => w.mul(2)));
 * y.requiresGrad; // true
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/** Per-input metadata a node keeps for its gradient rule. */
export interface InputMeta {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly requiresGrad: boolean;
}

/**
 * A node of the autodiff tape: the op that produced a tensor, its attributes, what it saved
 * for backward, and the nodes (or leaf tensors) that its inputs came from. Exposed as
 * `tensor.gradFn`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const y = tensor([1, 2], { requiresGrad: true }).mul(2);
 * y.gradFn?.displayName; // 'MulBackward'
 * ```
 */
export class GradNode<N extends RecordedOpName = RecordedOpName> {
  /** Live tensors (user-facing outputs) and downstream nodes that reference this node. */
  refs = 0;
  /** Set once the saved tensors were released (after a backward without `retainGraph`). */
  released = false;
  /**
   * Hooks registered with `registerHook()` on the tensor this node produced, run in order on
   * that tensor's gradient before it flows further (by id; see {@link TensorHook}); `null` until
   * the first one (most nodes never get one).
   */
  tensorHooks: Map<number, TensorHook> | null = null;
  /** The tensor this node produced when it called `retainGrad()`: backward stores its gradient in its `.grad`. */
  retainedBy: Tensor | null = null;
  constructor(
    /** The op's name (as in the op registry). */
    readonly name: N,
    /** The op's normalised attributes. */
    readonly attrs: OpAttrs[N],
    /** Shape, dtype and requiresGrad of each input (`null` for absent optional inputs). */
    readonly inputs: readonly (InputMeta | null)[],
    /** For each input: the node that produced it, if any. */
    readonly next: readonly (GradNode | null)[],
    /** For each input: the leaf tensor requiring grad, if it is one (gradients accumulate there). */
    readonly leaves: readonly (Tensor | null)[],
    /** Tensors saved for the rule (detached aliases), `undefined` where the rule saves nothing. */
    public savedInputs: (Tensor | undefined)[],
    public savedOutputs: (Tensor | undefined)[],
  ) {
    for (const n of next) if (n) n.refs++;
  }

  /** PyTorch-style name, e.g. `AddBackward`. */
  get displayName(): string {
    return `${this.name[0]!.toUpperCase()}${this.name.slice(1)}Backward`;
  }

  /** Frees the saved tensors (idempotent). */
  releaseSaved(): void {
    if (this.released) return;
    this.released = true;
    for (const t of this.savedInputs) t?.dispose();
    for (const t of this.savedOutputs) t?.dispose();
    this.savedInputs = [];
    this.savedOutputs = [];
  }

  /** Drops a reference; when none is left the node frees its saved tensors and lets go of its inputs. */
  decRef(): void {
    if (--this.refs > 0) return;
    this.releaseSaved();
    for (const n of this.next) n?.decRef();
  }
}

/**
 * A gradient hook (PyTorch's `Tensor.register_hook`): called with the gradient of the tensor it
 * was registered on during backward; returning a tensor (same shape) replaces that gradient,
 * returning nothing keeps it.
 */
export type TensorHook = (grad: Tensor) => Tensor | void | undefined;

/** Handle returned by `Tensor.registerHook()`: `remove()` unregisters the hook (idempotent). */
export interface HookHandle {
  /** Unregisters the hook. */
  remove(): void;
}

/** What a gradient rule needs saved: which inputs (all, none or by index) and whether the outputs. */
export interface SaveSpec {
  inputs: boolean | readonly number[];
  outputs: boolean;
}

/** Options of `backward()`. */
export interface BackwardOptions {
  /** Keep the saved tensors so that backward can run through the graph again. */
  retainGraph?: boolean;
}

/** The hooks `@tensorgrad/autodiff` installs into the tensor package. */
export interface AutogradHooks {
  /** What each op's rule needs saved; `null` for non-differentiable ops (nothing is recorded). */
  saveSpec(name: RecordedOpName): SaveSpec | null;
  /** Runs backward from `root`. */
  backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void;
}

let hooks: AutogradHooks | null = null;

/**
 * Installs the autodiff engine (called by `@tensorgrad/autodiff` when it is imported).
 *
 * @example
 * ```ts
 * import { autogradHooks } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/autodiff';
 * autogradHooks() !== null; // true
 * ```
 */
export function installAutograd(h: AutogradHooks): void {
  hooks = h;
}

/**
 * The installed autodiff hooks, or `null` when `@tensorgrad/autodiff` was not imported.
 *
 * @example
 * ```ts
 * import { autogradHooks } from '@tensorgrad/tensor/backend';
 * const enabled = autogradHooks() !== null;
 * ```
 */
export function autogradHooks(): AutogradHooks | null {
  return hooks;
}
