// Fashion-MNIST for the page: the four IDX files fetched from a folder URL, decompressed by the
// browser (DecompressionStream, so no zlib in the bundle) and validated. The pixels stay uint8
// (47 MB for the training set) until a run asks for float32 tensors of the first `limit` images,
// so a 2,000-image run never holds 60,000 float images.
import { fromTypedArray, parseIdx } from 'tensorgrad';
import type { LabelledImages } from '../src/train.js';

/** The base names of the four files, as in the CLI's data folder. */
export const FASHION_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Side of the square images. */
export const IMAGE_SIDE = 28;

/** How to get the files when they cannot be fetched. */
const HOW_TO_FIX = 'Serve the page with `npm run web` (its build copies the files into dist-web/data/), or pass ?data=<folder URL> naming a folder that holds the four Fashion-MNIST IDX files (.gz or not)';

/** Progress of one file's download: bytes so far and the total when the server said it. */
export type DataProgress = (file: string, loaded: number, total: number | null) => void;

/** One split, as in its files: uint8 pixels `[count, 28, 28]` row-major and labels 0–9. */
export interface RawSplit {
  readonly count: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** Both splits. */
export interface RawFashion {
  readonly train: RawSplit;
  readonly test: RawSplit;
}

/** Options of {@link fetchFashionMnist}. */
export interface FetchFashionOptions {
  /** The `fetch` to use (tests pass a fake; default the global one). */
  fetch?: typeof fetch;
  /** Called as each file arrives (at most every 50 ms per file, and once when it is complete). */
  onProgress?: DataProgress;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Concatenates chunks into one array. */
function concat(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  // read through the stream's own reader, not `new Response(stream).arrayBuffer()`: Chromium's
  // Response turns the decompressor's error ("Compressed input was truncated.", "Junk found after
  // end of compressed data.") into "Failed to fetch", which reads like a network problem
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  return concat(chunks, length);
}

/** Reads a response body chunk by chunk, reporting progress. */
async function readBody(response: Response, file: string, onProgress: DataProgress | undefined): Promise<Uint8Array<ArrayBuffer>> {
  // a Content-Length is the size on the wire: with a Content-Encoding the browser hands over more
  // bytes than that, so no total is known then
  const length = response.headers.get('content-length');
  const total = length !== null && !response.headers.get('content-encoding') && Number(length) > 0 ? Number(length) : null;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(file, bytes.length, total ?? bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    const now = performance.now();
    if (now - reported >= 50) {
      reported = now;
      onProgress?.(file, loaded, total);
    }
  }
  onProgress?.(file, loaded, total ?? loaded);
  return concat(chunks, loaded);
}

/**
 * Fetches one IDX file from the folder `source`: `<name>.gz` first, then `<name>` when the server
 * answers 404, and returns its decompressed bytes. Gzip is recognised by its magic bytes, so a
 * server that already decoded the `.gz` (Content-Encoding: gzip) works too.
 */
export async function fetchIdxBytes(source: string, name: string, options: FetchFashionOptions = {}): Promise<Uint8Array> {
  const doFetch = options.fetch ?? fetch;
  const tried: string[] = [];
  for (const file of [`${name}.gz`, name]) {
    const url = new URL(file, source).href;
    let response: Response;
    try {
      response = await doFetch(url);
    } catch (e) {
      tried.push(`${url} (network error: ${(e as Error).message})`);
      // the folder is unreachable (offline, a cross-origin server without CORS headers): the
      // other name would fail the same way
      break;
    }
    if (response.status === 404) {
      tried.push(`${url} (HTTP 404 Not Found)`);
      continue;
    }
    if (!response.ok) {
      tried.push(`${url} (HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''})`);
      break;
    }
    const body = await readBody(response, file, options.onProgress);
    let bytes: Uint8Array = body;
    if (isGzip(body)) {
      try {
        bytes = await gunzip(body);
      } catch (e) {
        throw new Error(`Fashion-MNIST: ${url} is not a valid gzip file (${(e as Error).message}); it is truncated or corrupt: replace it. ${HOW_TO_FIX}`);
      }
    }
    return bytes;
  }
  throw new Error(`Fashion-MNIST: cannot fetch ${name}: tried ${tried.join(' and ')}. ${HOW_TO_FIX}`);
}

function parseSplit(split: 'training' | 'test', images: Uint8Array, labels: Uint8Array, names: [string, string]): RawSplit {
  const img = parseIdx(images, names[0]);
  const lab = parseIdx(labels, names[1]);
  const [count, h, w] = img.shape;
  if (img.dtype !== 'uint8' || img.shape.length !== 3 || h !== IMAGE_SIDE || w !== IMAGE_SIDE) {
    throw new Error(`Fashion-MNIST: ${names[0]} holds ${img.dtype} [${img.shape.join(', ')}]; expected uint8 [N, 28, 28] images. It is not a Fashion-MNIST image file: replace it`);
  }
  if (lab.dtype !== 'uint8' || lab.shape.length !== 1) {
    throw new Error(`Fashion-MNIST: ${names[1]} holds ${lab.dtype} [${lab.shape.join(', ')}]; expected uint8 [N] labels. It is not a Fashion-MNIST label file: replace it`);
  }
  if (lab.shape[0] !== count) {
    throw new Error(`Fashion-MNIST: the ${split} set has ${count} images in ${names[0]} but ${lab.shape[0]} labels in ${names[1]}; expected one label per image. The two files do not belong together: replace them`);
  }
  const bad = (lab.data as Uint8Array).findIndex((l) => l > 9);
  if (bad >= 0) {
    throw new Error(`Fashion-MNIST: label ${bad} in ${names[1]} is ${lab.data[bad]}; expected a class from 0 to 9. It is not a Fashion-MNIST label file: replace it`);
  }
  return { count: count!, pixels: img.data as Uint8Array, labels: lab.data as Uint8Array };
}

/**
 * Fetches, decompresses, parses and checks the four Fashion-MNIST files in the folder URL
 * `source` (absolute, ending with `/`). Errors name the file, the URLs tried and what they
 * answered, and how to get the files.
 */
export async function fetchFashionMnist(source: string, options: FetchFashionOptions = {}): Promise<RawFashion> {
  const f = FASHION_FILES;
  // one after the other: progress bars fill in order, and only one file's chunks are in memory at once
  const trainImages = await fetchIdxBytes(source, f.trainImages, options);
  const trainLabels = await fetchIdxBytes(source, f.trainLabels, options);
  const testImages = await fetchIdxBytes(source, f.testImages, options);
  const testLabels = await fetchIdxBytes(source, f.testLabels, options);
  return {
    train: parseSplit('training', trainImages, trainLabels, [f.trainImages, f.trainLabels]),
    test: parseSplit('test', testImages, testLabels, [f.testImages, f.testLabels]),
  };
}

/**
 * The first `limit` images of a split as the CLI's `loadFashionData` makes them: float32
 * `[limit, 1, 28, 28]` pixels / 255 and int32 labels, on the `cpu` backend (the training loop moves
 * each batch to the model's backend). The caller owns (and disposes) both tensors.
 */
export function splitTensors(split: RawSplit, limit: number, what: string): LabelledImages {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > split.count) {
    throw new RangeError(`${what}: expected 1 to ${split.count.toLocaleString('en-US')} images (the data set has ${split.count.toLocaleString('en-US')}), got ${limit}`);
  }
  const pixels = split.pixels.subarray(0, limit * IMAGE_SIDE * IMAGE_SIDE);
  const scaled = new Float32Array(pixels.length);
  // float32(p / 255) is the float32 division the CLI's tensor div does (a double quotient rounded
  // once to float32 is the correctly rounded float32 quotient)
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i]! / 255;
  return {
    images: fromTypedArray(scaled, [limit, 1, IMAGE_SIDE, IMAGE_SIDE], { backend: 'cpu' }),
    labels: fromTypedArray(Int32Array.from(split.labels.subarray(0, limit)), [limit], { backend: 'cpu' }),
  };
}
