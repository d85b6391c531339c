import { keep, Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';

const PARAMETER = signature('new Parameter', ['data', 'requiresGrad'], { required: 1 });

/**
 * A tensor that is a module parameter (PyTorch's `nn.Parameter`): a leaf that requires gradients
 * by default and that {@link Module} registers automatically when assigned to one of its fields.
 *
 * `new Parameter(data)` creates a new tensor object that SHARES `data`'s storage (a view, as
 * PyTorch does); `data` stays owned by the caller (dispose it when you no longer need it — the
 * parameter keeps the storage alive). The parameter itself is kept out of `tidy` scopes: it is
 * owned by its module and freed by `module.dispose()` (or by calling `dispose()` on it).
 *
 * @example
 * ```ts
 * import { Parameter } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const data = zeros([2, 3]);
 * const w = new Parameter(data);
 * data.dispose();
 * w.requiresGrad; // true
 * w.shape; // [2, 3]
 * new Parameter(zeros([1]), false).requiresGrad; // false
 * new Parameter(zeros([1]), { requiresGrad: false }).requiresGrad; // false
 * ```
 */
export class Parameter extends Tensor {
  /** PyTorch's `Parameter(data, requires_grad=True)`, positionally or with the flag by name. */
  constructor(data: Tensor, requiresGrad?: boolean);
  constructor(data: Tensor, options: { requiresGrad?: boolean });
  constructor(options: { data: Tensor; requiresGrad?: boolean });
  constructor(...args: unknown[]) {
    const a = parseArgs(PARAMETER, args);
    const data = a.data as Tensor;
    const requiresGrad = a.requiresGrad ?? true;
    if (typeof requiresGrad !== 'boolean') throw new TypeError(`Parameter: expected requiresGrad to be a boolean, got ${String(requiresGrad)}`);
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter: expected a Tensor, got ${data === null ? 'null' : typeof data}; create one with tensor(), zeros(), randn(), …`);
    }
    data._check('Parameter');
    super(data._storage.retain(), data.shape, data._strides, data._offset);
    keep(this);
    if (requiresGrad) this.requiresGrad_(true);
  }
}

/** @internal Wraps `t` in a {@link Parameter} and disposes `t` (the parameter keeps the storage). */
export function ownParameter(t: Tensor, requiresGrad = true): Parameter {
  const p = new Parameter(t, requiresGrad);
  t.dispose();
  return p;
}
