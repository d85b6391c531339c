// Where the browser comes from: Debian's chromium package (scripts/ensure-chromium.sh installs it).
// playwright-core only drives it; it never downloads a browser of its own (ARCHITECTURE.md, Where each kind of test lives).
import { accessSync, constants } from 'node:fs';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The Chromium executable the harness launches: `TENSORGRAD_CHROMIUM` when set (for machines whose
 * browser lives elsewhere), else {@link CHROMIUM_PATH}; `null` when that file is not an executable.
 *
 * @example
 * ```ts
 * import { chromiumPath } from '@tensorgrad/browser-tests';
 * const path = chromiumPath();
 * path === null || path.length > 0; // true
 * ```
 */
export function chromiumPath(): string | null {
  const path = process.env.TENSORGRAD_CHROMIUM?.trim() || CHROMIUM_PATH;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}

/**
 * Why the browser tests cannot run here, or `null` when they can: the sentence a skipped test
 * prints.
 *
 * @example
 * ```ts
 * import { chromiumPath, chromiumMissingReason } from '@tensorgrad/browser-tests';
 * (chromiumMissingReason() === null) === (chromiumPath() !== null); // true
 * ```
 */
export function chromiumMissingReason(): string | null {
  if (chromiumPath() !== null) return null;
  const where = process.env.TENSORGRAD_CHROMIUM?.trim() || CHROMIUM_PATH;
  return `no Chromium at ${where}: run scripts/ensure-chromium.sh (as root on Debian: apt-get install chromium), or set TENSORGRAD_CHROMIUM to a Chromium executable`;
}
