// A file-level check, around every test of the file, that the backend's tfjs tensor count (tfjs's
// own `tf.memory().numTensors`, see TfjsBackend.memory) is back where it started: the conformance
// harness itself compares tensorgrad's tensor count, which would not see a tfjs tensor leaked
// inside a kernel.
import { afterEach, beforeEach } from 'vitest';
import type { Backend } from '@tensorgrad/tensor';

export function checkTfjsLeaks(backend: Backend): void {
  let before = 0;
  beforeEach(() => {
    before = backend.memory().numTensors;
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') return;
    const after = backend.memory().numTensors;
    if (after !== before) {
      throw new Error(`tfjs leak on backend '${backend.name}': ${after - before} tfjs tensor(s) more after the test (${before} before, ${after} after)`);
    }
  });
}
