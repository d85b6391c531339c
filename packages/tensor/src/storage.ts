import type { Backend } from './backend.js';
import type { StorageHandle } from './kernel.js';
import type { DType } from './dtype.js';

/**
 * Reference-counted backend storage, shared by a tensor and all of its views. The backend
 * buffer is freed when the last tensor referencing it is disposed.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const t = tensor([1, 2, 3]);
 * const v = t.view(3, 1); // shares t's storage
 * t.dispose(); // storage stays alive: v still references it
 * v.dispose(); // now it is freed
 * ```
 */
export class Storage {
  /** Number of live tensors referencing this storage. */
  refs = 1;
  constructor(
    readonly backend: Backend,
    readonly handle: StorageHandle,
    readonly dtype: DType,
    readonly size: number,
  ) {}

  /** Adds a reference (a new view). */
  retain(): this {
    this.refs++;
    return this;
  }

  /** Drops a reference, freeing the backend buffer when none is left. */
  release(): void {
    if (--this.refs === 0) this.backend.free(this.handle);
  }
}
