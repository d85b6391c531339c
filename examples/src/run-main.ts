import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Whether the module at `moduleUrl` (its `import.meta.url`) is the script node was started with,
 * so an example prints its report when run directly but stays quiet when imported by a test.
 */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && fileURLToPath(moduleUrl) === resolve(script);
}

type Printable = number | readonly Printable[];

// numpy prints the shortest decimal that reads back as the same value, rounded to at most 8
// decimals (its default `precision`), and switches to scientific notation outside [1e-4, 1e8)
function numpyStyle(value: number, shortest: string): string {
  const abs = Math.abs(value);
  if (!Number.isFinite(value) || value === 0) return String(value);
  if (abs < 1e-4 || abs >= 1e8) return Number(shortest).toExponential();
  const fraction = shortest.split('.')[1] ?? '';
  return fraction.length > 8 ? String(Number(value.toFixed(8))) : shortest;
}

/**
 * Formats float64 numbers the way numpy prints a float64 array (`-0.0174781` for
 * -0.017478103...).
 */
export function fmt(value: Printable): string {
  if (typeof value !== 'number') return `[${value.map(fmt).join(', ')}]`;
  return numpyStyle(value, String(value));
}

/**
 * Formats float32 values the way numpy prints a float32 array: the shortest decimal that reads
 * back as the same float32 (`0.01424004`, not the double 0.014240043237805367), at most 8 decimals.
 */
export function fmt32(value: Printable): string {
  if (typeof value !== 'number') return `[${value.map(fmt32).join(', ')}]`;
  const target = Math.fround(value);
  let shortest = String(target);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(target.toPrecision(digits));
    if (Math.fround(candidate) === target) {
      shortest = String(candidate);
      break;
    }
  }
  return numpyStyle(target, shortest);
}
