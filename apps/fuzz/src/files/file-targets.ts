import type { FuzzTarget } from '../target.js';
import { checkpointFileTarget } from './checkpoint.js';
import { idxFileTarget } from './idx.js';
import { jpegFileTarget } from './jpeg.js';
import { pngFileTarget } from './png.js';
import { pthFileTarget } from './pth.js';
import { safetensorsFileTarget } from './safetensors.js';

/**
 * The hostile-file fuzzers, one per reader: `files/idx`, `files/safetensors`, `files/checkpoint`,
 * `files/pth`, `files/png`, `files/jpeg` (what `pnpm fuzz -- --targets files` runs).
 *
 * @example
 * ```ts
 * import { FILE_TARGETS } from '@tensorgrad/fuzz';
 * FILE_TARGETS.map((t) => t.name); // ['files/idx', 'files/safetensors', 'files/checkpoint', 'files/pth', 'files/png', 'files/jpeg']
 * ```
 */
export const FILE_TARGETS: readonly FuzzTarget[] = [idxFileTarget, safetensorsFileTarget, checkpointFileTarget, pthFileTarget, pngFileTarget, jpegFileTarget];
