// sort, argsort, topk, cumsum and unique on both tfjs engines: conformance's sortingSuite
// (sorting.json from PyTorch 1.13.1, and a many-ties check against the CPU kernels).
import { describe } from 'vitest';
import { sortingSuite } from '@tensorgrad/conformance';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-tfjs';
import { findBackend } from '@tensorgrad/tensor';

await findBackend('tfjs');
await findBackend('tfjs-wasm');

for (const engine of ['tfjs', 'tfjs-wasm']) {
  describe(`sorting.json (PyTorch 1.13.1) on ${engine}`, () => sortingSuite(engine));
}
