// memory().numTensors counts a tensor until it is disposed or, on the CPU backend, until the garbage
// collector reclaims it and a finaliser releases it. Tensors that became unreachable without
// dispose() (in a test, in a library's internals) therefore leave the count at a moment the
// collector picks, and a leak check around a long program would fail either way by chance.
// settledTensorCount() collects first, so the counts compared are those of reachable tensors, and
// withLeakWatch() runs code in tensorgrad's debug mode and reports the tensors it made that were
// garbage-collected without dispose() (the leaks a settled count alone would hide on the CPU).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { memory, setDebugMode } from 'tensorgrad';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** `memory().numTensors` after garbage collection and the finalisers it triggers have run. */
export async function settledTensorCount(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return memory().numTensors;
}

/**
 * Runs `fn` in tensorgrad's debug mode and returns its result and the warnings of tensors created
 * during it that were garbage-collected without `dispose()` (collected before returning).
 */
export async function withLeakWatch<T>(fn: () => Promise<T>): Promise<{ result: T; leaks: string[] }> {
  const leaks: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.includes('garbage-collected without dispose()')) leaks.push(line);
    else warn(...args);
  };
  setDebugMode(true);
  try {
    const result = await fn();
    await settledTensorCount();
    return { result, leaks };
  } finally {
    setDebugMode(false);
    await settledTensorCount(); // tensors made in debug mode and dropped later still report here
    console.warn = warn;
  }
}
