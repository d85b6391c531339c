/** What a kernel of this backend gets to work with: its engine, views as tfjs tensors, results. */
import type * as tf from '@tensorflow/tfjs-core';
import type { DType, KernelMap, KernelName, KernelResult, KernelTensor } from '@tensorgrad/tensor';
import type { TfjsEngine } from './engine.js';

/** The services a kernel uses: everything tfjs-specific that is not the op itself. */
export interface KernelHost {
  /** The tfjs engine the kernels run on. */
  readonly engine: TfjsEngine;
  /**
   * Runs `fn` on this backend's engine inside `tf.tidy` and returns its result as a kernel result
   * of dtype `dtype` (its shape is the returned tensor's).
   */
  compute(kernel: string, dtype: DType, fn: () => tf.Tensor): KernelResult;
  /** {@link compute} for kernels with several results. */
  computeMany(kernel: string, dtypes: readonly DType[], fn: () => tf.Tensor[]): KernelResult[];
  /**
   * Runs `fn` inside `tf.tidy` on this backend's engine and writes each returned tensor into the
   * corresponding view (in-place kernels: `copy_`, `adamUpdate_`).
   */
  update(kernel: string, targets: readonly KernelTensor[], fn: () => tf.Tensor[]): void;
  /** The tfjs tensor of a (strided) view, of its logical shape; only inside compute/update. */
  view(t: KernelTensor): tf.Tensor;
  /**
   * A view for a tfjs op that broadcasts by itself: its broadcast (stride-0) dims left at size 1
   * (leading ones dropped), so nothing is expanded in memory; only inside compute/update.
   */
  operand(t: KernelTensor): tf.Tensor;
  /** `x` broadcast to `shape` (a binary op's result when both operands were broadcast). */
  expand(x: tf.Tensor, shape: readonly number[]): tf.Tensor;
  /** The flat 1-D storage tensor behind a view; only inside compute/update (do not dispose). */
  storage(t: KernelTensor): tf.Tensor;
}

/** A kernel of this backend, made for one host. */
export type KernelFactory<K extends KernelName> = (h: KernelHost) => NonNullable<KernelMap[K]>;
