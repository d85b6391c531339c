/**
 * What a {@link NotSupportedError} says is missing: a kernel for an op with no decomposition
 * (`'kernel'`), a dtype the backend cannot store (`'dtype'`), or a synchronous read on a backend
 * whose data is only readable asynchronously (`'sync-read'`, e.g. WebGPU).
 */
export type NotSupportedKind = 'kernel' | 'dtype' | 'sync-read';

/**
 * The error thrown when an operation is valid but the backend cannot do it (yet): it names the
 * op, the backend and what is missing (`kind`), and its message says how to get around it.
 * Catch it to fall back to another backend or to the asynchronous API; every other error
 * means the call itself was wrong.
 *
 * @example
 * ```ts
 * import { NotSupportedError, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const e = new NotSupportedError('conv2d', 'mine', 'kernel', "conv2d: not supported yet on backend 'mine'");
 * [e instanceof Error, e.name, e.op, e.backend, e.kind]; // [true, 'NotSupportedError', 'conv2d', 'mine', 'kernel']
 * ```
 */
export class NotSupportedError extends Error {
  override readonly name = 'NotSupportedError';

  constructor(
    /** The op (or method, such as `dataSync`) that was called. */
    readonly op: string,
    /** The backend that cannot do it. */
    readonly backend: string,
    /** What is missing. */
    readonly kind: NotSupportedKind,
    message: string,
  ) {
    super(message);
  }
}
