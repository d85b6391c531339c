/**
 * Instances that can be called like functions, as PyTorch's `module(x)` and `loss_fn(pred, y)`
 * are: the shared base of `Module` (`@tensorgrad/layers`) and `LossModule` (`@tensorgrad/losses`).
 */

type Callable = { call(...inputs: unknown[]): unknown };

/**
 * A base class whose constructor returns a *function object* (instead of the ordinary object
 * `new` would create) with prototype `new.target.prototype`: every instance is callable —
 * `obj(...args)` runs `obj.call(...args)` — and stays an instance of its class (`instanceof`,
 * fields, methods). `Function.prototype` is not on the chain, so `call`, `apply` and `bind` are
 * the class's own or absent; the function's own `name` and `length` are deleted so that fields
 * and getters of those names work. Subclasses must define `call`; their fields are initialised on
 * the function object. `typeof obj` is `'function'`.
 *
 * @example
 * ```ts
 * import { CallableInstance } from '@tensorgrad/tensor/backend';
 * class Doubler extends CallableInstance {
 *   call(x: number): number {
 *     return 2 * x;
 *   }
 * }
 * const d = new Doubler() as Doubler & ((x: number) => number);
 * d(21); // 42
 * d instanceof Doubler; // true
 * ```
 */
export const CallableInstance = function CallableInstance(this: unknown, ...args: unknown[]): Callable {
  void args;
  if (new.target === undefined) throw new TypeError("class constructors must be invoked with 'new'");
  const fn = ((...inputs: unknown[]): unknown => (fn as unknown as Callable).call(...inputs)) as unknown as Callable;
  delete (fn as { name?: string }).name;
  delete (fn as { length?: number }).length;
  Object.setPrototypeOf(fn, new.target.prototype as object);
  return fn;
} as unknown as new () => object;
CallableInstance.prototype = Object.create(Object.prototype, {
  constructor: { value: CallableInstance, writable: true, configurable: true },
}) as object;
