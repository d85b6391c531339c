// Node file access, imported lazily so the bytes API of this package works in browsers.

type FsPromises = typeof import('node:fs/promises');
type PathModule = typeof import('node:path');

/** @internal Loads `node:fs/promises` and `node:path` on first use. */
async function nodeModules(op: string): Promise<{ fs: FsPromises; path: PathModule }> {
  try {
    const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
    return { fs, path };
  } catch (e) {
    throw new Error(
      `${op}: reading or writing a file path needs Node's 'node:fs/promises', which is not available here ` +
        `(${(e as Error).message}); in a browser pass bytes (a Uint8Array) instead of a path`,
    );
  }
}

/** @internal Reads a whole file. */
export async function readFileBytes(op: string, file: string): Promise<Uint8Array> {
  const { fs } = await nodeModules(op);
  const buf = await fs.readFile(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * @internal Writes a file atomically: `produce` writes the content to a temporary file in the
 * same directory, which is flushed to disk (fsync) and renamed over `file`. If anything fails the
 * temporary file is removed and `file` is left as it was.
 */
export async function atomicWrite(
  op: string,
  file: string,
  produce: (write: (chunk: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  const { fs, path } = await nodeModules(op);
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
  let handle: Awaited<ReturnType<FsPromises['open']>> | undefined;
  try {
    try {
      handle = await fs.open(tmp, 'wx');
    } catch (e) {
      throw new Error(
        `${op}: cannot create a temporary file in '${dir}' to write '${file}' (${(e as Error).message}); ` +
          'check that the directory exists and is writable',
      );
    }
    const h = handle;
    await produce(async (chunk) => {
      let done = 0;
      while (done < chunk.byteLength) {
        const { bytesWritten } = await h.write(chunk, done, chunk.byteLength - done);
        done += bytesWritten;
      }
    });
    await h.sync();
    await h.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  // Make the rename itself durable where the platform allows it (not on Windows).
  try {
    const d = await fs.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // best effort
  }
}
