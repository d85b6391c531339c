/**
 * The book's region proposals: `extract_candidates`, selective search with the regions filtered by
 * size.
 */
import { selectiveSearchRegions, type Tensor } from 'tensorgrad';
import type { Box } from './worked.js';

/** Options of {@link extractCandidates}. */
export interface ExtractCandidatesOptions {
  /** Felzenszwalb's `scale` (default 200, the book's). */
  scale?: number;
  /** Smallest initial segment in pixels (default 100, the book's). */
  minSize?: number;
  /** Regions covering less than this fraction of the image are dropped (default 0.05, the book's). */
  minFraction?: number;
  /** Smoothing before segmentation (default 0.8, the package's). */
  sigma?: number;
}

/**
 * The book's `extract_candidates(img)`: `selectivesearch.selective_search(img, scale=200,
 * min_size=100)`, then every region whose pixel count is at least 5 % of the image (and at most
 * all of it), each box once. Returns `xyxy` boxes in pixels (the book keeps `xywh` and converts
 * afterwards).
 *
 * @example
 * ```ts
 * import { fromTypedArray } from 'tensorgrad';
 * import { extractCandidates } from './proposals.js';
 * const px = new Float32Array(32 * 32);
 * for (let y = 8; y < 24; y++) for (let x = 4; x < 16; x++) px[y * 32 + x] = 1; // one bright 12×16 patch
 * const boxes = await extractCandidates(fromTypedArray(px, [1, 32, 32]), { minSize: 20, sigma: 0 }); // no smoothing
 * boxes.some((b) => b.join() === '4,8,16,24'); // true
 * ```
 */
export async function extractCandidates(image: Tensor, options: ExtractCandidatesOptions = {}): Promise<Box[]> {
  const [, height, width] = image.shape.length === 3 ? (image.shape as [number, number, number]) : [1, image.shape[0]!, image.shape[1]!];
  const area = height * width;
  const regions = await selectiveSearchRegions(image, { scale: options.scale ?? 200, minSize: options.minSize ?? 100, sigma: options.sigma ?? 0.8 });
  const minFraction = options.minFraction ?? 0.05;
  const seen = new Set<string>();
  const candidates: Box[] = [];
  for (const r of regions) {
    const key = r.box.join();
    if (seen.has(key)) continue;
    if (r.size < minFraction * area) continue;
    if (r.size > area) continue;
    seen.add(key);
    candidates.push([r.box[0], r.box[1], r.box[2], r.box[3]]);
  }
  return candidates;
}
