// The wasm engine's one-time set-up: the single-threaded binary and the caller's wasmPaths must be
// in place before tfjs-core starts initialising the engine. A browser whose page is cross-origin
// isolated reports thread support; this file stands in for one by registering the thread flag as
// true, which in Node (no threaded binary) makes an engine started with that flag fail.
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { TfjsBackend } from '@tensorgrad/backend-tfjs';

it('initialises the wasm engine single-threaded even where the runtime reports threads', async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  expect('wasm' in tf.engine().registry).toBe(false);
  tf.env().registerFlag('WASM_HAS_MULTITHREAD_SUPPORT', async () => true);
  const b = await TfjsBackend.create({ name: 'tfjs-wasm-threads-reported', engine: 'wasm' });
  expect(b.engine).toBe('wasm');
  expect(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  b.dispose();
});
