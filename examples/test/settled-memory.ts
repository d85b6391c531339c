// memory().numTensors counts a tensor until it is disposed or, on the CPU backend, until the garbage
// collector reclaims it and a finaliser releases it. Tensors that became unreachable without
// dispose() (in a test, in a library's internals) therefore leave the count at a moment the
// collector picks, and a leak check around a long program would fail either way by chance.
// settledTensorCount() collects first, so the counts compared are those of reachable tensors.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { memory } from 'tensorgrad';

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
