#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// registers the 'tfjs' and 'tfjs-wasm' backends for --backend (their engines load on first use)
import '@tensorgrad/backend-tfjs';
// registers 'webgpu' for --backend (the GPU is requested on first use; Node needs the `webgpu` package)
import '@tensorgrad/backend-webgpu';
import { parseArgs, usage, UsageError } from './args.js';
import { runPredict } from './run-predict.js';
import { runTrain, type CliIO } from './run-train.js';

/**
 * Runs the CLI with `argv` (the arguments after the script) and returns the exit code: 0 on
 * success, 2 for a usage error (the message names the flag, the value and what is expected), 1
 * for any other failure (its message, without a stack trace).
 *
 * @example
 * ```ts
 * import { main } from '@tensorgrad/fashion-mnist';
 * let err = '';
 * const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } };
 * await main(['--epochs', 'three'], io); // 2
 * err.includes('--epochs: expected a positive integer, got "three"'); // true
 * await main(['--help'], io); // 0
 * ```
 */
export async function main(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const cmd = parseArgs(argv);
    if (cmd.command === 'help') {
      io.stdout.write(usage());
      return 0;
    }
    if (cmd.command === 'predict') await runPredict(cmd.options, io);
    else await runTrain(cmd.options, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`fashion-mnist: ${e.message}\nRun with --help for the usage.\n`);
      return e.exitCode;
    }
    io.stderr.write(`fashion-mnist: ${e instanceof Error ? e.message : String(e)}\n`);
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

if (isEntryPoint()) {
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted; the checkpoint of the last finished epoch is kept: run again with --resume to continue\n');
    process.exit(130);
  });
  process.exitCode = await main(process.argv.slice(2));
}
