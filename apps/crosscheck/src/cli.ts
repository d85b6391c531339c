#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCrossCheckArgs, usage, UsageError } from './args.js';
import { registerCrossCheckBackends } from './backends.js';
import { runCrossCheck, type CrossCheckIO } from './run.js';

/**
 * Loads the backend packages the cross-check knows besides the CPU backend (`@tensorgrad/backend-tfjs`:
 * `tfjs`, `tfjs-wasm`; `@tensorgrad/backend-webgpu`: `webgpu`) and registers `cpu-nosimd`; a package that fails to load is reported and
 * left out. Returns the messages of the packages that could not be loaded.
 *
 * @example
 * ```ts
 * import { loadBackends } from '@tensorgrad/crosscheck';
 * Array.isArray(await loadBackends()); // true
 * ```
 */
export async function loadBackends(): Promise<string[]> {
  registerCrossCheckBackends();
  const problems: string[] = [];
  for (const pkg of ['@tensorgrad/backend-tfjs', '@tensorgrad/backend-webgpu']) {
    try {
      await import(pkg);
    } catch (e) {
      problems.push(`${pkg} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return problems;
}

/**
 * Runs the CLI with `argv` (the arguments after the script) and returns the exit code: 0 when
 * the backends agree, 1 when they disagree (or a backend is missing or fails), 2 for a usage
 * error.
 *
 * @example
 * ```ts
 * import { main } from '@tensorgrad/crosscheck';
 * let err = '';
 * const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } };
 * await main(['--steps', 'many'], io); // 2
 * err.includes('--steps: expected a positive integer, got "many"'); // true
 * await main(['--frobnicate'], io); // 2
 * ```
 */
export async function main(argv: readonly string[], io: CrossCheckIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const options = parseCrossCheckArgs(argv);
    if (options === 'help') {
      io.stdout.write(usage());
      return 0;
    }
    const problems = await loadBackends();
    for (const p of problems) io.stderr.write(`crosscheck: note: ${p}\n`);
    const result = await runCrossCheck(options, io);
    return result.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`crosscheck: ${e.message}\nRun with --help for the usage.\n`);
      return e.exitCode;
    }
    io.stderr.write(`crosscheck: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.TENSORGRAD_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main(process.argv.slice(2));
