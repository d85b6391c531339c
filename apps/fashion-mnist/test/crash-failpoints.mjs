// Test-only failpoints for crash-safety.test.ts, preloaded into the CLI with
// `node --import <this file> dist/cli.js …`; nothing in the app or the library imports it, so it is
// inert everywhere else. It numbers the file-system steps by which a process writes its files
// (1, 2, 3, … in the order they happen) and, driven by two environment variables:
//
//   TENSORGRAD_CRASH_AT=<n>       the process SIGKILLs itself right after its n-th step, so a kill
//                                 lands exactly inside a checkpoint write (a temporary file created
//                                 but empty, partly written, complete but not renamed, renamed but
//                                 its directory not yet flushed, …) rather than wherever a timer
//                                 happens to fire;
//   TENSORGRAD_CRASH_TRACE=<dir>  the process appends every step to <dir>/events.txt
//                                 ("<n>\t<step>\t<file name>") and copies each file it renames into
//                                 place to <dir>/<n>-<file name> (the reference run's checkpoints
//                                 of every epoch).
//
// The steps: `open` (a temporary file `*.tmp` was created), `write` (a chunk, or all of it, was
// written to it), `sync` (it was flushed), `writeFile` (a whole `*.tmp` file was written by path),
// `rename` (a file was renamed into place).
import { appendFileSync, copyFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { basename, join } from 'node:path';

const require = createRequire(import.meta.url);
/** @type {typeof import('node:fs/promises')} */
const fsp = require('node:fs/promises');

const at = process.env.TENSORGRAD_CRASH_AT ? Number(process.env.TENSORGRAD_CRASH_AT) : null;
if (at !== null && !(Number.isInteger(at) && at >= 1)) {
  throw new Error(`crash-failpoints: expected TENSORGRAD_CRASH_AT to be a step number 1, 2, …, got '${process.env.TENSORGRAD_CRASH_AT}'`);
}
const trace = process.env.TENSORGRAD_CRASH_TRACE ?? null;
let steps = 0;

/**
 * Records a step, and dies here when it is the chosen one.
 * @param {string} kind
 * @param {string} file
 * @param {string | null} renamedTo
 */
function step(kind, file, renamedTo = null) {
  steps += 1;
  if (trace !== null) {
    appendFileSync(join(trace, 'events.txt'), `${steps}\t${kind}\t${basename(file)}\n`);
    if (renamedTo !== null) copyFileSync(renamedTo, join(trace, `${steps}-${basename(renamedTo)}`));
  }
  if (steps === at) process.kill(process.pid, 'SIGKILL');
}

/** The temporary files being written, by handle. */
const temps = new WeakMap();
const isTemp = (/** @type {unknown} */ file) => typeof file === 'string' && file.endsWith('.tmp');

const open = fsp.open;
/** @type {typeof fsp.open} */
const openHooked = async (file, ...rest) => {
  const handle = await open(file, ...rest);
  if (isTemp(file)) {
    temps.set(handle, String(file));
    step('open', String(file));
  }
  return handle;
};
fsp.open = openHooked;

const rename = fsp.rename;
fsp.rename = async (from, to) => {
  await rename(from, to);
  step('rename', String(to), String(to));
};

const writeFile = fsp.writeFile;
/** @type {typeof fsp.writeFile} */
const writeFileHooked = async (file, ...rest) => {
  await writeFile(file, ...rest);
  if (isTemp(file)) step('writeFile', String(file));
};
fsp.writeFile = writeFileHooked;
syncBuiltinESMExports();

// every FileHandle shares one prototype: hook its write, writeFile and sync
const probe = await open(new URL(import.meta.url), 'r');
/** @type {{ write: (...args: unknown[]) => Promise<unknown>, writeFile: (...args: unknown[]) => Promise<void>, sync: () => Promise<void> }} */
const proto = Object.getPrototypeOf(probe);
await probe.close();
const write = proto.write;
proto.write = async function (/** @type {unknown[]} */ ...args) {
  const result = await write.apply(this, args);
  const file = temps.get(this);
  if (file !== undefined) step('write', file);
  return result;
};
const handleWriteFile = proto.writeFile;
proto.writeFile = async function (/** @type {unknown[]} */ ...args) {
  await handleWriteFile.apply(this, args);
  const file = temps.get(this);
  if (file !== undefined) step('write', file);
};
const sync = proto.sync;
proto.sync = async function () {
  await sync.apply(this);
  const file = temps.get(this);
  if (file !== undefined) step('sync', file);
};
