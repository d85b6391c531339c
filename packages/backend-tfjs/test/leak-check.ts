// A file-level check, around every test of the file, that tfjs's own global tensor count
// (`tf.memory().numTensors`) moved exactly as the backend's storage count (its `memory()`, counted
// per instance): a tfjs tensor leaked inside a kernel shows as a difference. The conformance
// harness itself compares tensorgrad's tensor counts, which would not see such a leak.
import { afterEach, beforeEach } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { Backend } from '@tensorgrad/tensor';

export function checkTfjsLeaks(backend: Backend): void {
  // tfjs tensors that are not this backend's storage
  const unowned = (): number => tf.memory().numTensors - backend.memory().numTensors;
  let before = 0;
  beforeEach(() => {
    before = unowned();
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') return;
    const after = unowned();
    if (after !== before) {
      throw new Error(`tfjs leak on backend '${backend.name}': ${after - before} tfjs tensor(s) more than its storage after the test (${before} before, ${after} after)`);
    }
  });
}
