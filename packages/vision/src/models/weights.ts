import { refuseUnsupported } from '../args.js';

/**
 * torchvision's `weights=` downloads the checkpoint, which tensorgrad never does at run time:
 * anything but `null` is refused, with how to load a `.pth` the user downloaded.
 * @internal
 */
export function refuseWeights(builder: string, weights: unknown, file: string): void {
  refuseUnsupported(
    builder,
    'weights',
    weights,
    [null],
    `tensorgrad downloads nothing at run time. Download the checkpoint yourself (torchvision's file is ${file}, under https://download.pytorch.org/models/), ` +
      `then build the model without weights and load it: const model = ${builder}(); model.loadStateDict(await loadTorch('${file}'), { strict: true }) ` +
      `(loadTorch from @tensorgrad/io; a safetensors file loads with loadSafetensors)`,
  );
}

/**
 * Checks torchvision's `progress` flag (it only shows a download bar, and nothing is downloaded).
 * @internal
 */
export function checkProgress(builder: string, progress: unknown): void {
  if (progress !== undefined && progress !== null && typeof progress !== 'boolean') {
    throw new TypeError(`${builder}: expected progress to be a boolean, got ${typeof progress}`);
  }
}
