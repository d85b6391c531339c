/**
 * The chapter's data: the book trains on a few hundred Open Images pictures of buses and trucks;
 * none can be downloaded here, so the detectors learn from `FashionMNISTScenes` (garments placed on
 * a small black canvas, ten classes plus the background).
 */
import { FashionMNISTScenes, fromTypedArray } from 'tensorgrad';
import type { Scene } from './detect.js';
import type { Box } from './worked.js';

/** Options of {@link loadScenes}. */
export interface LoadScenesOptions {
  /** Garments from Fashion-MNIST's training images (default) or, when false, its test images. */
  train?: boolean;
  /** Number of scenes (default 500). */
  length?: number;
  /** Side of the square canvas (default 64). */
  size?: number;
  /** Garments per scene, `[min, max]` (default `[1, 3]`). */
  numGarments?: readonly [number, number];
  /** Side of a garment, `[min, max]` pixels (default `[16, 32]`). */
  garmentSize?: readonly [number, number];
  /** Seed of the scenes (default 0). */
  seed?: number;
  /** Where Fashion-MNIST's files are looked for first (`FashionMNIST.load`'s `root`). */
  root?: string;
}

/**
 * Generates the chapter's scenes: `length` grey canvases of `size × size` with 1–3 garments each
 * (non-overlapping boxes), as {@link Scene}s (image tensor, boxes and labels 1–10 as plain arrays).
 * Training and held-out scenes come from Fashion-MNIST's training and test images respectively
 * (`train`), so they share no garment.
 *
 * @example
 * ```ts
 * import { loadScenes } from './data.js';
 * const scenes = await loadScenes({ length: 2, size: 48 });
 * scenes[0]!.image.shape; // [1, 48, 48]
 * scenes.every((s) => s.boxes.length === s.labels.length && s.labels.every((l) => l >= 1 && l <= 10)); // true
 * ```
 */
export async function loadScenes(options: LoadScenesOptions = {}): Promise<Scene[]> {
  const generator = await FashionMNISTScenes.load({
    ...(options.root !== undefined ? { root: options.root } : {}),
    train: options.train ?? true,
    length: options.length ?? 500,
    size: options.size ?? 64,
    numGarments: options.numGarments ?? [1, 3],
    garmentSize: options.garmentSize ?? [16, 32],
    seed: options.seed ?? 0,
  });
  const scenes: Scene[] = [];
  for (let i = 0; i < generator.length; i++) {
    const s = generator.scene(i);
    const boxes: Box[] = [];
    for (let k = 0; k < s.labels.length; k++) boxes.push([s.boxes[4 * k]!, s.boxes[4 * k + 1]!, s.boxes[4 * k + 2]!, s.boxes[4 * k + 3]!]);
    scenes.push({ image: fromTypedArray(s.image, s.shape), boxes, labels: Array.from(s.labels) });
  }
  return scenes;
}
