/**
 * Internal (not re-exported): reading the JSON fixture files of this package, shared by
 * `loadGolden` (`fixtures/pytorch/`) and `loadGenerated` (`fixtures/generated/`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, unknown>();

/**
 * Reads and parses (once; later calls get the cached object) `fixtures/<dir>/<file>` of this
 * package; `caller` and `expected` go into the error when the file cannot be read.
 *
 * @internal
 */
export function readFixtureJson(dir: 'pytorch' | 'generated', file: string, caller: string, expected: string): unknown {
  const name = file.endsWith('.json') ? file : `${file}.json`;
  const key = `${dir}/${name}`;
  let parsed = cache.get(key);
  if (parsed === undefined) {
    const path = fileURLToPath(new URL(`../fixtures/${key}`, import.meta.url));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`${caller}: cannot read fixture '${name}' at ${path} (${String(err)}); expected ${expected}`);
    }
    try {
      parsed = JSON.parse(text) as unknown;
    } catch (err) {
      throw new Error(`${caller}: fixture '${name}' at ${path} is not valid JSON (${String(err)}); expected ${expected}`);
    }
    cache.set(key, parsed);
  }
  return parsed;
}

