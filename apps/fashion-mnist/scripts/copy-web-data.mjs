#!/usr/bin/env node
// The last step of the app's build: copies the four Fashion-MNIST IDX files into dist-web/data/,
// where the page fetches them by default (`?data=./data/`), so the page is self-contained on any
// static host. It looks where the CLI looks (packages/data's FashionMNIST.load): under
// $TENSORGRAD_DATA (`FashionMNIST/raw`, `FashionMNIST`, `fashion-mnist`, the folder itself), then
// Debian's /usr/share/datasets/fashion-mnist; the gzipped names first, the plain ones too (the page
// tries both). Missing data is a warning, not a failure: the build of the page does not need it, and
// the page then says which file it could not fetch and how to get it.
// Plain JavaScript so that it runs without a build step; `node scripts/copy-web-data.mjs [out]`.
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Debian's dataset-fashion-mnist installs the files here (scripts/ensure-dataset.sh). */
export const SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';

/** The four files, without the `.gz` suffix. */
export const STEMS = Object.freeze(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);

/** Where the built page's data goes. */
export const DATA_OUT_DIR = fileURLToPath(new URL('../dist-web/data/', import.meta.url));

/** @param {string} path */
const isFile = (path) => {
  try {
    return statSync(path).isFile() && statSync(path).size > 0;
  } catch {
    return false;
  }
};

/**
 * The folders searched, in order, with the reason each is searched.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} systemDir the system-wide folder (tests pass another)
 * @returns {{ dir: string, from: string }[]}
 */
export function candidateDirs(env = process.env, systemDir = SYSTEM_DIR) {
  const dirs = [];
  const base = env.TENSORGRAD_DATA?.trim();
  if (base) for (const sub of ['FashionMNIST/raw', 'FashionMNIST', 'fashion-mnist', '.']) dirs.push({ dir: resolve(base, sub), from: '$TENSORGRAD_DATA' });
  dirs.push({ dir: systemDir, from: 'system' });
  return dirs;
}

/**
 * The first folder that holds all four files (each as `<stem>.gz` or `<stem>`), with the file
 * names found, or null.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} systemDir
 * @returns {{ dir: string, files: string[] } | null}
 */
export function findFashionMnist(env = process.env, systemDir = SYSTEM_DIR) {
  for (const { dir } of candidateDirs(env, systemDir)) {
    const files = STEMS.map((stem) => [`${stem}.gz`, stem].find((name) => isFile(join(dir, name))));
    if (files.every((f) => f !== undefined)) return { dir, files: /** @type {string[]} */ (files) };
  }
  return null;
}

/**
 * Copies the files into `outDir` (emptied first, so a stale copy never outlives its source).
 * Returns what it did, as the line to print, and whether it copied.
 * @param {string} outDir
 * @param {NodeJS.ProcessEnv} env
 * @param {string} systemDir
 * @returns {{ copied: boolean, message: string }}
 */
export function copyWebData(outDir = DATA_OUT_DIR, env = process.env, systemDir = SYSTEM_DIR) {
  rmSync(outDir, { recursive: true, force: true });
  const found = findFashionMnist(env, systemDir);
  if (found === null) {
    const tried = candidateDirs(env, systemDir).map((c) => `${c.dir} (${c.from})`);
    if (!env.TENSORGRAD_DATA?.trim()) tried.unshift('$TENSORGRAD_DATA: not set');
    return {
      copied: false,
      message:
        `copy-web-data: WARNING: the page will have no data: expected the four Fashion-MNIST IDX files (${STEMS.map((s) => `${s}[.gz]`).join(', ')}) in one of: ${tried.join('; ')}. ` +
        `To fix: run scripts/ensure-dataset.sh (installs Debian's dataset-fashion-mnist) or set TENSORGRAD_DATA to a folder with the files, then build again; or open the page with ?data=<folder URL of the files>.`,
    };
  }
  mkdirSync(outDir, { recursive: true });
  let bytes = 0;
  for (const name of found.files) {
    copyFileSync(join(found.dir, name), join(outDir, name));
    bytes += statSync(join(outDir, name)).size;
  }
  return { copied: true, message: `copy-web-data: ${found.files.length} files (${(bytes / 1e6).toFixed(1)} MB) from ${found.dir} into ${outDir}` };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2] ? resolve(process.argv[2]) : DATA_OUT_DIR;
  if (!existsSync(resolve(out, '..'))) {
    console.error(`copy-web-data: expected the built page's folder ${resolve(out, '..')} (vite build writes it); run the app's build script, \`pnpm --filter @tensorgrad/fashion-mnist build\``);
    process.exit(1);
  }
  const { copied, message } = copyWebData(out);
  (copied ? console.log : console.warn)(message);
}
