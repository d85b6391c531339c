// Node file access, imported lazily so the bytes API of this package (decodeImage, encodePng,
// encodeJpeg, makeGrid, drawBoundingBoxes) works in browsers; only the path-taking functions
// (readImage, writePng, writeJpeg, saveImage, ImageFolder) load 'node:fs'.

type FsPromises = typeof import('node:fs/promises');
type PathModule = typeof import('node:path');

/** @internal Loads `node:fs/promises` and `node:path` on first use. */
export async function nodeFs(op: string): Promise<{ fs: FsPromises; path: PathModule }> {
  try {
    const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
    return { fs, path };
  } catch (e) {
    throw new Error(
      `${op}: reading or writing a file path needs Node's 'node:fs/promises', which is not available here ` +
        `(${(e as Error).message}); in a browser use the bytes functions (decodeImage, encodePng, encodeJpeg) instead`,
    );
  }
}

/** @internal Reads a whole file, saying which op failed on which path. */
export async function readFileBytes(op: string, file: string): Promise<Uint8Array> {
  if (typeof file !== 'string' || file === '') throw new TypeError(`${op}: expected a file path (a non-empty string), got ${typeof file === 'string' ? "''" : typeof file}`);
  const { fs } = await nodeFs(op);
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (e) {
    throw new Error(`${op}: cannot read '${file}' (${(e as Error).message}); check the path`);
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** @internal Writes a whole file, saying which op failed on which path. */
export async function writeFileBytes(op: string, file: string, bytes: Uint8Array): Promise<void> {
  if (typeof file !== 'string' || file === '') throw new TypeError(`${op}: expected a file path (a non-empty string), got ${typeof file === 'string' ? "''" : typeof file}`);
  const { fs } = await nodeFs(op);
  try {
    await fs.writeFile(file, bytes);
  } catch (e) {
    throw new Error(`${op}: cannot write '${file}' (${(e as Error).message}); check that the directory exists and is writable`);
  }
}
