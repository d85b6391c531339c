// Number formats shared by the page's live view. The DOM test hooks read some of these texts
// (`test-accuracy`, `images-per-second`, `memory`, the top-3 list), so their shapes are part of the
// contract with the browser tests and live in one place.
import type { MemoryInfo } from '../protocol.js';

/** Bytes as `3.4 MB` (decimal units, as the browser's task manager shows them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** A backend's memory as `12 tensors, 3.4 MB`. */
export function formatMemory(memory: MemoryInfo): string {
  return `${memory.tensors} ${memory.tensors === 1 ? 'tensor' : 'tensors'}, ${formatBytes(memory.bytes)}`;
}

/** A probability or accuracy as `87.3 %`. */
export function formatPercent(p: number): string {
  return `${(p * 100).toFixed(1)} %`;
}

/** An accuracy as the `test-accuracy` hook shows it: a plain decimal in [0, 1], four places. */
export function formatAccuracy(p: number): string {
  return p.toFixed(4);
}

/** A loss, with as many places as make it readable. */
export function formatLoss(loss: number): string {
  return loss.toFixed(4);
}

/** Images per second as a whole number, or one decimal below 10. */
export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? Math.round(perSecond).toString() : perSecond.toFixed(1);
}

/**
 * What the page says when a batch's loss is no longer a finite number: the run goes on (as
 * PyTorch's would), but every later loss, accuracy and prediction is meaningless, and without a word
 * the page would end with "finished" and `NaN` in the charts' gaps.
 */
export function divergedNote(loss: number, epoch: number, batch: number, lr: number, optimizer: string): string {
  return `the training loss is ${loss} at epoch ${epoch}, batch ${batch}: the model diverged, and its weights and predictions are no longer numbers; stop the run and start again with a smaller learning rate than ${lr} for ${optimizer}`;
}
